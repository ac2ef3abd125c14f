// What the connected target does with custom code (buffer-records.md §1): returned buffers come
// back as HDBG1 records from the simulator (banner `-sim`) or a build the profile marks patched;
// a stock build ignores custom code's RAX (spec §5.2) and v0.18-v0.23 probably run it from NX
// memory (spec §5.6). Notices say so in words. Host side; pure logic.
import type { SessionCapability } from '../../../shared/contract/session';
import type { EventBinding } from '../../../shared/model/eventBinding';
import type { TargetCapability } from '../../../shared/model/actionTarget';

/** Stock versions whose custom code and conditions are allocated as NX pool (spec §5.6). */
const NX_FIRST_MINOR = 18;
const NX_LAST_MINOR = 23;

export const NOTICE_STOCK_NO_BUFFERS =
  'This is a stock HyperDbg build: custom code runs but its returned buffer never comes back (docs/hyperdbg-v0.23.md §5.2, docs/buffer-records.md §1). Records come only from script log actions (script { printf("HDBG2 ...") }, docs/buffer-records.md §2a).';
export const NOTICE_NX_CODE =
  'Stock HyperDbg v0.18-v0.23 probably places custom code and conditions in non-executable memory (docs/hyperdbg-v0.23.md §5.6): a code {} or condition {} event may fault or crash the target. Try it on a VM first, or use script actions.';

/** `v0.23.0` -> [0, 23]; null for anything else. */
function versionNumbers(version: string): [number, number] | null {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return m === null ? null : [Number(m[1]), Number(m[2])];
}

export function detectCapability(
  banner: { readonly version: string } | null,
  bannerIsSimulator: boolean,
  profile: TargetCapability,
): SessionCapability {
  const capability: Exclude<TargetCapability, 'auto'> =
    profile !== 'auto' ? profile : bannerIsSimulator ? 'sim' : 'stock';
  const v = banner === null ? null : versionNumbers(banner.version);
  const nxRange = v !== null && v[0] === 0 && v[1] >= NX_FIRST_MINOR && v[1] <= NX_LAST_MINOR;
  return {
    returnsBuffers: capability !== 'stock',
    // An unknown stock version is treated as the risky one: the spec found nothing newer.
    customCodeMayFault: capability === 'stock' && (v === null || nxRange),
    source: profile === 'auto' ? 'banner' : 'profile',
    capability,
  };
}

export function capabilityNotices(c: SessionCapability): string[] {
  const out: string[] = [];
  if (!c.returnsBuffers) out.push(NOTICE_STOCK_NO_BUFFERS);
  if (c.customCodeMayFault) out.push(NOTICE_NX_CODE);
  return out;
}

/** Whether an event made from `binding` can produce records on this target. */
export function bindingPrintsRecords(binding: EventBinding, c: SessionCapability | null): boolean {
  if (binding.script !== undefined) return true;
  return binding.code !== undefined && binding.buffer !== undefined && (c?.returnsBuffers ?? false);
}

/** A notice for a binding whose custom-code buffer can never come back, or null. */
export function bindingNotice(binding: EventBinding, c: SessionCapability | null): string | null {
  if (c === null || c.returnsBuffers) return null;
  if (binding.code !== undefined && binding.buffer !== undefined && binding.script === undefined)
    return `${binding.kind} with custom code and a buffer: on this stock build the buffer can never come back, so this event will produce no records (docs/hyperdbg-v0.23.md §5.2). Add a script log action for records.`;
  return null;
}
