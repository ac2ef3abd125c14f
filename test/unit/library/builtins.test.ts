// The shipped built-in actions: every file passes the import checks (bytes are their source), the
// seed's two examples keep the seed's bytes, each says which Windows builds it fits, and the
// code ones lint clean for the targets they are meant for.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleAction } from '../../../electron/host/asm/asmService';
import { findBuiltinsDir, loadBuiltins } from '../../../electron/host/library/builtins';
import type { AssembleFn } from '../../../electron/host/library/exchange';
import type { BuiltinDefinition } from '../../../electron/host/store/actions';
import type { ActionContent } from '../../../shared/model/action';
import { repoRoot } from '../../helpers/paths';

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
      'current-process-image-file-name',
      'current-process-image-file-name-19041',
      'current-process-image-file-name-log',
      'per-core-event-counter',
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
    const image = byKey('current-process-image-file-name');
    expect(image).toMatchObject({
      kind: 'code',
      eventKinds: ['!syscall'],
      bufferSize: 0x18,
      bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
      code: { bytesHex: '65488B042588010000488B80B8000000480550040000C3' },
    });
  });

  it('say which Windows builds their offsets fit (ImageFileName +0x450 to 1909, +0x5a8 from 19041)', () => {
    for (const b of builtins)
      if (b.content.kind !== 'break') expect(b.content.windowsBuilds?.note).not.toBe('');
    expect(byKey('current-process-image-file-name').windowsBuilds).toMatchObject({
      maxBuild: 18363,
    });
    const later = byKey('current-process-image-file-name-19041');
    expect(later.windowsBuilds).toMatchObject({ minBuild: 19041, maxBuild: null });
    expect(later.kind === 'code' && later.code.source).toContain('0x5a8');
  });

  it("has the stock-build log twin print buffer-records.md §2's record line", () => {
    const log = byKey('current-process-image-file-name-log');
    expect(log).toMatchObject({
      kind: 'log',
      script:
        'printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, f, dq($pname), dq($pname+8));',
      bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
    });
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
