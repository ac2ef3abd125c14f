// The shared event/action interpreter (spec §3.1-§3.7; InterpretGeneralEventAndActionsFields):
// condition, code, script and output blocks, then the ID, then pid/core/imm/stage/sc/buffer and the
// final checks. Failures before the ID use up nothing; any failure after it uses it up. Simulator side.
import { readFileSync } from 'node:fs';
import { resolveNtSymbol } from '../../host/emulator/kernelImage';
import { APPLY_TO_ALL, type Stage } from '../engine/kernelEvents';
import type { Session } from '../cli/session';
import { MSG } from '../cli/messages';
import { parseUInt32 } from '../protocol/numbers';
import type { Token } from '../protocol/tokenizer';
import type { CompiledScript } from '../script/ast';
import { compileScript, ScriptSyntaxError } from '../script/parser';

/** DebuggerOutputSourceMaximumRemoteSourceForSingleEvent (Constants.h). */
const MAX_OUTPUT_SOURCES = 5;

export interface ParsedEvent {
  readonly id: number;
  readonly commandText: string;
  readonly condition: Uint8Array | null;
  readonly code: Uint8Array | null;
  readonly script: CompiledScript | null;
  /** No code and no script: the action is "break to the debugger". */
  readonly breakAction: boolean;
  readonly core: number;
  readonly pid: number;
  readonly stage: Stage;
  readonly shortCircuit: boolean;
  readonly immediate: boolean;
  readonly requestBuffer: number;
  /** What is left for the command's own parser, the command name first. */
  readonly rest: Token[];
}

const lowerIs = (t: Token, word: string) => t.lower === word;

function removeIndexes(tokens: Token[], indexes: readonly number[]): void {
  for (const i of [...indexes].sort((a, b) => b - a)) tokens.splice(i, 1);
}

/**
 * InterpretConditionsAndCodes (spec §3.2): the last `code {...}` (or `condition {...}`) block wins;
 * "c3" is appended; one leading 0x/\x/x prefix goes; every lower-case `\x` goes; an odd length
 * gets a leading 0; anything not hex prints the message and leaves the tokens in place.
 */
function interpretHexBlock(s: Session, tokens: Token[], condition: boolean): Uint8Array | null {
  let visited = false;
  let text = '';
  let asm = false;
  const remove: number[] = [];
  tokens.forEach((t, i) => {
    if (visited && t.type === 'bracket') {
      remove.push(i);
      text = t.text;
      visited = false;
      return;
    }
    if ((!condition && lowerIs(t, 'code')) || (condition && lowerIs(t, 'condition'))) {
      remove.push(i);
      visited = true;
      return;
    }
    if (lowerIs(t, 'asm')) {
      remove.push(i);
      asm = true;
    }
  });
  if (text.length === 0) return null;
  if (asm) {
    // v0.23 assembles with Keystone here; the simulator takes hex only (spec §3.2: "Use hex only").
    s.print("err, the simulator does not assemble 'asm' blocks, please use hex\n\n");
    return null;
  }
  let hex = `${text}c3`;
  if (/^(0x|0X|\\x|\\X)/.test(hex)) hex = hex.slice(2);
  else if (/^[xX]/.test(hex)) hex = hex.slice(1);
  hex = hex.replaceAll('\\x', '');
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  if (!/^[0-9a-fA-F]+$/.test(hex)) {
    s.print(MSG.hexNotation);
    return null;
  }
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  removeIndexes(tokens, remove);
  return bytes;
}

type ScriptResult = { kind: 'none' } | { kind: 'error' } | { kind: 'ok'; script: CompiledScript };

/** InterpretScript (spec §3.3): the last `script {...}` wins; `file:` reads it from a file. */
function interpretScript(s: Session, tokens: Token[]): ScriptResult {
  let visited = false;
  let text = '';
  const remove: number[] = [];
  tokens.forEach((t, i) => {
    if (visited && t.type === 'bracket') {
      remove.push(i);
      text = t.text;
      visited = false;
      return;
    }
    if (lowerIs(t, 'script')) {
      remove.push(i);
      visited = true;
    }
  });
  if (text.length === 0) return { kind: 'none' };
  if (text.startsWith('file:')) {
    let content: string;
    try {
      content = readFileSync(text.slice(5), 'latin1');
    } catch {
      content = '';
    }
    if (content.length === 0) {
      s.print("err, either script file is not found or it's empty\n");
      return { kind: 'error' };
    }
    text = content;
  }
  try {
    const script = compileScript(text, (name) => resolveNtSymbol(name));
    removeIndexes(tokens, remove);
    return { kind: 'ok', script };
  } catch (e) {
    if (!(e instanceof ScriptSyntaxError)) throw e;
    s.print(`${e.report}\n`);
    return { kind: 'error' };
  }
}

/** InterpretOutput: `output {a, b}` names, trimmed; null when absent. */
function interpretOutput(tokens: Token[]): string[] | null {
  let visited = false;
  let text = '';
  const remove: number[] = [];
  tokens.forEach((t, i) => {
    if (visited && t.type === 'bracket') {
      remove.push(i);
      text = t.text;
      visited = false;
      return;
    }
    if (lowerIs(t, 'output')) {
      remove.push(i);
      visited = true;
    }
  });
  if (text.length === 0) return null;
  removeIndexes(tokens, remove);
  if (!text.includes(',')) return [text];
  const parts = text.split(',');
  const last = parts.pop() as string;
  const names = parts.map((p) => p.trim()).filter((p) => p.length > 0);
  if (last.length > 0) names.push(last);
  return names;
}

/** Returns the parsed event, or null after printing why (the caller stops; see `idUsed`). */
export function interpretGeneralEventFields(
  s: Session,
  input: readonly Token[],
): ParsedEvent | null {
  const tokens = [...input];
  const commandText = tokens.map((t) => `${t.text} `).join('');
  const condition = interpretHexBlock(s, tokens, true);
  const code = interpretHexBlock(s, tokens, false);
  const script = interpretScript(s, tokens);
  if (script.kind === 'error') return null;
  const outputs = interpretOutput(tokens);
  if (outputs !== null) {
    if (outputs.length === 0) {
      s.print('err, no input found\n');
      return null;
    }
    if (outputs.length > MAX_OUTPUT_SOURCES) {
      s.print(
        `err, based on this build of HyperDbg, the maximum input sources for a single event is 0x${MAX_OUTPUT_SOURCES.toString(16)} sources but you entered 0x${outputs.length.toString(16)} sources\n`,
      );
      return null;
    }
    // No `output` sink exists in the simulator, so every name is unknown (g_OutputSourcesInitialized).
    s.print("err, the name you entered, not found. Did you use 'output' command to create it?\n");
    return null;
  }

  // From here on the ID is taken (GetNewDebuggerEventTag), whatever happens next (spec §3.1).
  const id = s.nextEventId++;
  let core = APPLY_TO_ALL;
  let pid = APPLY_TO_ALL;
  let stage: Stage = 'pre';
  let shortCircuit = false;
  let immediate = true;
  let requestBuffer = 0;
  let next: 'buffer' | 'imm' | 'stage' | 'sc' | 'pid' | 'core' | null = null;
  const remove: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (next !== null) {
      const which = next;
      next = null;
      remove.push(i);
      switch (which) {
        case 'buffer': {
          const v = parseUInt32(t.text);
          if (v === null) {
            s.print('err, buffer size is invalid\n');
            return null;
          }
          requestBuffer = v;
          continue;
        }
        case 'imm':
          if (lowerIs(t, 'yes')) immediate = true;
          else if (lowerIs(t, 'no')) immediate = false;
          else {
            s.print('err, immediate messaging token is invalid\n');
            return null;
          }
          continue;
        case 'stage':
          if (lowerIs(t, 'pre') || lowerIs(t, 'post') || lowerIs(t, 'all'))
            stage = t.lower as Stage;
          else {
            s.print(
              "err, the specified execution mode is invalid; you can either choose 'pre' or 'post'\n",
            );
            return null;
          }
          continue;
        case 'sc':
          if (lowerIs(t, 'on')) shortCircuit = true;
          else if (lowerIs(t, 'off')) shortCircuit = false;
          else {
            s.print(
              "err, the specified short-circuiting state is invalid; you can either choose 'on' or 'off'\n",
            );
            return null;
          }
          continue;
        case 'pid': {
          if (lowerIs(t, 'all')) {
            pid = APPLY_TO_ALL;
            continue;
          }
          const v = parseUInt32(t.text);
          if (v === null) {
            s.print('err, pid is invalid\n');
            return null;
          }
          pid = v;
          continue;
        }
        case 'core': {
          const v = parseUInt32(t.text);
          if (v === null) {
            s.print('err, core id is invalid\n');
            return null;
          }
          core = v;
          continue;
        }
      }
    }
    for (const kw of ['pid', 'core', 'imm', 'stage', 'sc', 'buffer'] as const) {
      if (lowerIs(t, kw)) {
        next = kw;
        remove.push(i);
        break;
      }
    }
  }
  if (next !== null) {
    s.print(`err, please specify a value for '${next}'\n`);
    return null;
  }
  if ((stage === 'post' || stage === 'all') && shortCircuit) {
    s.print(
      "err, using the short-circuiting mechanism with 'post' or 'all' stage events doesn't make sense; it's not supported!\n",
    );
    return null;
  }
  const breakAction = code === null && script.kind === 'none';
  if (s.link === null && breakAction) {
    s.print(MSG.breakInVmi);
    return null;
  }
  removeIndexes(tokens, remove);
  return {
    id,
    commandText,
    condition,
    code,
    script: script.kind === 'ok' ? script.script : null,
    breakAction,
    core,
    pid,
    stage,
    shortCircuit,
    immediate,
    requestBuffer,
    rest: tokens,
  };
}
