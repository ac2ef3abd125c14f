// The per-event keywords read once the ID is taken (spec §3.1 step 8, §3.4, §3.5): `pid`, `core`,
// `imm`, `stage`, `sc` and `buffer`, each taking the next token as its value, the last one
// winning; then the checks of spec §3.7 on them. Simulator side; pure.
import { APPLY_TO_ALL, type Stage } from '../engine/kernelEvents';
import { parseUInt32 } from '../protocol/numbers';
import type { Token } from '../protocol/tokenizer';
import { fail, ok, type Result } from '../../../shared/result';

export interface EventOptionValues {
  core: number;
  pid: number;
  stage: Stage;
  shortCircuit: boolean;
  immediate: boolean;
  /** Bytes of the safe buffer every action asks for (spec §3.5); 0 for none. */
  requestBuffer: number;
}

/** The values, and which tokens the keywords and their values took; or the CLI's error text. */
export interface EventOptions {
  readonly values: Readonly<EventOptionValues>;
  readonly claimed: ReadonlySet<number>;
}

export type EventOptionsResult = Result<EventOptions, string>;

/** Defaults (spec §3.1 step 6, §3.4): all cores and processes, stage pre, immediate messaging. */
const DEFAULTS: Readonly<EventOptionValues> = {
  core: APPLY_TO_ALL,
  pid: APPLY_TO_ALL,
  stage: 'pre',
  shortCircuit: false,
  immediate: true,
  requestBuffer: 0,
};

/** Reads a keyword's value into the draft; returns the CLI's error text when it is invalid. */
type ValueReader = (value: Token, draft: EventOptionValues) => string | null;

/** Values are hex unless prefixed (spec §1.3); each reader carries its v0.23 error text. */
const VALUE_READERS: Readonly<Record<string, ValueReader>> = {
  pid: (v, d) => {
    const pid = v.lower === 'all' ? APPLY_TO_ALL : parseUInt32(v.text);
    if (pid === null) return 'err, pid is invalid\n';
    d.pid = pid;
    return null;
  },
  core: (v, d) => {
    const core = parseUInt32(v.text);
    if (core === null) return 'err, core id is invalid\n';
    d.core = core;
    return null;
  },
  imm: (v, d) => {
    if (v.lower !== 'yes' && v.lower !== 'no') return 'err, immediate messaging token is invalid\n';
    d.immediate = v.lower === 'yes';
    return null;
  },
  stage: (v, d) => {
    if (v.lower !== 'pre' && v.lower !== 'post' && v.lower !== 'all')
      return "err, the specified execution mode is invalid; you can either choose 'pre' or 'post'\n";
    d.stage = v.lower;
    return null;
  },
  sc: (v, d) => {
    if (v.lower !== 'on' && v.lower !== 'off')
      return "err, the specified short-circuiting state is invalid; you can either choose 'on' or 'off'\n";
    d.shortCircuit = v.lower === 'on';
    return null;
  },
  // Spec §3.5: hex, so `buffer 100` is 256 bytes; the kernel's size limit is checked later.
  buffer: (v, d) => {
    const size = parseUInt32(v.text);
    if (size === null) return 'err, buffer size is invalid\n';
    d.requestBuffer = size;
    return null;
  },
};

/**
 * Reads every keyword/value pair. A keyword's value is simply the next token, whatever it is, so
 * `pid core 1` is an invalid pid. Stops at the first invalid value; a keyword at the very end
 * has no value (spec §3.7).
 */
export function readEventOptions(tokens: readonly Token[]): EventOptionsResult {
  const values: EventOptionValues = { ...DEFAULTS };
  const claimed = new Set<number>();
  let keyword: string | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (keyword !== null) {
      claimed.add(i);
      const error = (VALUE_READERS[keyword] as ValueReader)(t, values);
      if (error !== null) return fail(error);
      keyword = null;
    } else if (Object.hasOwn(VALUE_READERS, t.lower)) {
      claimed.add(i);
      keyword = t.lower;
    }
  }
  if (keyword !== null) return fail(`err, please specify a value for '${keyword}'\n`);
  if (values.shortCircuit && values.stage !== 'pre')
    return fail(
      "err, using the short-circuiting mechanism with 'post' or 'all' stage events doesn't make sense; it's not supported!\n",
    );
  return ok({ values, claimed });
}
