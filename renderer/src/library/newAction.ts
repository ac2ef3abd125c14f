// Starting points for a new action of each kind: short, commented, and valid as they stand, so a
// newcomer sees the calling convention (RCX buffer, RDX GUEST_REGS, R8 Context) before typing.
// Pure.
import type { ActionDraftInput, ActionKind } from '../../../shared/model/action';

const CODE_TEMPLATE = `; Custom code: RCX = safe buffer (NULL without a buffer size), RDX = GUEST_REGS*,
; R8 = Context (what it means depends on the event). Return a buffer address in RAX to
; send buffer-size bytes from it as one record; RAX = 0 sends nothing.
    xor eax, eax
    ret`;

const LOG_TEMPLATE = `// A HyperDbg script. printf an HDBG1 line to make a record the log decodes:
// HDBG1 <event> <core> <context> <length> <64-bit words...> (numbers are hex).
printf("HDBG1 %x %x %llx %x %llx\\n", $event_id, $core, $context, 8, @rax);`;

export const KIND_LABELS: Readonly<Record<ActionKind, string>> = {
  code: 'Custom code',
  log: 'Log (script)',
  break: 'Break to debugger',
};

export function newActionDraft(kind: ActionKind, name: string): ActionDraftInput {
  switch (kind) {
    case 'code':
      return {
        kind,
        name,
        description: '',
        tags: [],
        code: { source: CODE_TEMPLATE },
        condition: null,
        bufferSize: 0,
        bufferSchema: [],
      };
    case 'log':
      return {
        kind,
        name,
        description: '',
        tags: [],
        script: LOG_TEMPLATE,
        bufferSize: 0,
        bufferSchema: [{ name: 'rax', offset: 0, type: 'u64' }],
      };
    case 'break':
      return { kind, name, description: '', tags: [] };
  }
}
