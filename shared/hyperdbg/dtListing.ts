// Reads `dt nt!_TYPE`'s answer: pdbex's offset view with HyperDbg's default options (a root line
// ` _EPROCESS`, then one `  +0x0450 uint8_t ImageFileName[15]` line per member, bitfields with
// `, Pos N, M Bit(s)`), as dt-struct.cpp prints it. The app resolves structure fields from it. Pure.

export interface DtMember {
  readonly offset: number;
  /** The type as printed (`uint8_t`, `_KAPC_STATE`, `_LIST_ENTRY*`). */
  readonly type: string;
  readonly name: string;
  /** A structure held by value (`_KAPC_STATE`), whose own members a path may continue into. */
  readonly udt: string | null;
  readonly bitfield: boolean;
}

export interface DtStruct {
  readonly name: string;
  readonly members: readonly DtMember[];
}

const ROOT = /^ (_[A-Za-z0-9_]+)\s*$/;
const MEMBER =
  /^\s+\+0x([0-9a-f]{1,8}) (.+?) ([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)(, Pos \d+, \d+ Bits?)?(?: : .*)?$/;

/** The structure in `lines`, or null when they hold none (`Symbol not found`, an error). */
export function parseDtListing(lines: readonly string[]): DtStruct | null {
  let name: string | null = null;
  const members: DtMember[] = [];
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (name === null) {
      const r = ROOT.exec(line);
      if (r !== null) name = r[1] as string;
      continue;
    }
    const m = MEMBER.exec(line);
    if (m === null) continue;
    const type = m[2] as string;
    const bare = type.replace(/^(volatile |const )+/, '');
    members.push({
      offset: Number.parseInt(m[1] as string, 16),
      type,
      name: m[3] as string,
      udt: /^_[A-Za-z0-9_]+$/.test(bare) && (m[4] ?? '') === '' ? bare : null,
      bitfield: m[5] !== undefined,
    });
  }
  return name === null || members.length === 0 ? null : { name, members };
}
