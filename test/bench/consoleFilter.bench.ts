// The console's record-line filter (host side, runs on every chunk while a console listens)
// against the output parser on the same flood, measured in the same run: the parser reads every
// byte anyway, so the filter must not cost more than it does.
import { createOutputParser } from '../../shared/hyperdbg/outputParser';
import { RecordLineFilter } from '../../shared/hyperdbg/recordLineFilter';
import { formatRecordLine } from '../../shared/model/record';
import type { Bench } from './harness';

/** A flood of 20 MB: a few seconds of a busy register-dump action. */
const TRANSCRIPT_BYTES = 20 * 1024 * 1024;
/** Bytes per chunk: what the terminal stream gets per pty read. */
const CHUNK_BYTES = 64 * 1024;
const RUNS = 5;
/** The goal: with a console open, the host does at most twice the parsing work. */
const MAX_RATIO = 1;

function makeFlood(): { text: string; records: number } {
  const lines: string[] = [];
  let size = 0;
  let records = 0;
  for (let i = 0; size < TRANSCRIPT_BYTES; i++) {
    const length = [0x8, 0x18, 0x40, 0x80][i % 4] as number;
    const bytes = Uint8Array.from({ length }, (_, k) => (i * 31 + k * 7) & 0xff);
    const line =
      i % 50 === 0
        ? 'HyperDbg> events'
        : formatRecordLine({
            eventId: i % 20,
            core: i % 8,
            context: 0xfffff80000000000n + BigInt(i),
            length,
            bytes,
          });
    if (i % 50 !== 0) records++;
    lines.push(line);
    size += line.length + 1;
  }
  return { text: `${lines.join('\n')}\n`, records };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const bench: Bench = async () => {
  const { text, records } = makeFlood();
  const bytes = Buffer.from(text, 'latin1');
  const byteChunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES)
    byteChunks.push(bytes.subarray(i, i + CHUNK_BYTES));
  const filterTimes: number[] = [];
  const parseTimes: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    let t = performance.now();
    const f = new RecordLineFilter();
    let shown = 0;
    for (const c of byteChunks) for (const part of f.push(c)) shown += part.length;
    filterTimes.push(performance.now() - t);
    if (f.hidden !== records) throw new Error(`filter hid ${f.hidden} of ${records} records`);
    if (shown === 0) throw new Error('the filter let nothing through');
    t = performance.now();
    const p = createOutputParser();
    let parsed = 0;
    for (const c of byteChunks) for (const it of p.push(c)) if (it.type === 'record') parsed++;
    parseTimes.push(performance.now() - t);
    if (parsed !== records) throw new Error(`parser found ${parsed} of ${records} records`);
  }
  const filterMs = median(filterTimes);
  const parseMs = median(parseTimes);
  const mb = text.length / (1024 * 1024);
  return [
    {
      name: 'console filter: 20 MB record flood',
      baseline: { label: 'output parser, same flood', value: parseMs, unit: 'ms' },
      measured: { label: 'RecordLineFilter.push', value: filterMs, unit: 'ms' },
      ratio: filterMs / parseMs,
      ratioMeaning: 'filter time / parser time, lower is better',
      goal: {
        text: `filter <= ${MAX_RATIO}x the parser's time`,
        met: filterMs / parseMs <= MAX_RATIO,
      },
      spread: {
        runs: RUNS,
        min: Math.min(...filterTimes.map((f, i) => f / (parseTimes[i] as number))),
        max: Math.max(...filterTimes.map((f, i) => f / (parseTimes[i] as number))),
      },
      extra: {
        records,
        filterMBps: Number((mb / (filterMs / 1000)).toFixed(1)),
        parserMBps: Number((mb / (parseMs / 1000)).toFixed(1)),
      },
    },
  ];
};

export default bench;
