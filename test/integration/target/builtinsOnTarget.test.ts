// The built-in actions on real simulated targets through the target service: structure fields
// resolved from the target's symbols (dt) or the known-builds table with their origin, each
// built-in's derived log form (RecordPayload) producing exactly the records its code form
// produces on the same guest, an unknown build refused with a clear message, and a dry run of
// each built-in through the real `sim --dry-run-server`.
import { SEQUENCE_BUFFER_BYTES } from '../../../shared/hyperdbg/recordScript';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleAction } from '../../../electron/host/asm/asmService';
import { findBuiltinsDir, loadBuiltins } from '../../../electron/host/library/builtins';
import type { IngestedRecord } from '../../../electron/host/log/sink';
import { loadKnownBuilds } from '../../../electron/host/target/knownBuildsFile';
import { SimulatorDryRun } from '../../../electron/host/target/simulatorDryRun';
import { TargetService } from '../../../electron/host/target/targetService';
import type { ResolvedAction } from '../../../shared/contract/target';
import type { Action } from '../../../shared/model/action';
import { decodeRecord } from '../../../shared/model/bufferSchemaDecode';
import type { EventBinding } from '../../../shared/model/eventBinding';
import { createHarness, eventually, simProfile, type Harness } from '../../helpers/sessionHarness';
import { distDir } from '../../helpers/paths';

let actions: Action[];
const byKey = (key: string): Action => {
  const a = actions.find((x) => x.builtin?.key === key);
  if (a === undefined) throw new Error(`no built-in ${key}`);
  return a;
};

beforeAll(async () => {
  const defs = await loadBuiltins(findBuiltinsDir() as string, (source, role, ctx) =>
    assembleAction(source, {
      role,
      eventKind: ctx.eventKind,
      bufferSize: ctx.bufferSize,
      target: 'auto',
    }),
  );
  actions = defs.map(
    (d) =>
      ({
        ...d.content,
        id: d.id ?? d.key,
        version: 1,
        createdAt: 0,
        updatedAt: 0,
        builtin: { key: d.key, revision: d.revision },
      }) as Action,
  );
});

/** A target service over a harness's session, with the built-ins as its library. */
function serviceFor(
  h: Harness,
  dryRun = new SimulatorDryRun({ simulatorEntry: join(distDir, 'sim/index.mjs') }),
) {
  return new TargetService({
    session: {
      state: () => h.service.getState(),
      command: (line, timeoutMs) => h.service.command(line, timeoutMs),
      detectBuild: () => h.service.detectBuild(),
    },
    library: {
      get: async (id) => {
        const a = actions.find((x) => x.id === id);
        if (a === undefined) throw new Error(`no action ${id}`);
        return a;
      },
    },
    table: loadKnownBuilds(),
    dryRun,
  });
}

async function connected(osBuild: number, extra: { symbols?: 'none'; stock?: boolean } = {}) {
  const h = createHarness({}, { detectBuild: true });
  await h.service.connect(
    simProfile('local', { seed: 12, pacing: 'fast', cores: 1, rate: 3000, osBuild, ...extra }),
  );
  await eventually(() => h.service.getState().windowsBuild.state === 'known', 15_000, 'the build');
  return h;
}

describe('structure fields resolved for the target', () => {
  let h: Harness;
  afterAll(async () => h?.dispose());

  it('1909: ImageFileName from the symbols (dt nt!_EPROCESS), KTHREAD from the table (no _KTHREAD in its PDB)', async () => {
    h = await connected(18363);
    const t = serviceFor(h);
    const r = await t.resolveAction(byKey('current-process-image-file-name').id);
    expect(r.build).toBe(18363);
    expect(r.code?.bytesHex).toBe('65488B042588010000488B80B8000000480550040000C3');
    const origin = (p: string) => r.code?.fields.find((f) => f.path === p);
    expect(origin('EPROCESS.ImageFileName')).toMatchObject({
      value: 0x450,
      origin: 'symbols',
      originText: 'symbols: dt nt!_EPROCESS',
    });
    expect(origin('KTHREAD.ApcState.Process')).toMatchObject({ value: 0xb8, origin: 'table' });
    expect(origin('KTHREAD.ApcState.Process')?.originText).toMatch(
      /^table: Windows 10 1909 \(build 18363\), Vergilius Project/,
    );
    await t.dispose();
  });
});

describe('an unknown build', () => {
  it('is refused with a message naming the build, the field and what to do', async () => {
    const h = await connected(20000, { symbols: 'none' });
    try {
      const t = serviceFor(h);
      const r = await t.resolveAction(byKey('current-process-image-file-name').id);
      expect(r.build).toBe(20000);
      expect(r.code?.bytesHex).toBeNull();
      const all = r.code?.errors.join('\n') ?? '';
      expect(all).toMatch(/build 20000 is not in the table of known Windows builds/);
      expect(all).toMatch(/hyperdbg-cli has no symbol path/);
      expect(all).toMatch(/load the target's symbols \(\.sym reload\) or use a known build/);
      // A built-in without structure fields still binds there.
      const plain = await t.resolveAction(byKey('caller-return-address').id);
      expect(plain.code?.bytesHex).toBe('488B4220488B004889014C8941084889C8C3');
      await t.dispose();
    } finally {
      await h.dispose();
    }
  });

  it('resolves from the symbols when they have the field (24H2: the table, 19041: dt for KTHREAD too)', async () => {
    const h = await connected(19041);
    try {
      const t = serviceFor(h);
      const r = await t.resolveAction(byKey('current-process-image-file-name').id);
      expect(r.code?.fields.find((f) => f.path === 'KTHREAD.ApcState.Process')).toMatchObject({
        value: 0xb8,
        origin: 'symbols',
        originText: 'symbols: dt nt!_KTHREAD, dt nt!_KAPC_STATE',
      });
      await t.dispose();
    } finally {
      await h.dispose();
    }
  });
});

/** Records of one event, decoded with the action's schema: the `display` of each field. */
function decoded(records: readonly IngestedRecord[], eventId: number, a: Action): string[][] {
  if (a.kind !== 'code') throw new Error('not code');
  return records
    .filter((r) => r.record.eventId === eventId)
    .map((r) =>
      decodeRecord(a.bufferSchema, r.record.bytes).fields.map((f) => `${f.name}=${f.display}`),
    );
}

describe('the derived log form of each built-in records what its code records', () => {
  const CASES: readonly {
    key: string;
    kind: EventBinding['kind'];
    args?: string[];
    words: string[];
  }[] = [
    {
      key: 'current-process-image-file-name',
      kind: '!syscall',
      words: ['dq($proc+0x5a8)', 'dq($proc+0x5b0)'],
    },
    {
      key: 'current-process-id-and-syscall',
      kind: '!syscall',
      words: ['dq($proc+0x440)', '$context'],
    },
    {
      key: 'caller-return-address',
      kind: '!epthook',
      args: ['nt!ExAllocatePoolWithTag'],
      words: ['dq(@rsp)', '$context'],
    },
    {
      key: 'pool-tag-and-size',
      kind: '!epthook2',
      args: ['nt!ExAllocatePoolWithTag'],
      words: ['((@r8 & 0xffffffff) | ((@rcx & 0xffffffff) << 0x20))', '@rdx'],
    },
  ];
  let h: Harness;
  let t: TargetService;
  const resolved = new Map<string, ResolvedAction>();
  const ids = new Map<string, { code: number; script: number }>();
  let records: IngestedRecord[] = [];

  beforeAll(async () => {
    h = await connected(19041);
    t = serviceFor(h);
    for (const c of CASES) {
      const a = byKey(c.key);
      if (a.kind !== 'code') throw new Error('not code');
      const r = await t.resolveAction(a.id);
      resolved.set(c.key, r);
      if (r.logForm?.payload == null || r.code?.bytesHex == null) continue;
      const base = { kind: c.kind, ...(c.args !== undefined ? { args: c.args } : {}) };
      const code = await h.service.applyEvent({
        ...base,
        buffer: a.bufferSize.toString(16),
        code: r.code.bytesHex,
      });
      // The log form counts its records per core in its own buffer (buffer-records.md §2a).
      const script = await h.service.applyEvent({
        ...base,
        buffer: SEQUENCE_BUFFER_BYTES.toString(16),
        script: r.logForm.script,
      });
      ids.set(c.key, { code: parseInt(code.id, 16), script: parseInt(script.id, 16) });
    }
    // Start every event on the same occurrence: off, then on again in one command.
    await h.service.setEventState('all', 'disable');
    // Records printed before the disable reach the sink in the forwarder's next batch (~16 ms).
    await new Promise((r) => setTimeout(r, 300));
    const from = h.sink.allRecords.length;
    await h.service.setEventState('all', 'enable');
    const count = (id: number) =>
      h.sink.allRecords.slice(from).filter((r) => r.record.eventId === id).length;
    await eventually(
      () =>
        CASES.every((c) => {
          const e = ids.get(c.key);
          return e !== undefined && count(e.script) >= 25 && count(e.code) >= 25;
        }),
      30_000,
      '25 records of every code and script form',
    );
    await h.service.setEventState('all', 'disable');
    // What was printed before the disable reaches the sink in the forwarder's next batch.
    await new Promise((r) => setTimeout(r, 300));
    records = h.sink.allRecords.slice(from);
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
    await h?.dispose();
  });

  it.each(CASES.map((c) => [c.key, c] as const))('%s', (key, c) => {
    const r = resolved.get(key);
    const form = r?.logForm;
    if (form === null || form === undefined || form.payload === null)
      throw new Error(`no log form: ${JSON.stringify(form)}`);
    expect(form.payload).toMatchObject({ origin: 'derived', words: c.words });
    const e = ids.get(key);
    if (e === undefined) throw new Error('not bound');
    const a = byKey(key);
    const fromCode = decoded(records, e.code, a);
    const fromScript = decoded(records, e.script, a);
    const n = Math.min(fromCode.length, fromScript.length);
    expect(n).toBeGreaterThanOrEqual(25);
    // Every trigger ran both events: the i-th record of each carries the same decoded values.
    expect(fromScript.slice(0, n)).toEqual(fromCode.slice(0, n));
    // And they are real values, not blanks.
    expect(new Set(fromCode.slice(0, n).map((x) => x.join())).size).toBeGreaterThan(1);
  });

  it('says why the per-core counter and the pool-tag rewrite have none', async () => {
    const counter = await t.resolveAction(byKey('per-core-event-counter').id);
    expect(counter.logForm).toMatchObject({ payload: null });
    expect(counter.logForm?.payload === null && counter.logForm.reason).toMatch(
      /branches on a condition/,
    );
    const rewrite = await t.resolveAction(byKey('pool-tag-hdbg-to-hdb2').id);
    expect(rewrite.logForm?.payload === null && rewrite.logForm.reason).toMatch(
      /requests no buffer/,
    );
  });
});
