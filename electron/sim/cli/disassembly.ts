// The lines the debugger prints when a Debugger-Mode debuggee stops (spec §2.7): an optional
// "nt!Name+0x1c:" symbol line, then "<hi8>`<lo8>   " + " %02X" per instruction byte, padded with
// three spaces per byte up to 12 bytes, + " <mnemonic>\n" (HyperDbgDisassembler64). Simulator side.
import type { WindowsGuest } from '../emulator/windowsGuest';

/** The disassembler pads every instruction's bytes to this many (PaddingLength in disassembler.cpp). */
const BYTE_COLUMNS = 12;

/** SeparateTo64BitValue: 16 hex digits with a backtick after the eighth. */
export function separate64(v: bigint): string {
  const s = v.toString(16).padStart(16, '0');
  return `${s.slice(0, 8)}\`${s.slice(8)}`;
}

export function disassemblyLines(
  guest: WindowsGuest,
  rip: bigint,
  describe: (address: bigint) => string | null,
): string {
  const ins = guest.knownInstruction(rip);
  // Zydis fails on bytes it cannot decode and the CLI then prints no line at all.
  if (ins === null) return '';
  let out = '';
  const symbol = describe(rip);
  if (symbol !== null) out += `${symbol}:\n`;
  out += `${separate64(rip)}   `;
  for (const b of ins.bytes) out += ` ${b.toString(16).toUpperCase().padStart(2, '0')}`;
  out += '   '.repeat(Math.max(0, BYTE_COLUMNS - ins.bytes.length));
  return `${out} ${ins.text}\n`;
}
