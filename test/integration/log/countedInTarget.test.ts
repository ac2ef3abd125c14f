// Counted in the target end to end below the UI: the session service drives the stock simulator
// (realistic pacing, v0.23's 33 packets/s reader) with the generated HDBGT script; the tables come
// back over the record sink or the console, through the forwarder into the log service, and the
// table the Counts pane shows (log:target-counts) equals the simulator's triggers by process up to
// the last period (--stats-file).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStreamHub } from '../../../shared/contract/hub';
import { countedTableScript } from '../../../shared/delivery/countedTable';
import { LogService } from '../../../electron/host/log/logService';
import { SessionService } from '../../../electron/host/session/sessionService';
import { eventually, simProfile } from '../../helpers/sessionHarness';
import { tempDir } from '../../helpers/paths';

/** EPROCESS.ImageFileName on the default 1909 guest (resources/windows-builds.json). */
const NAME_OFFSET = 0x450;
const PERIOD = 0x400;

describe.each(['auto', 'console'] as const)(
  'counted in the target (records channel %s)',
  (channel) => {
    it('the shown totals equal the simulator ground truth by process', async () => {
      const dataDir = tempDir('hds-counted-');
      const stats = join(dataDir, 'stats.json');
      const log = new LogService({
        dataDir,
        hub: createStreamHub(),
        kind: 'capture',
        appVersion: '0',
      });
      const service = new SessionService({
        hub: createStreamHub(),
        dataDir,
        sink: log,
        recordChannel: channel,
      });
      try {
        const st = await service.connect(
          simProfile('local', { seed: 9, stock: true, rate: 5000, pacing: 'realistic' }),
          ['--stats-file', stats],
        );
        expect(st.status).toBe('ready');
        const script = countedTableScript({
          payload: {
            length: 15,
            words: [`dq($proc+0x${NAME_OFFSET.toString(16)})`, `dq($proc+0x458)`],
            origin: 'derived',
          },
          periodTriggers: PERIOD,
          tag: channel.slice(0, 4),
        });
        const ev = await service.applyEvent({ kind: '!syscall', script });
        const id = parseInt(ev.id, 16);
        const latest = () => log.targetCounts().tables.find((t) => t.eventId === id);
        await eventually(() => (latest()?.seq ?? 0) >= 3, 20_000, 'three count tables');
        await service.setEventState(ev.id, 'disable');
        // What the pane shows once the event stopped: the last table.
        await new Promise((r) => setTimeout(r, 500));
        const shown = latest();
        await service.disconnect();
        if (shown === undefined) throw new Error('no table');
        const s = JSON.parse(readFileSync(stats, 'utf8')) as {
          events: Record<string, Record<string, number>>;
          triggersByProcess: Record<string, Record<string, number>>;
        };
        const e = s.events[id.toString(16)] as Record<string, number>;
        const truth = new Map<string, number>();
        for (const [name, n] of Object.entries(s.triggersByProcess[id.toString(16)] ?? {}))
          truth.set(name.slice(0, 8), (truth.get(name.slice(0, 8)) ?? 0) + n);
        expect(shown.total).toBe(PERIOD * shown.seq);
        // The rate measured from the tables is the guest's: system calls are a share of its 5000/s.
        expect(shown.triggersPerSecond).toBeGreaterThan(1000);
        expect(shown.triggersPerSecond).toBeLessThan(5000);
        expect(shown.entries.reduce((a, x) => a + x.count, shown.other)).toBe(shown.total);
        let behind = 0;
        for (const { key, count } of shown.entries) {
          const t = truth.get(key);
          expect(t, key).toBeDefined();
          expect(count).toBeLessThanOrEqual(t as number);
          behind += (t as number) - count;
        }
        // Exact up to the last table: only the triggers after it (fewer than a period) are missing.
        expect(behind).toBe((e.triggers as number) - shown.total);
        expect(behind).toBeLessThan(PERIOD);
        // Each key the guest triggered with is in the table (16 slots hold the guest's processes).
        expect(new Set(shown.entries.map((x) => x.key))).toEqual(new Set(truth.keys()));
        expect(e.dropped).toBe(0);
      } finally {
        await service.dispose();
        log.dispose();
      }
    }, 60_000);
  },
);
