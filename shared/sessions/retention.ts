// The retention policy's rule: which sessions go when the user keeps the last N sessions, the
// last N days and/or a total size. Protected sessions (the running one, open ones, files that
// are not readable sessions) are never chosen, but still count towards the limits. Pure.
import type { RetentionPolicy } from '../contract/sessions';

export const NO_RETENTION: RetentionPolicy = {
  keepSessions: null,
  keepDays: null,
  maxTotalMiB: null,
};

const DAY_MS = 24 * 60 * 60 * 1000;
const MIB = 1024 * 1024;

export interface RetentionCandidate {
  readonly id: string;
  /** When the session's document was made (ms); null sorts as newest (kept when unsure). */
  readonly createdAt: number | null;
  readonly sizeBytes: number;
  /** Why it must be kept whatever the policy says, or null. */
  readonly protectedBy: string | null;
}

export interface RetentionVictim {
  readonly id: string;
  readonly reason: string;
}

export function isNoRetention(p: RetentionPolicy): boolean {
  return p.keepSessions === null && p.keepDays === null && p.maxTotalMiB === null;
}

/** Sessions the policy removes, oldest first, each with the limit it exceeds. */
export function retentionVictims(
  candidates: readonly RetentionCandidate[],
  policy: RetentionPolicy,
  nowMs: number,
): RetentionVictim[] {
  const newestFirst = [...candidates].sort(
    (a, b) => (b.createdAt ?? Infinity) - (a.createdAt ?? Infinity) || (a.id < b.id ? 1 : -1),
  );
  const victims = new Map<string, string>();
  if (policy.keepSessions !== null)
    newestFirst.slice(policy.keepSessions).forEach((c) => {
      if (c.protectedBy === null)
        victims.set(c.id, `beyond the newest ${policy.keepSessions} sessions`);
    });
  if (policy.keepDays !== null) {
    const cutoff = nowMs - policy.keepDays * DAY_MS;
    for (const c of newestFirst)
      if (
        c.protectedBy === null &&
        c.createdAt !== null &&
        c.createdAt < cutoff &&
        !victims.has(c.id)
      )
        victims.set(c.id, `older than ${policy.keepDays} days`);
  }
  if (policy.maxTotalMiB !== null) {
    const cap = policy.maxTotalMiB * MIB;
    let total = newestFirst.reduce((n, c) => n + (victims.has(c.id) ? 0 : c.sizeBytes), 0);
    for (let i = newestFirst.length - 1; i >= 0 && total > cap; i--) {
      const c = newestFirst[i] as RetentionCandidate;
      if (c.protectedBy !== null || victims.has(c.id)) continue;
      victims.set(c.id, `over the ${policy.maxTotalMiB} MiB total`);
      total -= c.sizeBytes;
    }
  }
  return [...newestFirst]
    .reverse()
    .filter((c) => victims.has(c.id))
    .map((c) => ({ id: c.id, reason: victims.get(c.id) as string }));
}
