// Helpers for the output parser's tests: parse chunks to JSON items, split a transcript at byte
// boundaries, a seeded random source.
import { itemToJson, type ItemJson } from '../../../shared/hyperdbg/itemJson';
import {
  createOutputParser,
  type OutputParser,
  type OutputParserOptions,
} from '../../../shared/hyperdbg/outputParser';

export interface ParseSetup {
  readonly options?: OutputParserOptions;
  /** Lines the session sent, announced before the first chunk. */
  readonly echoes?: readonly string[];
}

export function newParser(setup: ParseSetup = {}): OutputParser {
  const p = createOutputParser(setup.options);
  for (const e of setup.echoes ?? []) p.expectEcho(e);
  return p;
}

/** All items of a transcript given as chunks, in the JSON form `parse` prints. */
export function parseChunks(
  chunks: readonly (string | Uint8Array)[],
  setup: ParseSetup = {},
): ItemJson[] {
  const p = newParser(setup);
  const out: ItemJson[] = [];
  for (const c of chunks) for (const it of p.push(c)) out.push(itemToJson(it));
  for (const it of p.end()) out.push(itemToJson(it));
  return out;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The transcript cut in two at byte `k`. */
export function splitAt(bytes: Uint8Array, k: number): Uint8Array[] {
  return [bytes.subarray(0, k), bytes.subarray(k)];
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The transcript cut at random places into chunks of 1..maxChunk bytes. */
export function randomChunks(
  bytes: Uint8Array,
  rand: () => number,
  maxChunk: number,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < bytes.length) {
    const n = 1 + Math.floor(rand() * maxChunk);
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}
