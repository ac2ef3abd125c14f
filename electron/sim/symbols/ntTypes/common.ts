// Structures whose layout is the same in every Windows 10 x64 build the simulator offers, in the
// member-per-line form `typeTable.ts` reads. Offsets from Microsoft's public symbols for ntoskrnl
// (as published by the Vergilius Project and ntdiff/headers). Simulator side; pure data.

export const COMMON_TYPES = `
_LIST_ENTRY 0x10
0x0 _LIST_ENTRY* Flink
0x8 _LIST_ENTRY* Blink

_KAPC_STATE 0x30
0x0 _LIST_ENTRY ApcListHead[2]
0x20 _KPROCESS* Process
0x28 uint8_t InProgressFlags
0x28 uint8_t KernelApcInProgress:1
0x28 uint8_t SpecialApcInProgress:1
0x29 uint8_t KernelApcPending
0x2a uint8_t UserApcPendingAll
0x2a uint8_t SpecialUserApcPending:1
0x2a uint8_t UserApcPending:1

_CLIENT_ID 0x10
0x0 void* UniqueProcess
0x8 void* UniqueThread

_UNICODE_STRING 0x10
0x0 uint16_t Length
0x2 uint16_t MaximumLength
0x8 wchar_t* Buffer

_EX_FAST_REF 0x8
0x0 void* Object
0x0 uint64_t RefCnt:4
0x0 uint64_t Value

_EX_PUSH_LOCK 0x8
0x0 uint64_t Locked:1
0x0 uint64_t Waiting:1
0x0 uint64_t Waking:1
0x0 uint64_t MultipleShared:1
0x0 uint64_t Shared:60
0x0 uint64_t Value
0x0 void* Ptr
`;

/** Sizes of structures that appear by value in the members above and in every build's tables. */
export const COMMON_SIZES: Readonly<Record<string, number>> = {
  _LIST_ENTRY: 0x10,
  _SINGLE_LIST_ENTRY: 0x8,
  _CLIENT_ID: 0x10,
  _UNICODE_STRING: 0x10,
  _EX_FAST_REF: 0x8,
  _EX_PUSH_LOCK: 0x8,
  _EX_RUNDOWN_REF: 0x8,
  _LARGE_INTEGER: 0x8,
  _RTL_AVL_TREE: 0x8,
  _SE_AUDIT_PROCESS_CREATION_INFO: 0x8,
  _ALPC_PROCESS_CONTEXT: 0x20,
  _PS_PROTECTION: 0x1,
  _PS_INTERLOCKED_TIMER_DELAY_VALUES: 0x8,
  _WNF_STATE_NAME: 0x8,
  _PS_PROCESS_WAKE_INFORMATION: 0x30,
  _DISPATCHER_HEADER: 0x18,
  _KAFFINITY_EX: 0xa8,
  _KEXECUTE_OPTIONS: 0x1,
  _KSTACK_COUNT: 0x4,
};
