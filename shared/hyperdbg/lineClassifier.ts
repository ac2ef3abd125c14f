// Recognises what one line of hyperdbg-cli output is: prompts (spec §1.4), the banner (§1.2),
// `events` rows (§4), kernel log lines (§2.10), Debugger-Mode pause and disassembly lines (§2.7),
// the listed error and status messages (messages.ts), records, or plain text. Pure; the output
// parser feeds it decoded lines with escapes, line ends and echoes already dealt with.
import { decodeRecordLine, explainMalformedRecord, startsWithRecordPrefix } from './recordLine';
import type { ParserItem, PromptItem } from './items';
import { matchMessage, MESSAGES, UNLISTED_ERROR } from './messages';

/** Every prompt but the continuation one ends in this (spec §1.4). */
export const PROMPT_TAIL = 'HyperDbg> ';
/**
 * The same with its trailing space dropped: conhost repaints trim trailing blanks and move the
 * cursor past them, so a prompt may arrive as `HyperDbg>` at the end of a line (spec §1.7).
 */
export const TRIMMED_PROMPT_TAIL = 'HyperDbg>';
/** The continuation prompt of a multi-line command (spec §1.3, §1.4). */
export const CONTINUATION_PROMPT = '> ';

/**
 * What may precede `HyperDbg> ` in a prompt, anchored at its end: `[ip:port] `, the user-mode
 * debugger's `pid:tid (state) u64` (the state is absent in older builds) or `core: k`.
 */
const PROMPT_HEAD_RE =
  /(?:\[(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})\] |([0-9a-fA-F]{1,8}):([0-9a-fA-F]{1,8}) (?:\((paused|running)\) )?u(86|64)|([0-9a-fA-F]{1,8}): k)$/;
/** Longest prompt head, in characters: only this much before `HyperDbg> ` is examined. */
const PROMPT_HEAD_MAX_CHARS = 48;

export interface FoundPrompt {
  /** Where the prompt starts in the line. */
  readonly start: number;
  /** Just past its `HyperDbg> `. */
  readonly end: number;
  readonly item: PromptItem;
}

/**
 * The prompt whose `HyperDbg> ` is at `tail`, looking back no further than `from`. With
 * `trimmed`, the line ends in `HyperDbg>` (its space dropped by conhost): the item's text is the
 * prompt as the CLI printed it, space included.
 */
export function promptAt(line: string, from: number, tail: number, trimmed = false): FoundPrompt {
  const headFrom = Math.max(from, tail - PROMPT_HEAD_MAX_CHARS);
  const m = PROMPT_HEAD_RE.exec(line.slice(headFrom, tail));
  const end = tail + (trimmed ? TRIMMED_PROMPT_TAIL.length : PROMPT_TAIL.length);
  if (m === null)
    return { start: tail, end, item: { type: 'prompt', mode: 'vmi', text: PROMPT_TAIL } };
  const start = headFrom + m.index;
  const text = line.slice(start, tail) + PROMPT_TAIL;
  if (m[1] !== undefined)
    return { start, end, item: { type: 'prompt', mode: 'remote', text, host: m[1], port: m[2] } };
  if (m[3] !== undefined) {
    const item: PromptItem = {
      type: 'prompt',
      mode: 'user',
      text,
      pid: parseInt(m[3], 16),
      tid: parseInt(m[4] as string, 16),
      arch: m[6] as '86' | '64',
      ...(m[5] !== undefined ? { state: m[5] as 'paused' | 'running' } : {}),
    };
    return { start, end, item };
  }
  return {
    start,
    end,
    item: { type: 'prompt', mode: 'kernel', text, core: parseInt(m[7] as string, 16) },
  };
}

const BANNER_RE = /^HyperDbg Debugger \[version: ([^,\]]+), build: ([^\]]+)\]$/;
/** `"%x\t(%s)\t    %s\n"` (spec §4); spaces stand in for TABs where ConPTY expanded them. */
const EVENTS_ROW_RE = /^([0-9a-fA-F]{1,8})(?:\t| +)\((enabled|disabled)\)(?:\t {4}|\t| +)(.*)$/;
/** Row text longer than 70 characters is cut and given `...` (spec §4). */
const EVENTS_ROW_ELLIPSIS = '...';
/** `"(%s - core : %d - vmx-root? %s)\t %s"` + `"[+] Information (%s:%d) | <msg>"` (§2.10). */
const KERNEL_LOG_RE =
  /^\((\d{2}:\d{2}:\d{2}\.\d{3}) - core : (\d+) - vmx-root\? (yes|no)\)(?:\t | +)\[([+!-])\] (Information|Warning|Error) \((.*?):(\d+)\) \| (.*)$/;
const PAUSE_EVENT_RE = /^event 0x([0-9a-fA-F]+) triggered \((pre|post)\)$/;
const PAUSE_BREAKPOINT_RE = /^breakpoint 0x([0-9a-fA-F]+) hit$/;
/**
 * `HyperDbgDisassembler64` (spec §2.7): `hi8`lo8`, three spaces, ` %02X` per byte, three spaces
 * per byte short of 12, then ` <instruction>` and maybe ` [taken]` / ` [not taken]`.
 */
const DISASSEMBLY_RE =
  /^([0-9a-fA-F]{8})`([0-9a-fA-F]{8}) {3}((?: [0-9A-F]{2})+) +(\S.*?)(?: \[(taken|not taken)\])?$/;
const LEVELS = { Information: 'information', Warning: 'warning', Error: 'error' } as const;

const encoder = new TextEncoder();

/** Whether a line looks like a record of some version: `HDBG` and a digit. */
export function looksLikeRecord(line: string): boolean {
  if (line.length < 5 || !line.startsWith('HDBG')) return false;
  const c = line.charCodeAt(4);
  return c >= 0x30 && c <= 0x39;
}

/** The item for one line part that holds no prompt and is no echo. */
export function classifyLine(line: string): ParserItem {
  if (line.length === 0) return { type: 'text', text: '' };
  if (looksLikeRecord(line)) {
    if (line.startsWith('HDBG1 ') || line.startsWith('HDBG2 ')) {
      const b = encoder.encode(line);
      if (startsWithRecordPrefix(b, 0, b.length)) {
        const rec = decodeRecordLine(b, 0, b.length);
        if (rec !== null) return rec;
      }
    }
    return { type: 'text', text: line, malformed: true, reason: explainMalformedRecord(line) };
  }
  const c = line.charCodeAt(0);
  if (c === 0x48 /* H */) {
    const m = BANNER_RE.exec(line);
    if (m !== null) {
      const version = m[1] as string;
      return {
        type: 'banner',
        version,
        build: m[2] as string,
        simulator: version.endsWith('-sim'),
        text: line,
      };
    }
  } else if (c === 0x28 /* ( */) {
    const m = KERNEL_LOG_RE.exec(line);
    if (m !== null)
      return {
        type: 'kernel-log',
        time: m[1] as string,
        core: Number(m[2]),
        vmxRoot: m[3] === 'yes',
        level: LEVELS[m[5] as keyof typeof LEVELS],
        function: m[6] as string,
        line: Number(m[7]),
        message: m[8] as string,
        text: line,
      };
  } else if (isHexDigit(c)) {
    const row = EVENTS_ROW_RE.exec(line);
    if (row !== null) {
      const command = row[3] as string;
      return {
        type: 'events-row',
        id: parseInt(row[1] as string, 16),
        enabled: row[2] === 'enabled',
        command,
        truncated: command.endsWith(EVENTS_ROW_ELLIPSIS),
      };
    }
    const dis = DISASSEMBLY_RE.exec(line);
    if (dis !== null) {
      const hex = (dis[3] as string).replaceAll(' ', '');
      const bytes = new Uint8Array(hex.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
      return {
        type: 'disassembly',
        address: BigInt(`0x${dis[1] as string}${dis[2] as string}`),
        bytes,
        instruction: dis[4] as string,
        ...(dis[5] !== undefined ? { branch: dis[5] === 'taken' ? 'taken' : 'not-taken' } : {}),
        text: line,
      } as const;
    }
  }
  const pause = classifyPause(line);
  if (pause !== undefined) return pause;
  const msg = matchMessage(line);
  if (msg !== undefined)
    return { type: msg.def.severity, code: msg.def.code, text: line, args: msg.args };
  if (line.startsWith('err, ') || line.startsWith('Err, '))
    return { type: 'error', code: UNLISTED_ERROR, text: line, args: [] };
  return { type: 'text', text: line };
}

/**
 * Characters of a table row's literal start used to find it inside a line: enough to be rare in
 * other text, short enough to keep the search pattern small.
 */
const GLUED_PREFIX_CHARS = 16;
/** Shorter literal starts (`%s successfully cleared...`) are too common to search for. */
const GLUED_PREFIX_MIN_CHARS = 4;
/** Lines shorter than this cannot hold text plus a glued line. */
const GLUED_MIN_LINE_CHARS = 5;

let gluedStartRe: RegExp | null = null;

/**
 * Where a line the CLI prints could start inside another: every message row's literal start,
 * records, kernel log lines, Debugger-Mode pause reasons and disassembly lines.
 */
function gluedStarts(): RegExp {
  if (gluedStartRe !== null) return gluedStartRe;
  const literals = new Set<string>([
    'HDBG1 ',
    'HDBG2 ',
    'event 0x',
    'breakpoint 0x',
    'switched to the ',
    'the target module is loaded',
  ]);
  for (const m of MESSAGES) {
    const format = m.format.trimEnd();
    const at = format.search(/%[sxdu]/);
    const literal = (at < 0 ? format : format.slice(0, at)).slice(0, GLUED_PREFIX_CHARS);
    if (literal.length >= GLUED_PREFIX_MIN_CHARS) literals.add(literal);
  }
  const escaped = [...literals].map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  escaped.push('\\(\\d{2}:\\d{2}:\\d{2}\\.\\d{3} - core : ', '[0-9a-fA-F]{8}`[0-9a-fA-F]{8} {3}');
  gluedStartRe = new RegExp(escaped.join('|'), 'g');
  return gluedStartRe;
}

/**
 * The items of one line part. A script `printf` without a trailing `\n` leaves the line open, so
 * the next line the CLI prints starts in the middle of it (`abc` + `err, ...`): when the part is
 * plain text and a line the CLI prints (a table message, a record, a kernel log line, a pause
 * line) ends it, that line is recognised and the text before it kept as text. An `err, ` line
 * no table row knows is not split off: inside user text it is more likely the text itself.
 */
export function classifyParts(line: string): ParserItem[] {
  const item = classifyLine(line);
  if (item.type !== 'text' || item.malformed === true || line.length < GLUED_MIN_LINE_CHARS)
    return [item];
  const re = gluedStarts();
  re.lastIndex = 1;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    const at = m.index;
    const tail = classifyLine(line.slice(at));
    // Only what decodes is split off. `HDBG1 %x ...` inside a typed command (a `.logopen` file
    // or a transcript holds the commands) is the command's text, not a broken record; a broken
    // record at the start of a line is still reported as malformed (classifyLine).
    const known = tail.type !== 'text' && !(tail.type === 'error' && tail.code === UNLISTED_ERROR);
    if (known) return [{ type: 'text', text: line.slice(0, at) }, tail];
    re.lastIndex = at + 1;
  }
  return [item];
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Debugger Mode's reason lines before the disassembly of a pause (spec §2.7). */
function classifyPause(line: string): ParserItem | undefined {
  switch (line.charCodeAt(0)) {
    case 0x65 /* e */: {
      const m = PAUSE_EVENT_RE.exec(line);
      if (m === null) return undefined;
      const stage = m[2] === 'pre' ? 'pre' : 'post';
      return {
        type: 'pause',
        reason: 'event',
        eventId: parseInt(m[1] as string, 16),
        stage,
        text: line,
      };
    }
    case 0x62 /* b */: {
      const m = PAUSE_BREAKPOINT_RE.exec(line);
      if (m === null) return undefined;
      return {
        type: 'pause',
        reason: 'breakpoint',
        breakpointId: parseInt(m[1] as string, 16),
        text: line,
      };
    }
    case 0x73 /* s */:
      if (line === 'switched to the specified process')
        return { type: 'pause', reason: 'process-switch', text: line };
      if (line === 'switched to the specified thread')
        return { type: 'pause', reason: 'thread-switch', text: line };
      return undefined;
    case 0x74 /* t */:
      if (line === 'the target module is loaded and a breakpoint is set to the entrypoint')
        return { type: 'pause', reason: 'entrypoint', text: line };
      return undefined;
    default:
      return undefined;
  }
}
