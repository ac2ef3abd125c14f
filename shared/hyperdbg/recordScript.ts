// Today's log form of a record payload: one script that prints one HDBG1 record line per trigger
// (`HDBG1 <event> <core> <context> <length> <words...>`, lower-case hex, words unpadded; the
// record-line format shared/hyperdbg/recordLine.ts reads). The delivery strategies (sequence numbers,
// batches, counts in the target) will generate their own scripts from the same payload. Pure.
import { RECORD_PREFIX } from '../model/record';
import type { RecordPayload } from '../model/recordPayload';

/**
 * The script body for `script { ... }`: `$event_id`, `$core`, `$context` then the length and the
 * words. v0.23's printf takes no widths (`%02x` is a syntax error in script-engine.c), which HDBG1's unpadded hex needs
 * none of. The payload's expressions were checked to stay one printf argument each.
 */
export function payloadToRecordScript(payload: RecordPayload): string {
  const formats = ['%x', '%x', '%llx', '%x', ...payload.words.map(() => '%llx')].join(' ');
  const args = [
    '$event_id',
    '$core',
    '$context',
    `0x${payload.length.toString(16)}`,
    ...payload.words,
  ].join(', ');
  return `printf("${RECORD_PREFIX}${formats}\\n", ${args});`;
}
