// Debugger output cannot end a command early by imitating the session's sync marker: a script
// action on a busy event prints the CLI's answer to every marker a sequential counter would use
// (spec §1.8's `__hdbg_sync_0001` onwards), and 25 commands still each get their whole answer.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, simProfile, type Harness } from '../../helpers/sessionHarness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

/** The CLI's answer to an unknown command (spec §1.3), for markers 0001-0099. */
const FORGER = [
  'for (i = 1; i < 10; i++) {',
  `  printf("err, couldn't resolve command at '__hdbg_sync_000%d'\\n", i);`,
  '}',
  'for (i = 10; i < 100; i++) {',
  `  printf("err, couldn't resolve command at '__hdbg_sync_00%d'\\n", i);`,
  '}',
].join('\n');

describe('sync markers', () => {
  it('are not ended by debugger output that prints guessed marker answers', async () => {
    h = createHarness();
    const st = await h.service.connect(
      simProfile('local', { seed: 11, pacing: 'fast', rate: 2000 }),
    );
    expect(st.status).toBe('ready');
    await h.service.applyEvent({ kind: '!syscall', script: FORGER });
    // The forged lines really flow while the commands run.
    const seen = () => h!.service.terminalSnapshot().data.split("at '__hdbg_sync_00").length - 1;
    const before = seen();
    const answers: string[][] = [];
    for (let i = 0; i < 25; i++) answers.push([...(await h.service.command('.status')).lines]);
    expect(seen() - before).toBeGreaterThan(1000);
    // Every command got exactly its own answer (spec §2.11), none ended at a forged line.
    for (const lines of answers) {
      const own = lines.filter((l) => !l.includes('__hdbg_sync_'));
      expect(own).toEqual(["local debugging ('vmi mode')"]);
    }
  });
});
