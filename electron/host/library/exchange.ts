// Reads and writes action exchange files (shared/model/actionExport.ts). Reading treats the file
// as hostile: size, nesting and prototype-pollution keys first, then the version, the schema,
// each block's sha256, and finally that the bytes are exactly what the source assembles to. One
// problem refuses the whole file with what and where. Host side.
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { AppError } from '../../../shared/contract/result';
import {
  actionDraftSchema,
  canonicalContent,
  type Action,
  type ActionContent,
  type BuiltinRef,
  type CodeBlock,
} from '../../../shared/model/action';
import type { AssemblyResult, CodeRole } from '../../../shared/model/actionAssembly';
import {
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  exportEnvelopeSchema,
  exportFileSchema,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_DEPTH,
  type ExportedAction,
  type ExportedCode,
  type ExportFile,
} from '../../../shared/model/actionExport';
import type { EventKind } from '../../../shared/model/eventKinds';

/** Assembles a block for checking: the library passes the real assembler. */
export type AssembleFn = (
  source: string,
  role: CodeRole,
  ctx: { eventKind: EventKind | null; bufferSize: number },
) => Promise<AssemblyResult>;

export interface ImportCandidate {
  /** The id in the file, kept when it is free so re-imports are recognised. */
  readonly id: string | undefined;
  readonly content: ActionContent;
  readonly builtin: BuiltinRef | undefined;
}

/** Keys that reach Object.prototype when a parsed object is copied or merged. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function refuse(fileName: string, where: string, message: string): never {
  throw new AppError(
    'invalid-input',
    `${fileName}: ${where === '' ? '' : `${where}: `}${message}; nothing was imported`,
    where === '' ? undefined : where,
  );
}

/** `actions[3].code.bytes` from a zod path. */
function pathText(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path)
    s += typeof p === 'number' ? `[${p}]` : `${s === '' ? '' : '.'}${String(p)}`;
  return s;
}

function firstIssue(error: z.ZodError): { where: string; message: string } {
  const issue = error.issues[0];
  return { where: pathText(issue?.path ?? []), message: issue?.message ?? 'invalid' };
}

/** Where a value sits in the file: built into text only when a problem is reported. */
interface JsonPlace {
  readonly parent: JsonPlace | null;
  readonly key: string | number;
}

function placeText(place: JsonPlace | null): string {
  const keys: (string | number)[] = [];
  for (let p = place; p !== null; p = p.parent) keys.push(p.key);
  return pathText(keys.reverse());
}

/** Nodes checked between two `pause()` calls (a few milliseconds of work). */
const SHAPE_CHECK_STEP = 50_000;

/**
 * Depth and key checks over parsed JSON, iteratively (a deep file must not blow the stack);
 * only objects and arrays are visited, and a path is spelled out only for the error.
 */
async function checkShape(
  value: unknown,
  fileName: string,
  pause: () => Promise<void>,
): Promise<void> {
  const stack: { v: object; place: JsonPlace | null; depth: number }[] = [];
  const visit = (v: unknown, place: JsonPlace | null, depth: number) => {
    if (v !== null && typeof v === 'object') stack.push({ v, place, depth });
  };
  visit(value, null, 0);
  let steps = 0;
  while (stack.length > 0) {
    if (++steps % SHAPE_CHECK_STEP === 0) await pause();
    const { v, place, depth } = stack.pop() as (typeof stack)[number];
    if (depth > MAX_IMPORT_DEPTH)
      refuse(fileName, placeText(place), `nested more than ${MAX_IMPORT_DEPTH} levels deep`);
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, { parent: place, key: i }, depth + 1));
    else
      for (const key of Object.keys(v)) {
        if (FORBIDDEN_KEYS.has(key))
          refuse(fileName, placeText({ parent: place, key }), `the key '${key}' is not allowed`);
        visit((v as Record<string, unknown>)[key], { parent: place, key }, depth + 1);
      }
  }
}

/** Parses and fully checks an exchange file; throws AppError naming the first problem. */
export async function readExchangeFile(
  text: string,
  fileName: string,
  assemble: AssembleFn,
  pause: () => Promise<void> = async () => undefined,
): Promise<ImportCandidate[]> {
  if (text.length > MAX_IMPORT_BYTES)
    refuse(fileName, '', `the file is ${text.length} characters; at most ${MAX_IMPORT_BYTES}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    refuse(fileName, '', `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  await checkShape(raw, fileName, pause);
  const envelope = exportEnvelopeSchema.safeParse(raw);
  if (!envelope.success)
    refuse(
      fileName,
      '',
      `not a HyperDbg Studio action file (expected "format": "${EXPORT_FORMAT}" and a formatVersion)`,
    );
  if (envelope.data.formatVersion !== EXPORT_FORMAT_VERSION)
    refuse(
      fileName,
      'formatVersion',
      envelope.data.formatVersion > EXPORT_FORMAT_VERSION
        ? `format version ${envelope.data.formatVersion} was written by a newer HyperDbg Studio; this one reads version ${EXPORT_FORMAT_VERSION}`
        : `unknown format version ${envelope.data.formatVersion}`,
    );
  const parsed = exportFileSchema.safeParse(raw);
  if (!parsed.success) {
    const { where, message } = firstIssue(parsed.error);
    refuse(fileName, where, message);
  }
  const out: ImportCandidate[] = [];
  for (const [i, a] of parsed.data.actions.entries()) {
    // Assembling thousands of code actions takes seconds: the host answers in between.
    await pause();
    out.push(await checkAction(a, `actions[${i}]`, fileName, assemble));
  }
  return out;
}

async function checkAction(
  a: ExportedAction,
  where: string,
  fileName: string,
  assemble: AssembleFn,
): Promise<ImportCandidate> {
  const draftInput =
    a.kind === 'code'
      ? {
          ...commonOf(a),
          kind: a.kind,
          code: { source: a.code.source },
          condition: a.condition === null ? null : { source: a.condition.source },
          bufferSize: a.bufferSize,
          bufferSchema: a.bufferSchema,
          ...(a.logForm !== undefined ? { logForm: a.logForm } : {}),
        }
      : a.kind === 'log'
        ? {
            ...commonOf(a),
            kind: a.kind,
            script: a.script,
            bufferSize: a.bufferSize,
            bufferSchema: a.bufferSchema,
          }
        : { ...commonOf(a), kind: a.kind };
  const draft = actionDraftSchema.safeParse(draftInput);
  if (!draft.success) {
    const { where: inner, message } = firstIssue(draft.error);
    refuse(fileName, `${where}.${inner}`, message);
  }
  let content: ActionContent;
  if (draft.data.kind === 'code' && a.kind === 'code') {
    const ctx = { eventKind: draft.data.eventKinds[0] ?? null, bufferSize: draft.data.bufferSize };
    const code = await checkBlock(a.code, 'code', ctx, `${where}.code`, fileName, assemble);
    const condition =
      a.condition === null
        ? null
        : await checkBlock(a.condition, 'condition', ctx, `${where}.condition`, fileName, assemble);
    content = { ...draft.data, code, condition };
  } else content = draft.data as ActionContent;
  return { id: a.id, content: canonicalContent(content), builtin: a.builtin };
}

function commonOf(a: ExportedAction) {
  return {
    name: a.name,
    description: a.description,
    tags: a.tags,
    eventKinds: a.eventKinds,
    windowsBuilds: a.windowsBuilds,
  };
}

async function checkBlock(
  block: ExportedCode,
  role: CodeRole,
  ctx: { eventKind: EventKind | null; bufferSize: number },
  where: string,
  fileName: string,
  assemble: AssembleFn,
): Promise<CodeBlock> {
  if (block.bytes !== null) {
    const actual = sha256Hex(Buffer.from(block.bytes, 'hex'));
    if (actual !== block.sha256)
      refuse(
        fileName,
        `${where}.sha256`,
        `does not match the bytes (the file says ${block.sha256}, the bytes hash to ${actual})`,
      );
  }
  const result = await assemble(block.source, role, ctx);
  if (block.bytes === null)
    return { source: block.source, bytesHex: result.ok ? result.bytesHex : null };
  if (!result.ok) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    refuse(
      fileName,
      `${where}.source`,
      `does not assemble (${first?.line != null ? `line ${first.line}: ` : ''}${first?.message ?? 'unknown error'}), so its bytes cannot be checked`,
    );
  }
  if (result.bytesHex !== block.bytes)
    refuse(
      fileName,
      `${where}.bytes`,
      `are not what the source assembles to (file ${block.bytes}, source ${result.bytesHex}): bytes that differ from their source are never imported`,
    );
  return { source: block.source, bytesHex: block.bytes };
}

// ---- Writing ---------------------------------------------------------------------------------

function exportBlock(b: CodeBlock): ExportedCode {
  return {
    source: b.source,
    bytes: b.bytesHex,
    sha256: b.bytesHex === null ? null : sha256Hex(Buffer.from(b.bytesHex, 'hex')),
  };
}

export function toExported(a: Action): ExportedAction {
  const common = {
    id: a.id,
    name: a.name,
    description: a.description,
    tags: [...a.tags],
    eventKinds: [...a.eventKinds],
    windowsBuilds: a.windowsBuilds,
    createdAt: new Date(a.createdAt).toISOString(),
    updatedAt: new Date(a.updatedAt).toISOString(),
  };
  switch (a.kind) {
    case 'break':
      return { ...common, kind: 'break' };
    case 'log':
      return {
        ...common,
        kind: 'log',
        script: a.script,
        bufferSize: a.bufferSize,
        bufferSchema: a.bufferSchema.map((f) => ({ ...f })),
      };
    case 'code':
      return {
        ...common,
        kind: 'code',
        code: exportBlock(a.code),
        condition: a.condition === null ? null : exportBlock(a.condition),
        bufferSize: a.bufferSize,
        bufferSchema: a.bufferSchema.map((f) => ({ ...f })),
        ...(a.logForm !== undefined
          ? { logForm: { ...a.logForm, words: [...a.logForm.words] } }
          : {}),
      };
  }
}

export function writeExchangeFile(
  actions: readonly Action[],
  generator: string,
  now: number,
): string {
  const file: ExportFile = {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: new Date(now).toISOString(),
    generator,
    actions: actions.map(toExported),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A file name for an export: the action's name, or the library with a date. */
export function exportFileName(actions: readonly Action[], now: number): string {
  if (actions.length === 1) {
    const base = (actions[0] as Action).name
      .replace(/[^A-Za-z0-9._ -]+/g, '_')
      .trim()
      .slice(0, 80);
    return `${base === '' ? 'action' : base}.hdsactions.json`;
  }
  return `hyperdbg-studio-library-${new Date(now).toISOString().slice(0, 10)}.hdsactions.json`;
}
