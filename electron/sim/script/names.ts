// Names the HyperDbg script language reserves (script-engine/python/Grammar.txt, v0.23): registers,
// pseudo-registers, keywords and the built-in functions the simulator evaluates. Pure data.

/** `.Registers` of the grammar. Scripts name them with or without `@`. */
export const REGISTERS: ReadonlySet<string> = new Set(
  `rax eax ax ah al rcx ecx cx ch cl rdx edx dx dh dl rbx ebx bx bh bl rsp esp sp spl rbp ebp bp bpl rsi esi si sil rdi edi di dil r8 r8d r8w r8h r8l r9 r9d r9w r9h r9l r10 r10d r10w r10h r10l r11 r11d r11w r11h r11l r12 r12d r12w r12h r12l r13 r13d r13w r13h r13l r14 r14d r14w r14h r14l r15 r15d r15w r15h r15l ds es fs gs cs ss rflags eflags flags cf pf af zf sf tf if df of iopl nt rf vm ac vif vip id rip eip ip idtr ldtr gdtr tr cr0 cr2 cr3 cr4 cr8 dr0 dr1 dr2 dr3 dr6 dr7`.split(
    ' ',
  ),
);

/** `.PseudoRegisters` (spec §5.1), used as `$name`. */
export const PSEUDO_REGISTERS: ReadonlySet<string> = new Set(
  'pid tid pname core proc thread peb teb ip buffer context event_tag event_id event_stage date time'.split(
    ' ',
  ),
);

/** Functions that take one number and return one (`.OneOpFunc1`), evaluated by the simulator. */
export const ONE_OP_VALUE_FUNCTIONS: ReadonlySet<string> = new Set([
  'poi',
  'db',
  'dd',
  'dw',
  'dq',
  'neg',
  'hi',
  'low',
  'not',
  'check_address',
]);

/** Functions that take two numbers and return one (`.TwoOpFunc1`): the memory writers. */
export const TWO_OP_VALUE_FUNCTIONS: ReadonlySet<string> = new Set(['eb', 'ed', 'eq']);

/** Every keyword the scanner knows (statement words plus all function names of the grammar). */
export const KEYWORDS: ReadonlySet<string> = new Set(
  `if else elsif while do for break continue return struct sizeof typedef print formats event_enable event_disable event_clear test_statement spinlock_lock spinlock_unlock event_sc microsleep printf pause flush event_trace_step event_trace_step_in event_trace_step_out event_trace_instrumentation_step event_trace_instrumentation_step_in rdtsc rdtscp lbr_save lbr_dump lbr_print lbr_restore lbr_check spinlock_lock_custom_wait event_inject poi db dd dw dq neg hi low not check_address disassemble_len disassemble_len32 disassemble_len64 interlocked_increment interlocked_decrement reference physical_to_virtual virtual_to_physical poi_pa hi_pa low_pa db_pa dd_pa dw_pa dq_pa lbr_restore_by_filter ed eb eq interlocked_exchange interlocked_exchange_add eb_pa ed_pa eq_pa interlocked_compare_exchange strlen strcmp memcmp strncmp wcslen wcscmp event_inject_error_code memcpy memcpy_pa wcsncmp`.split(
    ' ',
  ),
);

/** `.ScriptVariableType` of the grammar: typed declarations the simulator does not evaluate. */
export const VARIABLE_TYPES: ReadonlySet<string> = new Set(
  'void bool char short int long unsigned signed float double'.split(' '),
);
