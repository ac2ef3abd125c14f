// Output parser throughput on a 100 MB transcript (mostly HDBG1 records, with prompts, text,
// kernel log lines and malformed records), against the least work any parser must do, measured
// in the same run: a Buffer.indexOf(10) loop that decodes every line with one TextDecoder.
import { createOutputParser } from '../../shared/hyperdbg/outputParser';
import { formatRecordLine } from '../../shared/model/record';
import { median, medianOfRuns, type Bench, type BenchResult } from './harness';

/** Transcript size: the 100 MB. */
const TRANSCRIPT_BYTES = 100 * 1024 * 1024;
/** Bytes per push: what a pty read typically hands over. */
const CHUNK_BYTES = 64 * 1024;
/** Distinct lines the transcript is drawn from (records dominate). */
const DISTINCT_RECORDS = 20_000;
/** Timed repetitions of each side; goals are judged on the median run, with the spread. */
const RUNS = 5;
/** Goals from the issue. */
const MAX_RATIO = 2;
const MIN_RECORDS_PER_SECOND = 1_000_000;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Record lengths seen in practice: the seed's process name, a few qwords, a register dump. */
const LENGTHS = [0x8, 0xf, 0x18, 0x20, 0x40, 0x80];

const OTHER_LINES = [
  'HyperDbg> ',
  'pid 4 name System',
  '(12:01:02.345 - core : 3 - vmx-root? yes)\t [+] Information (DebuggerPerformRunScript:1417) | Err, ScriptEngineExecute, function = dq',
  "err, couldn't resolve command at '__hdbg_sync_0001'",
  '',
  'HDBG1 0 0 0 9 1',
  '0\t(enabled)\t    !syscall 55 pid 4 buffer 40 code 9090 script  printf("x\\n");  ',
];

interface Transcript {
  readonly bytes: Buffer;
  readonly records: number;
}

function makeTranscript(): Transcript {
  const rand = rng(42);
  const records: Buffer[] = [];
  for (let i = 0; i < DISTINCT_RECORDS; i++) {
    const length = LENGTHS[Math.floor(rand() * LENGTHS.length)] as number;
    const bytes = new Uint8Array(length);
    for (let k = 0; k < length; k++) bytes[k] = rand() < 0.2 ? 0 : Math.floor(rand() * 256);
    const context = (BigInt(0xfffff800) << 32n) | BigInt(Math.floor(rand() * 0x100000000));
    const line = formatRecordLine({ eventId: i % 20, core: i % 8, context, length, bytes });
    records.push(Buffer.from(`${line}\n`, 'latin1'));
  }
  const others = OTHER_LINES.map((l) => Buffer.from(`${l}\n`, 'utf8'));
  const out = Buffer.allocUnsafe(TRANSCRIPT_BYTES);
  let off = 0;
  let count = 0;
  for (;;) {
    // About one line in fifty is not a record.
    const isRecord = rand() < 0.98;
    const line = isRecord
      ? (records[Math.floor(rand() * records.length)] as Buffer)
      : (others[Math.floor(rand() * others.length)] as Buffer);
    if (off + line.length > TRANSCRIPT_BYTES) break;
    line.copy(out, off);
    off += line.length;
    if (isRecord) count++;
  }
  return { bytes: out.subarray(0, off), records: count };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The floor: split at newlines, decode each line. Returns characters decoded (kept alive). */
function baseline(bytes: Buffer): number {
  const decoder = new TextDecoder();
  let pos = 0;
  let chars = 0;
  for (;;) {
    const nl = bytes.indexOf(10, pos);
    if (nl < 0) break;
    chars += decoder.decode(bytes.subarray(pos, nl)).length;
    pos = nl + 1;
  }
  return chars;
}

function parse(chunks: readonly Uint8Array[]): number {
  const parser = createOutputParser();
  let records = 0;
  for (const c of chunks) {
    const items = parser.push(c);
    for (let i = 0; i < items.length; i++)
      if ((items[i] as { type: string }).type === 'record') records++;
  }
  for (const it of parser.end()) if (it.type === 'record') records++;
  return records;
}

const bench: Bench = async () => {
  const { bytes, records } = makeTranscript();
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES)
    chunks.push(bytes.subarray(i, i + CHUNK_BYTES));
  const mb = bytes.length / (1024 * 1024);

  // Warm both paths up so the JIT has compiled them before timing.
  baseline(bytes.subarray(0, 8 * 1024 * 1024));
  parse(chunks.slice(0, 128));

  const baseTimes: number[] = [];
  const parseTimes: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    gc();
    let t = performance.now();
    const chars = baseline(bytes);
    baseTimes.push(performance.now() - t);
    if (chars === 0) throw new Error('baseline decoded nothing');
    gc();
    t = performance.now();
    const got = parse(chunks);
    parseTimes.push(performance.now() - t);
    if (got !== records)
      throw new Error(`parser found ${got} records, the transcript holds ${records}`);
  }
  const baseMs = median(baseTimes);
  const parseMs = median(parseTimes);
  // Each run's two sides ran back to back on the same machine state: judge their ratio per run.
  const ratio = medianOfRuns(parseTimes.map((t, i) => t / (baseTimes[i] as number)));
  const rate = medianOfRuns(parseTimes.map((t) => records / (t / 1000)));
  const recordsPerSecond = rate.value;
  const linesPerSecondBaseline = records / 0.98 / (baseMs / 1000);
  const extra = {
    transcriptMB: Number(mb.toFixed(1)),
    records,
    chunkBytes: CHUNK_BYTES,
    runs: RUNS,
    parserMBps: Number((mb / (parseMs / 1000)).toFixed(1)),
    baselineMBps: Number((mb / (baseMs / 1000)).toFixed(1)),
  };
  const time: BenchResult = {
    name: 'parser: 100 MB transcript',
    baseline: { label: 'indexOf+TextDecoder per line', value: baseMs, unit: 'ms' },
    measured: { label: 'createOutputParser().push', value: parseMs, unit: 'ms' },
    ratio: ratio.value,
    ratioMeaning: 'parser time / baseline time (median of the runs), lower is better',
    goal: { text: `parser <= ${MAX_RATIO}x the baseline's time`, met: ratio.value <= MAX_RATIO },
    spread: ratio.spread,
    extra,
  };
  const rateResult: BenchResult = {
    name: 'parser: records per second',
    baseline: { label: 'baseline lines/s (about)', value: linesPerSecondBaseline, unit: 'lines/s' },
    measured: { label: 'records decoded/s', value: recordsPerSecond, unit: 'records/s' },
    ratio: recordsPerSecond / linesPerSecondBaseline,
    ratioMeaning: 'parser records/s / baseline lines/s, higher is better',
    goal: {
      text: `>= ${MIN_RECORDS_PER_SECOND.toLocaleString('en')} records/s`,
      met: recordsPerSecond >= MIN_RECORDS_PER_SECOND,
    },
    spread: rate.spread,
    extra,
  };
  return [time, rateResult];
};

export default bench;
