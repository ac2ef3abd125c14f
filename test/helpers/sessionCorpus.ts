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
