// Test corpora of the session engine: hostile console input (never a blank, multi-line or
// continued command may reach the CLI, spec §1.3) and the event bindings of the builder's tests
// with the `events` text spec §4 says each lists. Test side.
import { SYNC_MARKER_PREFIX } from '../../electron/host/session/commandLine';

/** Console input a user (or a hostile page) might send. */
export const HOSTILE_CONSOLE_INPUT: readonly string[] = [
  '',
  ' ',
  '   \t ',
  '\r',
  '\n',
  '\r\n',
  'g\n',
  'g\r',
  '\ng',
  'events\r\nevents',
  'events\n\n',
  'lm\u2028g',
  'lm\u2029g',
  'lm\u0085g',
  'pause\x03',
  '\x03',
  '\x1b[A',
  'g\x1b',
  'events\x00',
  'events\x7f',
  'events\t',
  '!syscall script {',
  '!syscall script { printf("x"); ',
  '!syscall script {printf("}");',
  '"unterminated',
  '!epthook nt!Foo script {printf("\\"");',
  '{',
  '{{}',
  `${SYNC_MARKER_PREFIX}0001`,
  `events ${SYNC_MARKER_PREFIX.toUpperCase()}9`,
  'a'.repeat(60_001),
  'ok\ud800',
  '\udc00ok',
];

/** An accepted binding, the line the builder makes of it, and what `events` lists (spec §4). */
export interface RoundTrip {
  readonly mode: 'vmi' | 'debugger';
  readonly binding: Readonly<Record<string, unknown>>;
  readonly line: string;
  /** Tokens joined by spaces with a trailing space, braces and quotes gone, cut at 70 + `...`. */
  readonly listed: string;
}

const S = 'print($context);';

/**
 * The accepted bindings of the builder's tests (test/unit/hyperdbg/commandBuilder.test.ts), with
 * addresses moved to symbols the simulated guest has (nt!NtCreateFile) and output sinks left
 * out (they need `output create` first, spec §6.4). Listing texts written by hand from §4.
 */
export const ROUND_TRIP_BINDINGS: readonly RoundTrip[] = [
  {
    mode: 'vmi',
    binding: { kind: '!syscall', args: ['55'], pid: '4', buffer: '18', code: '65488B042588010000' },
    line: '!syscall 55 pid 4 buffer 18 code {65488B042588010000}',
    listed: '!syscall 55 pid 4 buffer 18 code 65488B042588010000 ',
  },
  {
    mode: 'vmi',
    binding: {
      kind: '!epthook2',
      args: ['nt!NtCreateFile'],
      code: '488B5A404881FB484442477402EB0848C7424048444232C3',
    },
    line: '!epthook2 nt!NtCreateFile code {488B5A404881FB484442477402EB0848C7424048444232C3}',
    listed: '!epthook2 nt!NtCreateFile code 488B5A404881FB484442477402EB0848C742404...',
  },
  {
    mode: 'vmi',
    binding: {
      kind: '!syscall',
      script:
        'printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, f, dq($pname), dq($pname+8));',
    },
    line: '!syscall script {printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, f, dq($pname), dq($pname+8));}',
    listed: '!syscall script printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $...',
  },
  {
    mode: 'vmi',
    binding: {
      kind: '!syscall',
      args: ['55'],
      buffer: '18',
      script:
        'printf("HDBG1 %x %x %llx %x %llx %llx %llx\\n", $event_id, $core, $context, 18, dq($buffer), dq($buffer+8), dq($buffer+10));',
    },
    line: '!syscall 55 buffer 18 script {printf("HDBG1 %x %x %llx %x %llx %llx %llx\\n", $event_id, $core, $context, 18, dq($buffer), dq($buffer+8), dq($buffer+10));}',
    listed: '!syscall 55 buffer 18 script printf("HDBG1 %x %x %llx %x %llx %llx %ll...',
  },
  {
    mode: 'vmi',
    binding: {
      kind: '!syscall',
      args: ['55'],
      script: [
        '// report the syscall',
        'printf("pid %x\\n", $pid); /* who */',
        'if ($context == 55) {',
        '\tprintf("hit\\n");   // the one we want',
        '}',
        '',
      ].join('\r\n'),
    },
    line: '!syscall 55 script {printf("pid %x\\n", $pid); if ($context == 55) { printf("hit\\n"); }}',
    listed: '!syscall 55 script printf("pid %x\\n", $pid); if ($context == 55) { pri...',
  },
  {
    mode: 'vmi',
    binding: {
      kind: '!monitor',
      args: ['rw', 'nt!NtCreateFile', 'l', '1000'],
      script: 'printf("read/write occurred at the virtual address: %llx\\n", $context);',
    },
    line: '!monitor rw nt!NtCreateFile l 1000 script {printf("read/write occurred at the virtual address: %llx\\n", $context);}',
    listed: '!monitor rw nt!NtCreateFile l 1000 script printf("read/write occurred ...',
  },
  {
    mode: 'vmi',
    binding: {
      kind: '!cpuid',
      args: ['0x1'],
      pid: 'all',
      core: '0x2',
      stage: 'post',
      sc: 'off',
      imm: 'yes',
      buffer: '0x3E7',
      condition: '4831C0',
      code: '90',
      script: S,
    },
    line: '!cpuid 1 pid all core 2 stage post sc off imm yes buffer 3e7 condition {4831C0} code {90} script {print($context);}',
    listed: '!cpuid 1 pid all core 2 stage post sc off imm yes buffer 3e7 condition...',
  },
  ...(
    [
      [{ kind: '!msrread', args: ['0xC0000082'], pid: '0004' }, '!msrread c0000082 pid 4'],
      [{ kind: '!syscall2', args: ['33'] }, '!syscall2 33'],
      [{ kind: '!sysret' }, '!sysret'],
      [{ kind: '!epthook', args: ['nt!NtCreateFile+0x10'] }, '!epthook nt!NtCreateFile+0x10'],
      [{ kind: '!msrwrite' }, '!msrwrite'],
      [{ kind: '!exception', args: ['e'] }, '!exception e'],
      [{ kind: '!interrupt', args: ['2f'] }, '!interrupt 2f'],
      [{ kind: '!ioin', args: ['60'] }, '!ioin 60'],
      [{ kind: '!ioout', args: ['0x3f8'] }, '!ioout 3f8'],
      [{ kind: '!tsc' }, '!tsc'],
      [{ kind: '!pmc' }, '!pmc'],
      [{ kind: '!dr' }, '!dr'],
      [{ kind: '!vmcall' }, '!vmcall'],
      [{ kind: '!crwrite', args: ['4', 'ffff'] }, '!crwrite 4 ffff'],
      [{ kind: '!xsetbv', args: ['0'] }, '!xsetbv 0'],
    ] as const
  ).map(([b, head]): RoundTrip => ({
    mode: 'vmi',
    binding: { ...b, script: S },
    line: `${head} script {${S}}`,
    listed: `${head} script ${S} `,
  })),
  { mode: 'debugger', binding: { kind: '!sysret2' }, line: '!sysret2', listed: '!sysret2 ' },
  {
    mode: 'debugger',
    binding: { kind: '!epthook', args: ['nt!NtCreateFile'], stage: 'pre' },
    line: '!epthook nt!NtCreateFile stage pre',
    listed: '!epthook nt!NtCreateFile stage pre ',
  },
  {
    mode: 'debugger',
    binding: { kind: '!mode', args: ['ku'], pid: '1a4' },
    line: '!mode ku pid 1a4',
    listed: '!mode ku pid 1a4 ',
  },
  {
    mode: 'debugger',
    binding: { kind: '!trace', args: ['instrument-step'] },
    line: '!trace instrument-step',
    listed: '!trace instrument-step ',
  },
  {
    mode: 'debugger',
    binding: { kind: '!trace', args: ['Step-Out'] },
    line: '!trace step-out',
    listed: '!trace step-out ',
  },
  {
    mode: 'debugger',
    binding: {
      kind: '!monitor',
      args: ['wx', 'nt!NtCreateFile', 'nt!NtCreateFile+0x20'],
      core: '2',
    },
    line: '!monitor wx nt!NtCreateFile nt!NtCreateFile+0x20 core 2',
    listed: '!monitor wx nt!NtCreateFile nt!NtCreateFile+0x20 core 2 ',
  },
  {
    mode: 'debugger',
    binding: { kind: '!syscall', args: ['55'], script: S },
    line: `!syscall 55 script {${S}}`,
    listed: `!syscall 55 script ${S} `,
  },
];
