// Builds the one command line that registers an event binding in hyperdbg-cli, or says which
// field is wrong. Safe by construction: every value must match HyperDbg's grammar (spec §1.3,
// §3), nothing is escaped; the line can hold no newline, TAB, `//`, `/*`, unbalanced brace or
// quote, backslash before a brace (the CLI's escape), or non-ASCII character. Keywords come before the blocks so that `events`' 70-character
// listing (spec §4) still shows them. Pure.
import type { z } from 'zod';
import {
  eventKindInfo,
  type EventArgument,
  type EventKindInfo,
  type EventStage,
} from '../model/eventCatalog';
import { eventBindingSchema, MAX_OUTPUT_SINKS, type EventBinding } from '../model/eventBinding';
import { RECORD_MAX_LENGTH } from '../model/record';
import { fail, ok, type Result } from '../result';
import { cliWaitsForMore } from './cliLine';
import {
  findBadChar,
  parseAddress,
  parseHexBytes,
  parseHexNumber,
  parseOutputName,
} from './grammar';
import { flattenScript } from './scriptFlattener';

export type TargetMode = 'vmi' | 'debugger';

export interface FieldError {
  /** The binding field, e.g. `buffer`, `args[0]`, `output[2]`. */
  readonly field: string;
  readonly message: string;
}

export interface BuiltCommand {
  readonly line: string;
  /** Accepted but risky choices, in words. */
  readonly warnings: readonly string[];
}

/** Every field error found, the first one first; never empty. */
export type FieldErrors = readonly [FieldError, ...FieldError[]];

export type BuildResult = Result<BuiltCommand, FieldErrors>;

/**
 * Longest command line built, in characters. HyperDbg has no limit in VMI mode (spec §3.2);
 * this keeps the line, and its echo, under the output parser's line cap (64 KiB).
 */
export const MAX_COMMAND_LINE_CHARS = 60_000;
/** Debugger Mode: condition bytes, the appended `c3` included (spec §3.2, instant events). */
export const DEBUGGER_MODE_MAX_CONDITION_BYTES = 100;
/** Debugger Mode: custom code (with `c3`) plus the script action share this many bytes (§3.2). */
export const DEBUGGER_MODE_MAX_ACTION_BYTES = 8192;
/** Bytes the CLI appends to code and condition (`c3`, ret; spec §3.2). */
const APPENDED_RET_BYTES = 1;

const U32 = 0xffffffffn;

/**
 * Kinds whose pid the kernel checks when the event is applied from VMX root (Debugger Mode):
 * ValidateEvents.c accepts only the current process (`pid all` means the current one).
 */
const PID_MUST_BE_HALTED_PROCESS: ReadonlySet<string> = new Set([
  '!monitor',
  '!epthook',
  '!epthook2',
]);

/** Keys people try when they want more than one action: named so the error can explain. */
const MULTI_ACTION_KEYS = ['actions', 'codes', 'scripts', 'conditions'];

const ONE_ACTION = (what: string): string =>
  `one event carries at most one ${what} (docs/hyperdbg-v0.23.md §3.1); register another event with the same kind and filters for the next one`;

/**
 * The command line for `input` (any JSON value: it is checked) in `mode`, or every field error
 * found. Warnings name accepted but risky choices.
 */
export function buildEventCommand(input: unknown, mode: TargetMode): BuildResult {
  const early = shapeErrors(input);
  if (early.length > 0) return failed(early);
  const parsed = eventBindingSchema.safeParse(input);
  if (!parsed.success) return failed(parsed.error.issues.map(issueToError));
  return buildFromBinding(parsed.data, mode);
}

/** Same as `buildEventCommand` for a binding already typed. */
export function buildFromBinding(binding: EventBinding, mode: TargetMode): BuildResult {
  const errors: FieldError[] = [];
  const warnings: string[] = [];
  const err = (field: string, message: string): void => void errors.push({ field, message });
  const info = eventKindInfo(binding.kind);
  const parts: string[] = [binding.kind];

  // Positional arguments (spec §3.8).
  parts.push(...matchArguments(info, binding.args ?? [], err));

  // pid (§3.4); `!mode` requires one (§3.8).
  if (binding.pid !== undefined) {
    if (binding.pid === 'all') {
      if (info.requiresPid)
        err(
          'pid',
          `${info.kind} applies to one process: give its id, not 'all' (docs/hyperdbg-v0.23.md §3.8)`,
        );
      else parts.push('pid', 'all');
    } else {
      const pid = parseHexNumber(binding.pid, 0n, U32);
      if (pid.ok) parts.push('pid', pid.value.text);
      else err('pid', `${pid.error} (a hex process id or 'all')`);
    }
  } else if (info.requiresPid) {
    err(
      'pid',
      `${info.kind} needs the process id of the target process (docs/hyperdbg-v0.23.md §3.8)`,
    );
  }
  if (
    mode === 'debugger' &&
    PID_MUST_BE_HALTED_PROCESS.has(info.kind) &&
    binding.pid !== undefined &&
    binding.pid !== 'all'
  )
    warnings.push(
      `in Debugger Mode HyperDbg takes pid ${binding.pid} only if it is the process the debuggee is halted in, and refuses the event otherwise: switch to it first with .process pid ${binding.pid}, or leave pid out`,
    );

  if (binding.core !== undefined) {
    const core = parseHexNumber(binding.core, 0n, U32);
    if (core.ok) parts.push('core', core.value.text);
    else err('core', `${core.error} (a hex core number)`);
  }

  const stage: EventStage = binding.stage ?? 'pre';
  if (binding.stage !== undefined) {
    if (info.stages.includes(binding.stage)) parts.push('stage', binding.stage);
    else
      err(
        'stage',
        `${info.kind} supports only stage ${info.stages.join(', ')} (docs/hyperdbg-v0.23.md §3.8)`,
      );
  }

  if (binding.sc !== undefined) {
    if (binding.sc === 'on' && stage !== 'pre')
      err(
        'sc',
        `short-circuiting works only with stage pre, not ${stage} (docs/hyperdbg-v0.23.md §3.7)`,
      );
    else parts.push('sc', binding.sc);
  }

  const output = binding.output;
  if (binding.imm !== undefined) {
    if (binding.imm === 'no' && output !== undefined)
      err('imm', "'imm no' cannot be used with output forwarding (docs/hyperdbg-v0.23.md §3.7)");
    else {
      parts.push('imm', binding.imm);
      if (binding.imm === 'no')
        warnings.push(
          'imm no: HyperDbg shows only the first message of each batch (docs/hyperdbg-v0.23.md §6.3)',
        );
    }
  }

  if (binding.buffer !== undefined) {
    const buffer = parseHexNumber(binding.buffer, 1n, BigInt(RECORD_MAX_LENGTH));
    if (buffer.ok) {
      // Debugger Mode takes buffers from pools `prealloc` fills; the session reserves them on
      // Apply (sessionEvents.ts), so the command itself is the same in both modes.
      parts.push('buffer', buffer.value.text);
    } else
      err(
        'buffer',
        `${buffer.error}; HyperDbg's buffer is hex, 1..0x3e7 bytes, and a bigger one makes the kernel drop the action without a word (docs/hyperdbg-v0.23.md §3.5)`,
      );
  }

  if (output !== undefined) {
    if (output.length === 0) err('output', 'is empty; leave the field out instead');
    else if (output.length > MAX_OUTPUT_SINKS)
      err(
        'output',
        `names ${output.length} sinks; one event forwards to at most ${MAX_OUTPUT_SINKS} (docs/hyperdbg-v0.23.md §3.4)`,
      );
    else {
      const names: string[] = [];
      output.forEach((name, i) => {
        const checked = parseOutputName(name);
        if (!checked.ok) err(`output[${i}]`, checked.error);
        else if (names.includes(checked.value)) err(`output[${i}]`, `'${name}' is listed twice`);
        else names.push(checked.value);
      });
      if (names.length === output.length) parts.push('output', `{${names.join(',')}}`);
    }
  }

  // Blocks, last: condition, code, script (the CLI runs script before code, spec §5.3).
  if (binding.condition !== undefined) {
    const cond = parseHexBytes(binding.condition);
    if (!cond.ok) err('condition', cond.error);
    else {
      const conditionBytes = cond.value.byteCount + APPENDED_RET_BYTES;
      if (mode === 'debugger' && conditionBytes > DEBUGGER_MODE_MAX_CONDITION_BYTES)
        err(
          'condition',
          `is ${conditionBytes} bytes with the appended c3; Debugger Mode allows ${DEBUGGER_MODE_MAX_CONDITION_BYTES} without 'prealloc' (docs/hyperdbg-v0.23.md §3.2)`,
        );
      else parts.push('condition', `{${cond.value.hex}}`);
      if (stage === 'all')
        warnings.push(
          'condition with stage all runs twice per occurrence (docs/hyperdbg-v0.23.md §8)',
        );
    }
  }

  let codeBytes = 0;
  if (binding.code !== undefined) {
    const code = parseHexBytes(binding.code);
    if (!code.ok) err('code', code.error);
    else {
      codeBytes = code.value.byteCount + APPENDED_RET_BYTES;
      parts.push('code', `{${code.value.hex}}`);
    }
  }

  let scriptChars = 0;
  if (binding.script !== undefined) {
    const flat = flattenScript(binding.script);
    if (!flat.ok) {
      const { line, column, message } = flat.error;
      err(
        'script',
        line !== undefined ? `line ${line}, column ${column ?? 1}: ${message}` : message,
      );
    } else {
      scriptChars = flat.value.script.length;
      parts.push('script', `{${flat.value.script}}`);
      warnings.push(...flat.value.warnings);
    }
  }

  if (binding.code === undefined && binding.script === undefined && mode === 'vmi')
    err(
      'script',
      'VMI mode cannot break to the debugger, so an event needs a script or code action (docs/hyperdbg-v0.23.md §3.7); add one, or connect in Debugger Mode',
    );

  if (mode === 'debugger' && codeBytes + scriptChars > DEBUGGER_MODE_MAX_ACTION_BYTES)
    err(
      binding.code !== undefined ? 'code' : 'script',
      `code (${codeBytes} bytes with c3) and script (${scriptChars} characters) share ${DEBUGGER_MODE_MAX_ACTION_BYTES} bytes in Debugger Mode without 'prealloc' (docs/hyperdbg-v0.23.md §3.2)`,
    );

  if (errors.length > 0) return failed(errors);

  const line = parts.join(' ');
  if (line.length > MAX_COMMAND_LINE_CHARS) {
    const sizes = {
      condition: binding.condition?.length ?? 0,
      code: binding.code?.length ?? 0,
      script: binding.script?.length ?? 0,
    };
    const field = (Object.keys(sizes) as (keyof typeof sizes)[]).reduce((a, b) =>
      sizes[b] > sizes[a] ? b : a,
    );
    return failed([
      {
        field,
        message: `makes the command ${line.length} characters long; the limit is ${MAX_COMMAND_LINE_CHARS}`,
      },
    ]);
  }
  const broken = lineInvariantBroken(line);
  if (broken !== undefined)
    return failed([{ field: 'binding', message: `internal check failed: ${broken}` }]);
  return ok({ line, warnings });
}

/**
 * Belt and braces: properties every built line has by construction. A failure here is a bug in
 * the grammar above, reported rather than sent.
 */
function lineInvariantBroken(line: string): string | undefined {
  const bad = findBadChar(line, true);
  if (bad !== undefined) return `the line contains ${bad}`;
  if (line.includes('//') || line.includes('/*')) return 'the line contains a comment opener';
  if (/\\[{}]/.test(line))
    return "a backslash escapes a brace (the CLI's tokenizer, docs/hyperdbg-v0.23.md §1.3)";
  if (cliWaitsForMore(line)) return 'the CLI would wait for a continuation line';
  let depth = 0;
  for (const c of line) {
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return "a '}' closes nothing";
  }
  if (depth !== 0) return 'a brace is never closed';
  return undefined;
}

function failed(errors: FieldError[]): BuildResult {
  return fail(errors as [FieldError, ...FieldError[]]);
}

/** Errors worth a clearer message than the schema's. */
function shapeErrors(input: unknown): FieldError[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return [
      {
        field: 'binding',
        message: 'must be a JSON object such as {"kind":"!syscall","script":"..."}',
      },
    ];
  const errors: FieldError[] = [];
  const rec = input as Record<string, unknown>;
  for (const [field, what] of [
    ['condition', 'condition'],
    ['code', 'custom-code action'],
    ['script', 'script action'],
  ] as const) {
    if (Array.isArray(rec[field])) errors.push({ field, message: ONE_ACTION(what) });
  }
  for (const key of MULTI_ACTION_KEYS)
    if (key in rec)
      errors.push({
        field: key,
        message: ONE_ACTION('condition, one custom-code action and one script action'),
      });
  return errors;
}

function issueToError(issue: z.core.$ZodIssue): FieldError {
  const field = issue.path.reduce<string>(
    (acc, p) =>
      typeof p === 'number' ? `${acc}[${p}]` : acc === '' ? String(p) : `${acc}.${String(p)}`,
    '',
  );
  if (issue.code === 'unrecognized_keys')
    return {
      field: issue.keys[0] ?? 'binding',
      message: `is not a binding field (fields: kind, args, pid, core, stage, sc, imm, output, buffer, condition, code, script)`,
    };
  if (field === 'kind')
    return {
      field,
      message:
        'must be one of the event commands of docs/hyperdbg-v0.23.md §3.8, e.g. !syscall, !epthook, !cpuid',
    };
  return { field: field === '' ? 'binding' : field, message: issue.message };
}

/** Checks the positional arguments against the kind's catalog entry; returns their tokens. */
function matchArguments(
  info: EventKindInfo,
  args: readonly string[],
  err: (field: string, message: string) => void,
): string[] {
  const tokens: string[] = [];
  let i = 0;
  let from: bigint | undefined;
  for (const slot of info.args) {
    const a = args[i];
    const field = `args[${i}]`;
    if (a === undefined) {
      if (slot.required)
        err(field, `${slot.name} is missing: ${slot.description} (${info.syntax})`);
      continue;
    }
    const g = slot.grammar;
    if (g.type === 'keyword') {
      const bad = findBadChar(a);
      const value = a.toLowerCase();
      if (bad === undefined && g.values.includes(value)) {
        tokens.push(value);
        i++;
      } else if (!slot.required) continue;
      else {
        err(
          field,
          `${slot.name} must be one of ${g.values.join(', ')}${bad !== undefined ? `; found ${bad}` : `, got '${a}'`}`,
        );
        i++;
      }
    } else if (g.type === 'number') {
      const n = parseHexNumber(a, g.min, g.max);
      if (n.ok) tokens.push(n.value.text);
      else err(field, `${slot.name} ${n.error}`);
      i++;
    } else if (g.type === 'address') {
      const addr = parseAddress(a);
      if (addr.ok) {
        tokens.push(addr.value);
        if (slot.name === 'from') from = numericAddress(addr.value);
      } else err(field, `${slot.name} ${addr.error}`);
      i++;
    } else {
      rangeEnd(slot, a, args[i + 1], i, g.maxLength, from, tokens, err);
      i += a.toLowerCase() === 'l' ? 2 : 1;
    }
  }
  if (i < args.length) {
    const extra = info.extraTokens === 'ignored' ? ' (HyperDbg would ignore it silently)' : '';
    err(`args[${i}]`, `is one argument too many${extra}: ${info.kind} takes ${info.syntax}`);
  }
  return tokens;
}

/** `!monitor`'s end of range: a `to` address, or `l` and a hex length (spec §3.8). */
function rangeEnd(
  slot: EventArgument,
  a: string,
  next: string | undefined,
  i: number,
  maxLength: bigint,
  from: bigint | undefined,
  tokens: string[],
  err: (field: string, message: string) => void,
): void {
  if (a.toLowerCase() === 'l') {
    if (next === undefined) {
      err(`args[${i + 1}]`, 'the length after l is missing');
      return;
    }
    const len = parseHexNumber(next, 1n, maxLength);
    if (len.ok) tokens.push('l', len.value.text);
    else err(`args[${i + 1}]`, `length ${len.error}`);
    return;
  }
  const to = parseAddress(a);
  if (!to.ok) {
    err(`args[${i}]`, `${slot.name} ${to.error}; or give l and a length`);
    return;
  }
  const toValue = numericAddress(to.value);
  if (from !== undefined && toValue !== undefined && toValue < from) {
    err(
      `args[${i}]`,
      `'to' is below 'from'; HyperDbg wants the lower address first (docs/hyperdbg-v0.23.md §3.8)`,
    );
    return;
  }
  tokens.push(to.value);
}

/** The value of a numeric address (backtick form included); undefined for a symbol. */
function numericAddress(s: string): bigint | undefined {
  const digits = s.replace('`', '').replace(/^0[xX]/, '');
  return /^[0-9a-fA-F]+$/.test(digits) ? BigInt(`0x${digits}`) : undefined;
}
