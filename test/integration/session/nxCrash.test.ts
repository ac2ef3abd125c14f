// Custom code on a stock target (`sim --stock`, docs/hyperdbg-v0.23.md §5.6) through the real
// session engine: refused without the user's confirmation (also typed in the console), and once
// confirmed, the crash explained: local VMI's CLI ends with the bug check's status 252 and the
// session is lost with the cause named and every record kept; in Debugger Mode the debuggee
// goes silent and the failed pause says why.
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/result';
import type { EventBinding } from '../../../shared/model/eventBinding';
import { createHarness, eventually, simProfile, type Harness } from '../../helpers/sessionHarness';

const SEED_CODE = '65488B042588010000488B80B8000000480550040000C3';
const CODE: EventBinding = { kind: '!syscall', buffer: '18', code: SEED_CODE };
const LOG: EventBinding = {
  kind: '!syscall',
  script: 'printf("HDBG1 %x %x %llx 8 %llx\\n", $event_id, $core, $context, $pid);',
};

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => new Error('expected a rejection'),
    (x: unknown) => x,
  );
  if (!(e instanceof AppError)) throw e;
  return e;
}

describe('custom code on a stock v0.23 target', () => {
  it('local VMI: refused without confirmation; confirmed, the bug check loses the session, named, records kept', async () => {
    h = createHarness();
    const s = await h.service.connect(
      simProfile('local', { seed: 21, pacing: 'fast', rate: 3000, stock: true }),
    );
    expect(s.capability).toMatchObject({ customCodeMayFault: true, capability: 'stock' });

    const refused = await rejection(h.service.applyEvent(CODE));
    expect(refused.code).toBe('needs-confirmation');
    expect(refused.field).toBe('acceptNxCrash');
    // What happens, why (the allocation of §5.6), which machine, and the alternative.
    expect(refused.message).toMatch(/bug check 0xFC ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY/);
    expect(refused.message).toMatch(
      /ExAllocatePool2\(POOL_FLAG_NON_PAGED\), which is non-executable/,
    );
    expect(refused.message).toMatch(/docs\/hyperdbg-v0\.23\.md §5\.6/);
    expect(refused.message).toMatch(/the target is this machine/);
    expect(refused.message).toMatch(/Use a log action instead/);
    const condition = await rejection(h.service.applyEvent({ ...LOG, condition: '4831C0' }));
    expect(condition.code).toBe('needs-confirmation');
    // The console is no way around it.
    const typed = await rejection(h.service.command(`!syscall code {${SEED_CODE}}`));
    expect(typed.code).toBe('needs-confirmation');
    expect(h.service.listEvents()).toEqual([]);
    expect(h.service.getState().status).toBe('ready');

    await h.service.applyEvent(LOG);
    await eventually(() => h!.sink.allRecords.length >= 20, 10_000, 'log records');
    const before = h.sink.allRecords.length;

    // Confirmed: the first syscall runs the code from NX pool; the machine of the CLI goes down.
    await h.service.applyEvent(CODE, undefined, { acceptNxCrash: true }).catch(() => undefined);
    await eventually(() => h!.service.getState().status === 'lost', 10_000, 'the lost state');
    const lost = h.service.getState();
    expect(lost.exit?.code).toBe(252);
    expect(lost.error).toMatch(
      /^the target bug-checked with 0xFC ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY right after event 1 with custom code triggered: .*docs\/hyperdbg-v0\.23\.md §5\.6/,
    );
    expect(lost.error).toMatch(/everything it printed is kept/);
    expect(h.sink.allRecords.length).toBeGreaterThanOrEqual(before);
    expect(h.sink.ended).toEqual([expect.objectContaining({ generation: 1 })]);
  });

  it('Debugger Mode: the debuggee goes silent; the pause that gets no answer names the likely cause', async () => {
    h = createHarness({ pauseMs: 1_500 });
    await h.service.connect(
      simProfile('namedPipe', { seed: 22, pacing: 'fast', rate: 3000, stock: true }),
    );
    // No buffer: Debugger Mode would need `prealloc` for one (§3.5).
    const ev = await h.service.applyEvent({ kind: '!syscall', code: '90' }, undefined, {
      acceptNxCrash: true,
    });
    expect(ev.id).toBe('0');
    expect(h.service.getState().debuggee).toBe('running');
    // The workload triggers the event within moments (thousands of syscalls per second).
    await new Promise((r) => setTimeout(r, 800));
    const e = await rejection(h.service.pause());
    expect(e.message).toMatch(
      /^the debuggee stopped answering after event 0 with custom code was applied: it most likely bug-checked with 0xFC ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY/,
    );
    const s = h.service.getState();
    expect(s.status).toBe('lost');
    expect(s.error).toBe(e.message);
    // The debugger process stays, as a real one would: the user ends it.
    expect(h.service.runStats()?.endedAt).toBeNull();
    const d = await h.service.disconnect();
    expect(d.status).toBe('disconnected');
  });
});
