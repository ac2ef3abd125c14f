// The shipped built-in actions: every file passes the import checks (bytes are their source), the
// seed's two examples keep the seed's bytes on the builds the seed was written for, the portable
// ones assemble for every known build with that build's offsets, each says which builds it fits,
// and the code ones lint clean for the targets they are meant for.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleAction } from '../../../electron/host/asm/asmService';
import { findBuiltinsDir, loadBuiltins } from '../../../electron/host/library/builtins';
import type { AssembleFn } from '../../../electron/host/library/exchange';
import type { BuiltinDefinition } from '../../../electron/host/store/actions';
import { loadKnownBuilds } from '../../../electron/host/target/knownBuildsFile';
import type { ActionContent } from '../../../shared/model/action';
import { tableEnvironment } from '../../../shared/model/knownBuilds';
import { repoRoot } from '../../helpers/paths';

/** Assembles a built-in's code for one known build, as binding it to that target does. */
async function bytesFor(content: ActionContent, build: number): Promise<string> {
  if (content.kind !== 'code') throw new Error('not code');
  const r = await assembleAction(content.code.source, {
    role: 'code',
    eventKind: content.eventKinds[0] ?? null,
    bufferSize: content.bufferSize,
    target: 'sim',
    fields: tableEnvironment(loadKnownBuilds(), build, 'the connected target'),
  });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.bytesHex;
}

const assemble: AssembleFn = (source, role, ctx) =>
  assembleAction(source, {
    role,
    eventKind: ctx.eventKind,
    bufferSize: ctx.bufferSize,
    target: 'auto',
  });

let builtins: BuiltinDefinition[];
beforeAll(async () => {
  builtins = await loadBuiltins(join(repoRoot, 'resources/builtins'), assemble);
});
const byKey = (key: string): ActionContent => {
  const b = builtins.find((x) => x.key === key);
  if (b === undefined) throw new Error(`no built-in ${key}`);
  return b.content;
};

describe('built-in actions', () => {
  it('are found beside the app and all load', () => {
    expect(findBuiltinsDir()).toBe(join(repoRoot, 'resources/builtins'));
    expect(builtins.map((b) => b.key).sort()).toEqual([
      'break-to-debugger',
      'caller-return-address',
      'current-process-id-and-syscall',
      'current-process-image-file-name',
      'per-core-event-counter',
      'pool-tag-and-size',
      'pool-tag-hdbg-to-hdb2',
    ]);
    for (const b of builtins) expect(b.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keep the seed document's bytes for its two examples", () => {
    const pool = byKey('pool-tag-hdbg-to-hdb2');
    expect(pool).toMatchObject({
      kind: 'code',
      eventKinds: ['!epthook2'],
      code: { bytesHex: '488B5A404881FB484442477402EB0848C7424048444232C3' },
    });
    // The seed's bytes (+0x450) are the portable action's on the 1909 build the seed targets.
    const image = byKey('current-process-image-file-name');
    expect(image).toMatchObject({
      name: 'Current process ImageFileName',
      kind: 'code',
      eventKinds: ['!syscall'],
      bufferSize: 0x18,
      bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
    });
  });

  it('resolve the ImageFileName offset per build: +0x450 to 1909, +0x5a8 to 23H2, +0x338 on 24H2', async () => {
    const image = byKey('current-process-image-file-name');
    const seed = '65488B042588010000488B80B8000000480550040000C3';
    expect(await bytesFor(image, 17763)).toBe(seed);
    expect(await bytesFor(image, 18363)).toBe(seed);
    for (const b of [19041, 19045, 22000, 22631])
      expect(await bytesFor(image, b)).toBe('65488B042588010000488B80B80000004805A8050000C3');
    expect(await bytesFor(image, 26100)).toBe('65488B042588010000488B80B8000000480538030000C3');
    // Stored bytes are the reference build's (19041): what exports and `library show` carry.
    expect(image.kind === 'code' && image.code.bytesHex).toBe(
      '65488B042588010000488B80B80000004805A8050000C3',
    );
  });

  it('every portable built-in assembles for every known build, and is the one action for all', async () => {
    const table = loadKnownBuilds();
    for (const b of builtins) {
      if (b.content.kind !== 'code') continue;
      for (const k of table.builds) await bytesFor(b.content, k.build);
    }
    expect(
      builtins.filter((b) => b.content.name.startsWith('Current process ImageFileName')),
    ).toHaveLength(1);
    expect(byKey('current-process-id-and-syscall').windowsBuilds).toMatchObject({
      minBuild: 17763,
      maxBuild: null,
    });
  });

  it('say which Windows builds their offsets fit', () => {
    for (const b of builtins)
      if (b.content.kind !== 'break') expect(b.content.windowsBuilds?.note).not.toBe('');
  });

  it('has a per-core slot example reading 16 bits of gs:[0x1a4] and bound-checking it', async () => {
    const perCore = byKey('per-core-event-counter');
    if (perCore.kind !== 'code') throw new Error('not code');
    expect(perCore.code.source).toMatch(/movzx\s+eax,\s*word ptr gs:\[0x1a4\]/);
    expect(perCore.code.source).toMatch(/cmp\s+eax,\s*8[^\n]*\n\s*jae/);
    expect(perCore.bufferSize).toBe(0x40);
    expect(perCore.bufferSchema).toHaveLength(8);
  });

  it('lint clean for a target that returns buffers', async () => {
    for (const b of builtins) {
      const c = b.content;
      if (c.kind !== 'code') continue;
      const r = await assembleAction(c.code.source, {
        role: 'code',
        eventKind: c.eventKinds[0] ?? null,
        bufferSize: c.bufferSize,
        target: 'sim',
      });
      expect(
        r.diagnostics.filter((d) => d.severity !== 'note'),
        b.key,
      ).toEqual([]);
    }
  });

  it('include a break action', () => {
    expect(byKey('break-to-debugger').kind).toBe('break');
  });
});
