// One record as the JSON line `parse` writes for it (itemJson.ts: type, eventId, core, context,
// length as hex strings, bytes as one hex string), built directly: every value is a hex string,
// so there is nothing to escape, and `capture` writes 100,000+ of them per second. Pure.
import { bytesToHex, type HdbgRecord } from '../../../shared/model/record';

export function recordJsonLine(r: HdbgRecord): string {
  return `{"type":"record","eventId":"${r.eventId.toString(16)}","core":"${r.core.toString(16)}","context":"${r.context.toString(16)}","length":"${r.length.toString(16)}","bytes":"${bytesToHex(r.bytes)}"}\n`;
}
