// Where the sessions' retention policy is kept: a small JSON file in the data folder, read by the
// app and the headless CLI alike, checked with the contract's schema (a hand-edited or broken
// file means "keep everything" and says so), written atomically. Host side.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { retentionPolicySchema, type RetentionPolicy } from '../../../shared/contract/sessions';
import { NO_RETENTION } from '../../../shared/sessions/retention';

export const RETENTION_FILE = 'session-retention.json';
/** A policy file is a few dozen bytes; anything much larger is not ours. */
const MAX_RETENTION_FILE_BYTES = 64 * 1024;

export function retentionPath(dataDir: string): string {
  return join(dataDir, RETENTION_FILE);
}

/** The saved policy; none saved (or an unreadable file) keeps every session. */
export function readRetention(dataDir: string): RetentionPolicy {
  let text: string;
  try {
    text = readFileSync(retentionPath(dataDir), 'utf8');
  } catch {
    return NO_RETENTION;
  }
  if (text.length > MAX_RETENTION_FILE_BYTES)
    return retentionUnreadable(dataDir, 'it is too large');
  try {
    const parsed = retentionPolicySchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    return retentionUnreadable(dataDir, parsed.error.issues[0]?.message ?? 'invalid');
  } catch (e) {
    return retentionUnreadable(dataDir, e instanceof Error ? e.message : String(e));
  }
}

function retentionUnreadable(dataDir: string, why: string): RetentionPolicy {
  console.error(
    `${retentionPath(dataDir)} is not a retention policy (${why}); every session is kept until the policy is saved again`,
  );
  return NO_RETENTION;
}

export function writeRetention(dataDir: string, policy: RetentionPolicy): void {
  const file = retentionPath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(retentionPolicySchema.parse(policy), null, 2)}\n`);
  renameSync(tmp, file);
}
