// Issue 6's benchmark: the browser-mode UI (Debian Chromium, the real web host in this process)
// while records arrive through the log's real sink at 20,000 per second, against the same UI
// idle in the same run: frame time p95 (requestAnimationFrame deltas in the page) and
// click-to-response latency (pause view until the page shows it paused), each judged on the
// median of several rounds and only while the feed really ran at its rate with nothing lost; and
// the renderer's heap after 1,000,000 records against after 100,000 (memory bounded by the view).
import type { CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { startFeed, startInProcessHost, type Feed } from '../helpers/inProcessHost';
import {
  medianOfRuns,
  percentile,
  sortedCopy,
  type Bench,
  type BenchResult,
  type Spread,
} from './harness';

/** The flood: records per second arriving while the user works. */
const RATE = 20_000;
/** The goals. */
const GOAL_FRAME_P95_MS = 33;
const GOAL_CLICK_P95_MS = 100;
/** "Flat": the heap after ten times the records may grow by at most this factor. */
const GOAL_HEAP_RATIO = 1.5;
/**
 * Frame-time rounds per phase, each a window of ~240 frames at 60 frames/s: the goal takes the
 * median of the rounds' p95, so one window that a neighbour process disturbed cannot decide it.
 */
const FRAME_ROUNDS = 5;
const FRAME_WINDOW_MS = 4_000;
const WARMUP_MS = 2_000;
/** Click rounds per phase, each 5 pauses and 5 resumes; the goal takes the median round's p95. */
const CLICK_ROUNDS = 5;
const CLICKS = 10;
/**
 * The feed must really deliver its rate while the UI is measured, or the flood flatters the UI:
 * the feed catches up late ticks, so over tens of seconds it keeps within 5% of its rate unless
 * the host itself cannot keep up (which is then a miss, not a pass at a lower rate).
 */
const MIN_FEED_SHARE = 0.95;
const PAUSE_BETWEEN_CLICKS_MS = 150;
const EARLY_RECORDS = 100_000;
/** Time the process gets to end by itself after the results. */
const EXIT_GRACE_MS = 10_000;
const TOTAL_RECORDS = 1_000_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** In-page probes: a rAF loop recording frame deltas, and click-to-DOM-change latencies. */
const PROBES = () => {
  const w = window as unknown as {
    __frames: { on: boolean; last: number; deltas: number[] };
    __clicks: { t0: number; paused: boolean; lat: number[] };
  };
  w.__frames = { on: false, last: 0, deltas: [] };
  const loop = (t: number) => {
    const f = w.__frames;
    if (f.on && f.last > 0) f.deltas.push(t - f.last);
    f.last = t;
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  w.__clicks = { t0: 0, paused: false, lat: [] };
  document.addEventListener('pointerdown', () => (w.__clicks.t0 = performance.now()), true);
  const pane = document.querySelector('[data-testid="live-log"]');
  if (pane === null) throw new Error('no live log pane');
  // The pause banner appearing or going is the response the user sees; it is committed inside
  // a frame callback and painted at the end of that same frame.
  new MutationObserver(() => {
    const paused = document.querySelector('[data-testid="log-paused-banner"]') !== null;
    if (paused === w.__clicks.paused) return;
    w.__clicks.paused = paused;
    if (w.__clicks.t0 > 0) w.__clicks.lat.push(performance.now() - w.__clicks.t0);
    w.__clicks.t0 = 0;
  }).observe(pane, { childList: true, subtree: true });
};

/** Seconds the page's main thread spent in tasks so far (CDP `TaskDuration`). */
async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
}

/** Frame deltas over the window, and how busy the page's main thread and this host were. */
async function frames(
  page: Page,
  cdp: CDPSession,
): Promise<{ deltas: number[]; pageBusy: number; hostCpu: number }> {
  const task0 = await taskSeconds(cdp);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await page.evaluate(() => {
    const f = (window as unknown as { __frames: { on: boolean; deltas: number[] } }).__frames;
    f.deltas = [];
    f.on = true;
  });
  await sleep(FRAME_WINDOW_MS);
  const deltas = await page.evaluate(() => {
    const f = (window as unknown as { __frames: { on: boolean; deltas: number[] } }).__frames;
    f.on = false;
    return f.deltas;
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    deltas,
    pageBusy: ((await taskSeconds(cdp)) - task0) / seconds,
    hostCpu: (cpu.user + cpu.system) / 1e6 / seconds,
  };
}

async function clicks(page: Page): Promise<number[]> {
  await page.evaluate(() => {
    (window as unknown as { __clicks: { lat: number[] } }).__clicks.lat = [];
  });
  for (let i = 0; i < CLICKS; i++) {
    await page.getByTestId('log-pause').click();
    await page.waitForFunction(
      (n) => (window as unknown as { __clicks: { lat: number[] } }).__clicks.lat.length >= n,
      i + 1,
      { timeout: 10_000 },
    );
    await sleep(PAUSE_BETWEEN_CLICKS_MS);
  }
  // End unpaused, following the tail (the heaviest state for the renderer).
  if ((await page.getByTestId('log-paused-banner').count()) > 0)
    await page.getByTestId('log-pause').click();
  return page.evaluate(() => (window as unknown as { __clicks: { lat: number[] } }).__clicks.lat);
}

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize');
  if (used === undefined) throw new Error('no JSHeapUsedSize metric');
  return used.value;
}

async function waitForTotal(page: Page, n: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    (want) =>
      Number(
        (document.querySelector('[data-testid="log-count-total"]')?.textContent ?? '').replace(
          /[^0-9]/g,
          '',
        ),
      ) >= want,
    n,
    { timeout: timeoutMs, polling: 250 },
  );
}

/**
 * Several rounds of one measurement: the median of the rounds' p95 with its spread (what the
 * goal is judged on), and the p50 and the worst sample over all rounds pooled.
 */
function rounds(perRound: readonly (readonly number[])[]): {
  p95: number;
  spread: Spread;
  p50: number;
  max: number;
  n: number;
} {
  const all = sortedCopy(perRound.flat());
  const p95 = medianOfRuns(perRound.map((r) => percentile(sortedCopy(r), 95)));
  return {
    p95: p95.value,
    spread: p95.spread,
    p50: percentile(all, 50),
    max: all[all.length - 1] ?? NaN,
    n: all.length,
  };
}
const r1 = (x: number) => Math.round(x * 10) / 10;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** FRAME_ROUNDS frame windows and CLICK_ROUNDS click rounds, in that order. */
async function measureUi(page: Page, cdp: CDPSession) {
  const frameRounds: Awaited<ReturnType<typeof frames>>[] = [];
  for (let i = 0; i < FRAME_ROUNDS; i++) frameRounds.push(await frames(page, cdp));
  const clickRounds: number[][] = [];
  for (let i = 0; i < CLICK_ROUNDS; i++) clickRounds.push(await clicks(page));
  return {
    frames: rounds(frameRounds.map((f) => f.deltas)),
    clicks: rounds(clickRounds),
    pageBusy: mean(frameRounds.map((f) => f.pageBusy)),
    hostCpu: mean(frameRounds.map((f) => f.hostCpu)),
  };
}

const bench: Bench = async () => {
  const host = await startInProcessHost();
  const browser = await launchChromium();
  let feed: Feed | undefined;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(host.url);
    await page.getByTestId('tab-log').click();
    await page.getByTestId('live-log').waitFor();
    await page.evaluate(PROBES);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.enable');

    // Baseline: the same UI, idle.
    await sleep(WARMUP_MS);
    const idle = await measureUi(page, cdp);

    // The flood (its first 100,000 records are the warm-up, and the heap's baseline). No limit:
    // however long the warm-up took, the feed still runs at full rate while the UI is measured;
    // it stops once the page shows a million.
    feed = startFeed(host.sink, RATE);
    await waitForTotal(page, EARLY_RECORDS, 120_000);
    const heapEarly = await heapAfterGc(cdp);
    const atEarly = host.sink.getStats().total;
    // What the feed really delivered while the UI was measured.
    const sentBefore = feed.sent;
    const t0 = performance.now();
    const load = await measureUi(page, cdp);
    const feedRate = (feed.sent - sentBefore) / ((performance.now() - t0) / 1000);
    await waitForTotal(page, TOTAL_RECORDS, 300_000);
    feed.stop();
    const fed = feed.sent;
    await waitForTotal(page, fed, 60_000);
    const heapLate = await heapAfterGc(cdp);
    const s = host.sink.getStats();
    const rows = await page.getByTestId('log-row').count();
    const zeroLoss = s.lost === 0 && s.total === fed;
    const fedInFull = feedRate >= RATE * MIN_FEED_SHARE;
    const underFlood = `while >= ${(RATE * MIN_FEED_SHARE).toLocaleString('en')} records/s arrive, none lost`;

    const common = {
      records: s.total,
      'fed records': fed,
      'achieved records/s while measured': Math.round(feedRate),
      lost: s.lost,
      'rows in DOM': rows,
    };
    const results: BenchResult[] = [
      {
        name: 'live log: frame time p95 while 20,000 records/s arrive',
        baseline: { label: 'idle p95', value: r1(idle.frames.p95), unit: 'ms' },
        measured: { label: 'flood p95', value: r1(load.frames.p95), unit: 'ms' },
        ratio: load.frames.p95 / idle.frames.p95,
        ratioMeaning: 'flood / idle, lower is better',
        goal: {
          text: `p95 frame time < ${GOAL_FRAME_P95_MS} ms ${underFlood}`,
          met: load.frames.p95 < GOAL_FRAME_P95_MS && fedInFull && zeroLoss,
        },
        spread: load.frames.spread,
        extra: {
          'idle p50 ms': r1(idle.frames.p50),
          'flood p50 ms': r1(load.frames.p50),
          'flood max ms': r1(load.frames.max),
          'frames idle': idle.frames.n,
          'frames flood': load.frames.n,
          'page main thread busy idle %': Math.round(idle.pageBusy * 100),
          'page main thread busy flood %': Math.round(load.pageBusy * 100),
          'host process CPU flood %': Math.round(load.hostCpu * 100),
          ...common,
        },
      },
      {
        name: 'live log: click-to-response p95 (pause/resume view) while 20,000 records/s arrive',
        baseline: { label: 'idle p95', value: r1(idle.clicks.p95), unit: 'ms' },
        measured: { label: 'flood p95', value: r1(load.clicks.p95), unit: 'ms' },
        ratio: load.clicks.p95 / idle.clicks.p95,
        ratioMeaning: 'flood / idle, lower is better',
        goal: {
          text: `p95 click-to-response < ${GOAL_CLICK_P95_MS} ms ${underFlood}`,
          met: load.clicks.p95 < GOAL_CLICK_P95_MS && fedInFull && zeroLoss,
        },
        spread: load.clicks.spread,
        extra: {
          'idle p50 ms': r1(idle.clicks.p50),
          'flood p50 ms': r1(load.clicks.p50),
          'flood max ms': r1(load.clicks.max),
          clicks: load.clicks.n,
          ...common,
        },
      },
      {
        name: 'live log: renderer heap after 1,000,000 records',
        baseline: {
          label: `heap after ${Math.round(atEarly / 1000)}k records`,
          value: r1(heapEarly / 1e6),
          unit: 'MB',
        },
        measured: {
          label: `heap after ${Math.round(fed / 1000)}k records`,
          value: r1(heapLate / 1e6),
          unit: 'MB',
        },
        ratio: heapLate / heapEarly,
        ratioMeaning: 'after 1M / after 100k; 1 = flat',
        goal: {
          text: `flat: at most ${GOAL_HEAP_RATIO}x, none of the records fed lost`,
          met: heapLate / heapEarly <= GOAL_HEAP_RATIO && zeroLoss,
        },
        extra: { 'database MB': r1(s.fileBytes / 1e6), ...common },
      },
    ];
    return results;
  } finally {
    feed?.stop();
    await browser.close();
    await host.stop();
    // Results are out; a child process left behind (a simulator the page connected) must not
    // keep this benchmark's process alive.
    setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
  }
};

export default bench;
