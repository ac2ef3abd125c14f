// The binder's form -> binding: exact command lines for the seed's actions, one buffer shared by
// the actions, builder errors on the form field they concern, code bound with the bytes resolved
// for the target (or refused with the resolution's reason), and a code action bound as its own
// log form on a stock target (never another action's).
import { payloadToRecordScript } from '../../../shared/hyperdbg/recordScript';
import { describe, expect, it } from 'vitest';
import type { Action } from '../../../shared/model/action';
import type { ResolvedAction } from '../../../shared/contract/target';
import {
  bindingFromForm,
  emptyBinderForm,
  fieldOfCliError,
  fieldOfHostError,
  withActions,
  withKind,
  type Resolution,
} from '../../../renderer/src/events/binderForm';

const base = {
  description: '',
  tags: [],
  windowsBuilds: null,
  version: 3,
  createdAt: 0,
  updatedAt: 0,
  builtin: null,
} as const;

/** The seed's ImageFileName action (the seed, buffer-records.md §6), as the library holds it. */
const imageFileName: Action = {
  ...base,
  id: 'code-1',
  name: 'Current process ImageFileName',
  kind: 'code',
  eventKinds: ['!syscall'],
  code: { source: '...', bytesHex: '65488B042588010000488B80B8000000480550040000C3' },
  condition: null,
  bufferSize: 0x18,
  bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
  builtin: { key: 'current-process-image-file-name', revision: 1 },
};
const tagRewrite: Action = {
  ...base,
  id: 'code-2',
  name: 'Rewrite pool tag',
  kind: 'code',
  eventKinds: ['!epthook2'],
  code: { source: '...', bytesHex: '488B5A404881FB484442477402EB0848C7424048444232C3' },
  condition: { source: '...', bytesHex: 'B801000000' },
  bufferSize: 0,
  bufferSchema: [],
};
const logTwin: Action = {
  ...base,
  id: 'log-1',
  name: 'Current process ImageFileName (log)',
  kind: 'log',
  eventKinds: ['!syscall'],
  script:
    'printf("HDBG1 %x %x %llx %x %llx %llx\\n", $event_id, $core, $context, f, dq($pname), dq($pname+8));',
  bufferSize: 0x20,
  bufferSchema: [{ name: 'ImageFileName', offset: 0, type: 'cstr[15]' }],
  builtin: { key: 'current-process-image-file-name-log', revision: 1 },
};
const all = new Map([imageFileName, tagRewrite, logTwin].map((a) => [a.id, a]));
const hashes = new Map([
  ['code-1', 'h1'],
  ['log-1', 'h3'],
]);

describe('bindingFromForm', () => {
  it("binds the seed's ImageFileName action to !syscall: the seed's own command line", () => {
    const form = withActions(emptyBinderForm('!cpuid'), [imageFileName]);
    expect(form.kind).toBe('!syscall');
    const r = bindingFromForm(form, all, hashes, 'vmi');
    expect(r.errors).toEqual({});
    expect(r.line).toBe('!syscall buffer 18 code {65488B042588010000488B80B8000000480550040000C3}');
    expect(r.source).toEqual({
      actionIds: ['code-1'],
      actionNames: ['Current process ImageFileName'],
      versionHashes: ['h1'],
    });
    expect(r.bufferBytes).toBe(0x18);
  });

  it('puts the tag rewrite on !epthook2 with its argument, pid and core filters', () => {
    const form = {
      ...withActions(emptyBinderForm(), [tagRewrite]),
      conditionActionId: null,
      args: ['nt!ExAllocatePoolWithTag'],
      pid: '4',
      core: '1',
    };
    const r = bindingFromForm(form, all, hashes, 'vmi');
    expect(r.line).toBe(
      '!epthook2 nt!ExAllocatePoolWithTag pid 4 core 1 code {488B5A404881FB484442477402EB0848C7424048444232C3}',
    );
    // Provenance falls back to the version when no hash is known.
    expect(r.source.versionHashes).toEqual(['v3']);
  });

  it('marks a symbolic address unusable while HyperDbg has no symbol path, and says how to set it', () => {
    const form = {
      ...withActions(emptyBinderForm(), [tagRewrite]),
      conditionActionId: null,
      args: ['nt!ExAllocatePoolWithTag'],
    };
    const missing = bindingFromForm(form, all, hashes, 'vmi', 'missing');
    expect(missing.binding).toBeNull();
    expect(missing.errors['args.0']).toMatch(/no symbol path/);
    expect(missing.errors['args.0']).toContain(
      // `.sym reload` loads only PDBs already on disk (symbol.cpp SymbolLocalReload, §12).
      '.sympath "SRV*c:\\Symbols*https://msdl.microsoft.com/download/symbols" then .sym download',
    );
    // A hex address needs no symbols.
    expect(
      bindingFromForm({ ...form, args: ['fffff80012345678'] }, all, hashes, 'vmi', 'missing').line,
    ).toMatch(/^!epthook2 fffff80012345678 /);
    // Set but not reloaded: allowed, with a warning; loaded or unknown: nothing to say.
    const set = bindingFromForm(form, all, hashes, 'vmi', 'path-set');
    expect(set.line).not.toBeNull();
    expect(set.warnings).toEqual([expect.stringMatching(/run \.sym download/)]);
    expect(bindingFromForm(form, all, hashes, 'vmi', 'loaded').warnings).toEqual([]);
    expect(bindingFromForm(form, all, hashes, 'vmi').warnings).toEqual([]);
  });

  it('Debugger Mode: a pid on !epthook2/!epthook/!monitor is allowed (v0.23 takes the halted process), with a warning', () => {
    const form = {
      ...withActions(emptyBinderForm(), [tagRewrite]),
      conditionActionId: null,
      args: ['fffff80012345678'],
      pid: '1c4',
    };
    const dm = bindingFromForm(form, all, hashes, 'debugger');
    expect(dm.line).toMatch(/ pid 1c4 /);
    expect(dm.warnings).toEqual([
      expect.stringMatching(
        /only if it is the process the debuggee is halted in.*\.process pid 1c4/,
      ),
    ]);
    expect(bindingFromForm({ ...form, pid: 'all' }, all, hashes, 'debugger').warnings).toEqual([]);
    expect(bindingFromForm(form, all, hashes, 'vmi').warnings).toEqual([]);
  });

  it('a code and a log action share one buffer: the larger one', () => {
    const form = { ...emptyBinderForm(), codeActionId: 'code-1', logActionId: 'log-1' };
    const r = bindingFromForm(form, all, hashes, 'vmi');
    expect(r.line).toMatch(/^!syscall buffer 20 code \{65488B.*\} script \{printf\(/);
    expect(r.source.actionIds).toEqual(['code-1', 'log-1']);
  });

  it('a condition comes from a code action with condition code', () => {
    const form = {
      ...emptyBinderForm('!epthook2'),
      args: ['nt!ExAllocatePoolWithTag'],
      codeActionId: 'code-2',
      conditionActionId: 'code-2',
    };
    expect(bindingFromForm(form, all, hashes, 'vmi').line).toBe(
      '!epthook2 nt!ExAllocatePoolWithTag condition {B801000000} code {488B5A404881FB484442477402EB0848C7424048444232C3}',
    );
    const bad = bindingFromForm({ ...form, conditionActionId: 'code-1' }, all, hashes, 'vmi');
    expect(bad.errors.condition).toMatch(/no condition code/);
  });

  it('errors land on the field they concern', () => {
    const form = { ...emptyBinderForm(), codeActionId: 'code-1' };
    const big = bindingFromForm({ ...form, buffer: '3e8' }, all, hashes, 'vmi');
    expect(big.line).toBeNull();
    expect(big.errors.buffer).toMatch(/1\.\.0x3e7/);
    expect(bindingFromForm({ ...form, pid: 'xyz' }, all, hashes, 'vmi').errors.pid).toMatch(/hex/);
    const hook = bindingFromForm(
      { ...emptyBinderForm('!epthook2'), codeActionId: 'code-2' },
      all,
      hashes,
      'vmi',
    );
    expect(hook.errors['args.0']).toMatch(/address is missing/);
    const noAction = bindingFromForm(emptyBinderForm(), all, hashes, 'vmi');
    expect(noAction.errors.log).toMatch(/VMI mode cannot break/);
    // In Debugger Mode an event with no action breaks: that is allowed.
    expect(bindingFromForm(emptyBinderForm(), all, hashes, 'debugger').line).toBe('!syscall');
  });

  it("maps !monitor's range end (l and a length) to its own input", () => {
    let form = withKind({ ...emptyBinderForm(), logActionId: 'log-1' }, '!monitor');
    form = { ...form, args: ['', 'rw', 'fffff801deadb000', 'l 1000'] };
    expect(bindingFromForm(form, all, hashes, 'vmi').line).toMatch(
      /^!monitor rw fffff801deadb000 l 1000 buffer 20 script/,
    );
    const bad = bindingFromForm(
      { ...form, args: ['', 'rw', 'fffff801deadb000', 'l zz'] },
      all,
      hashes,
      'vmi',
    );
    expect(bad.errors['args.3']).toMatch(/length/);
  });

  it('never lets a hostile field reach the line', () => {
    const form = { ...emptyBinderForm(), codeActionId: 'code-1', pid: '4\nevents c all' };
    const r = bindingFromForm(form, all, hashes, 'vmi');
    expect(r.line).toBeNull();
    expect(r.errors.pid).toBeDefined();
    const arg = bindingFromForm(
      { ...emptyBinderForm(), logActionId: 'log-1', args: ['55 } ; g'] },
      all,
      hashes,
      'vmi',
    );
    expect(arg.line).toBeNull();
    expect(arg.errors['args.0']).toBeDefined();
  });
});

describe('helpers', () => {
  it("maps the host's field paths onto the form", () => {
    expect(fieldOfHostError('binding.buffer')).toBe('buffer');
    expect(fieldOfHostError('binding.args.1')).toBe('args.0');
    expect(fieldOfHostError('binding.script')).toBe('log');
    expect(fieldOfHostError(undefined)).toBe('form');
  });

  it('points a CLI refusal at the field whose value it quotes (spec §3.1)', () => {
    const form = { ...emptyBinderForm('!epthook2'), args: ['nt!NoSuchFunction'], pid: '1c4' };
    expect(fieldOfCliError("err, couldn't resolve error at 'nt!NoSuchFunction'", form)).toBe(
      'args.0',
    );
    expect(fieldOfCliError("err, couldn't resolve error at '1C4'", form)).toBe('pid');
    expect(fieldOfCliError('err, the debugger is not connected', form)).toBe('form');
    // ValidateEvents.c's refusal names no value but concerns the pid.
    expect(
      fieldOfCliError(
        "err, you cannot specify process id while the debugger is paused in the debugger mode. You can use the '.process' or the '.thread' command to switch to the target process's memory layout (c0000033)",
        form,
      ),
    ).toBe('pid');
    const monitor = {
      ...emptyBinderForm('!monitor'),
      args: ['', 'rw', 'fffff80000001000', 'l zz'],
    };
    expect(fieldOfCliError("err, couldn't resolve error at 'zz'", monitor)).toBe('args.3');
  });
});

/** The ImageFileName action resolved for a 2004 target (host's target:resolve-action). */
const on19041: ResolvedAction = {
  actionId: 'code-1',
  version: 3,
  resolvedFor: 'Windows 10 2004 (build 19041), the connected target',
  build: 19041,
  symbolic: true,
  code: {
    bytesHex: '65488B042588010000488B80B80000004805A8050000C3',
    fields: [
      {
        line: 3,
        path: 'EPROCESS.ImageFileName',
        value: 0x5a8,
        origin: 'table',
        originText: 'table: Windows 10 2004 (build 19041), Vergilius Project',
      },
    ],
    errors: [],
  },
  condition: null,
  logForm: {
    payload: { length: 15, words: ['dq($proc+0x5a8)', 'dq($proc+0x5b0)'], origin: 'derived' },
    // The host's log form (recordScript.ts), as targetService gives it.
    script: payloadToRecordScript({
      length: 15,
      words: ['dq($proc+0x5a8)', 'dq($proc+0x5b0)'],
      origin: 'derived',
    }),
    notes: ['gs:[0x188] (KPCR.Prcb.CurrentThread) is $thread'],
  },
};
const resolutions = (r: Resolution) => new Map<string, Resolution>([['code-1', r]]);

describe('code resolved for the target', () => {
  const form = withActions(emptyBinderForm(), [imageFileName]);

  it('binds the bytes resolved for the target, not the stored ones', () => {
    const r = bindingFromForm(form, all, hashes, 'vmi', 'unknown', resolutions(on19041));
    expect(r.line).toBe('!syscall buffer 18 code {65488B042588010000488B80B80000004805A8050000C3}');
  });

  it('builds nothing while the resolution is on its way, or is for another version', () => {
    for (const pending of [resolutions('pending'), resolutions({ ...on19041, version: 2 })]) {
      const r = bindingFromForm(form, all, hashes, 'vmi', 'unknown', pending);
      expect(r).toMatchObject({ line: null, binding: null, errors: {} });
      expect(r.pending).toBe("resolving 'Current process ImageFileName' for the target…");
    }
  });

  it('refuses an action the target cannot resolve, with the reason on the code field', () => {
    const unknown: ResolvedAction = {
      ...on19041,
      build: 20000,
      code: {
        bytesHex: null,
        fields: [],
        errors: [
          "line 3: operand 2 ('EPROCESS.ImageFileName'): EPROCESS.ImageFileName: build 20000 is not in the table of known Windows builds",
        ],
      },
    };
    const r = bindingFromForm(form, all, hashes, 'vmi', 'unknown', resolutions(unknown));
    expect(r.line).toBeNull();
    expect(r.errors.code).toMatch(
      /^'Current process ImageFileName' cannot be bound to this target: line 3: .*build 20000 is not in the table/,
    );
  });

  it('binds a code action as its own log form: the script, no code, the counters’ buffer', () => {
    const r = bindingFromForm(
      { ...form, useLogForm: true },
      all,
      hashes,
      'vmi',
      'unknown',
      resolutions(on19041),
    );
    expect(r.errors).toEqual({});
    // buffer-records §2a: the per-core sequence counters live in the script's own buffer.
    const script = payloadToRecordScript({
      length: 15,
      words: ['dq($proc+0x5a8)', 'dq($proc+0x5b0)'],
      origin: 'derived',
    });
    expect(script.startsWith('eq($buffer + ($core & 3f) * 8,')).toBe(true);
    expect(r.line).toBe(`!syscall buffer 200 script {${script}}`);
    expect(r.plan).toMatchObject({ delivery: 'per-event', k: 1 });
    // Its records decode with the code action's schema: the source is the code action.
    expect(r.source.actionIds).toEqual(['code-1']);
  });

  it('in Debugger Mode binds the numbered form too (Apply reserves its buffer), never batched', () => {
    const bind = (delivery: 'per-event' | 'batched') =>
      bindingFromForm(
        { ...form, useLogForm: true, delivery, batchTag: 'b02' },
        all,
        hashes,
        'debugger',
        'unknown',
        resolutions(on19041),
        1000,
      );
    const script = payloadToRecordScript({
      length: 15,
      words: ['dq($proc+0x5a8)', 'dq($proc+0x5b0)'],
      origin: 'derived',
    });
    for (const delivery of ['per-event', 'batched'] as const) {
      const r = bind(delivery);
      expect(r.errors).toEqual({});
      expect(r.line).toBe(`!syscall buffer 200 script {${script}}`);
      expect(r.plan).toMatchObject({ delivery: 'per-event', k: 1 });
    }
  });

  it('batched: K from the observed rate, K record lines in one printf, a typed K checked', () => {
    const batched = { ...form, useLogForm: true, delivery: 'batched' as const, batchTag: 'b01' };
    const bind = (f: typeof batched, rate: number) =>
      bindingFromForm(f, all, hashes, 'vmi', 'unknown', resolutions(on19041), rate);
    const r = bind(batched, 1000);
    expect(r.errors).toEqual({});
    const k = Math.ceil((1000 * 1.25) / 33); // 38: the reader's 33 packets/s, a quarter's margin
    expect(r.plan).toMatchObject({ delivery: 'batched', k, carriesPerS: k * 33, auto: true });
    expect(r.plan?.latencyS).toBeCloseTo(k / 1000);
    expect(r.line?.startsWith('!syscall buffer 200 script {if (0) { .hb01n = 0;')).toBe(true);
    expect((r.line ?? '').split('HDBG2 ').length - 1).toBe(k);
    // Without an observed rate a batch still has two records; a typed K out of range is refused.
    expect(bind(batched, 0).plan?.k).toBe(2);
    expect(bind({ ...batched, batchSize: '500' }, 0).errors.batchSize).toMatch(/2 to \d+/);
    expect(bind({ ...batched, batchSize: '10' }, 0).plan).toMatchObject({ k: 10, auto: false });
  });

  it('says why there is no log form, and never pairs another action', () => {
    const none: ResolvedAction = {
      ...on19041,
      logForm: { payload: null, reason: 'the code branches on a condition' },
    };
    const r = bindingFromForm(
      { ...form, useLogForm: true },
      all,
      hashes,
      'vmi',
      'unknown',
      resolutions(none),
    );
    expect(r.errors.code).toBe(
      "'Current process ImageFileName' has no log form: the code branches on a condition",
    );
    const both = bindingFromForm(
      { ...form, useLogForm: true, logActionId: 'log-1' },
      all,
      hashes,
      'vmi',
      'unknown',
      resolutions(on19041),
    );
    expect(both.errors.log).toMatch(/an event carries one script/);
  });
});
