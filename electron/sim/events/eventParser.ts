// The shared event/action interpreter (spec §3.1-§3.7; InterpretGeneralEventAndActionsFields):
// condition, code, script and output blocks, then the ID, then pid/core/imm/stage/sc/buffer and the
// final checks. Failures before the ID use up nothing; any failure after it uses it up. Simulator side.
import { readFileSync } from 'node:fs';
import type { Stage } from '../engine/kernelEvents';
import type { Session } from '../cli/session';
import { MSG } from '../cli/messages';
import type { Token } from '../protocol/tokenizer';
import type { CompiledScript } from '../script/ast';
import { compileScript, ScriptSyntaxError } from '../script/parser';
import { MAX_OUTPUT_SOURCES_PER_EVENT } from '../forwarding/outputSources';
import { claimBlock, decodeActionHex, removeClaimed, splitOutputNames } from './eventBlocks';
import { readEventOptions } from './eventOptions';
/** `script {file:<path>}` reads the script from a file (spec §3.3). */
const SCRIPT_FILE_PREFIX = 'file:';

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
  /** Tags of the output sources its messages go to instead of the console (spec §6.4). */
  readonly outputTags: readonly number[];
  /** What is left for the command's own parser, the command name first. */
  readonly rest: Token[];
}

/**
 * A `condition {}` or `code {}` block (spec §3.2). Absent when there is no non-empty block. Not hex:
 * the message is printed and parsing carries on without it, its tokens left in the command.
 */
function interpretHexBlock(
  s: Session,
  tokens: Token[],
  role: 'condition' | 'code',
): Uint8Array | null {
  const block = claimBlock(tokens, role, 'asm');
  if (block.text === '') return null;
  if (block.flagged) {
    // v0.23 assembles with Keystone here; the simulator takes hex only (spec §3.2: "Use hex only").
    s.print("err, the simulator does not assemble 'asm' blocks, please use hex\n\n");
    return null;
  }
  const bytes = decodeActionHex(block.text);
  if (bytes === null) {
    s.print(MSG.hexNotation);
    return null;
  }
  removeClaimed(tokens, block.tokens);
  return bytes;
}

type ScriptResult = { kind: 'none' } | { kind: 'error' } | { kind: 'ok'; script: CompiledScript };

/** `script {}` (spec §3.3): `file:<path>` reads it from a file; a syntax error stops the command. */
function interpretScript(s: Session, tokens: Token[]): ScriptResult {
  const block = claimBlock(tokens, 'script');
  if (block.text === '') return { kind: 'none' };
  let source = block.text;
  if (source.startsWith(SCRIPT_FILE_PREFIX)) {
    source = readScriptFile(source.slice(SCRIPT_FILE_PREFIX.length));
    if (source === '') {
      s.print("err, either script file is not found or it's empty\n");
      return { kind: 'error' };
    }
  }
  try {
    const script = compileScript(source, (name) => s.symbols.resolve(name), s.scriptNames);
    removeClaimed(tokens, block.tokens);
    return { kind: 'ok', script };
  } catch (e) {
    if (!(e instanceof ScriptSyntaxError)) throw e;
    s.print(`${e.report}\n`);
    return { kind: 'error' };
  }
}

/** The file's text, '' when it cannot be read (the CLI does not tell the two apart). */
function readScriptFile(path: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return '';
  }
}

/**
 * `output {}` (spec §3.4, §6.4; InterpretOutput and its checks): the names, each matched with its
 * spaces removed against the created sources. A closed source or an unknown name stops the
 * command before the ID; a source not opened yet only gets a note per name. Null on failure.
 */
function interpretOutput(s: Session, tokens: Token[]): number[] | null {
  const block = claimBlock(tokens, 'output');
  if (block.text === '') return [];
  removeClaimed(tokens, block.tokens);
  const names = splitOutputNames(block.text);
  if (names.length === 0) {
    s.print('err, no input found\n');
    return null;
  }
  if (names.length > MAX_OUTPUT_SOURCES_PER_EVENT) {
    s.print(
      `err, based on this build of HyperDbg, the maximum input sources for a single event is 0x${MAX_OUTPUT_SOURCES_PER_EVENT.toString(16)} sources but you entered 0x${names.length.toString(16)} sources\n`,
    );
    return null;
  }
  const notFound =
    "err, the name you entered, not found. Did you use 'output' command to create it?\n";
  if (!s.outputs.initialized) {
    s.print(notFound);
    return null;
  }
  const tags: number[] = [];
  for (const name of names) {
    const source = s.outputs.find(name.replaceAll(' ', ''));
    if (source === undefined) {
      s.print(notFound);
      return null;
    }
    if (source.state === 'closed') {
      s.print('err, output source already closed\n');
      return null;
    }
    if (source.state === 'not opened')
      s.print(
        "some of the output(s) are not opened, it's not an error, but please ensure to open the output using the 'output' command to forward the results to the target resource\n",
      );
    tags.push(source.tag);
  }
  return tags;
}

/**
 * Spec §3.1: blocks first (condition, code, script, output; failures there use up no ID), then the
 * ID, then the keywords and the final checks, any failure of which uses the ID up. Returns the
 * parsed event, or null after printing why.
 */
export function interpretGeneralEventFields(
  s: Session,
  input: readonly Token[],
): ParsedEvent | null {
  const tokens = [...input];
  // Spec §3.1 step 1: the text `events` shows, taken before anything is removed.
  const commandText = tokens.map((t) => `${t.text} `).join('');
  const condition = interpretHexBlock(s, tokens, 'condition');
  const code = interpretHexBlock(s, tokens, 'code');
  const script = interpretScript(s, tokens);
  if (script.kind === 'error') return null;
  const outputTags = interpretOutput(s, tokens);
  if (outputTags === null) return null;

  const id = s.nextEventId++;
  const options = readEventOptions(tokens);
  if (!options.ok) {
    s.print(options.error);
    return null;
  }
  // Spec §3.1 step 7: with neither code nor script the action is "break", impossible in VMI mode.
  const breakAction = code === null && script.kind === 'none';
  if (s.link === null && breakAction) {
    s.print(MSG.breakInVmi);
    return null;
  }
  // `imm no` batches messages under an operation code no source matches (spec §3.7, §6.3).
  if (!options.value.values.immediate && outputTags.length > 0) {
    s.print("err, non-immediate message passing is not supported in 'output-forwarding mode'\n");
    return null;
  }
  removeClaimed(tokens, options.value.claimed);
  return {
    id,
    commandText,
    condition,
    code,
    script: script.kind === 'ok' ? script.script : null,
    breakAction,
    ...options.value.values,
    outputTags,
    rest: tokens,
  };
}
