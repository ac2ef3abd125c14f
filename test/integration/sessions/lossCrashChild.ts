// Child process of pastLoss.test.ts: a session whose run crashes. CLI run 1 delivers numbered
// records with gaps and ends (the meta then holds the loss so far); run 2 starts (the meta's
// figures are written again, as of then) and delivers more records with gaps; once they are
// stored the child prints `stored <file>` and waits to be killed, so the meta's loss is stale.
import { writeSync } from 'node:fs';
import { createStreamHub } from '../../../shared/contract/hub';
import { LogService } from '../../../electron/host/log/logService';
import { standardResolver } from '../../helpers/inProcessHost';
import { numberedRecords } from '../../helpers/numberedRecords';
import { CRASH_PLAN } from './lossPlans';

const [dataDir] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: lossCrashChild DATA_DIR');
const log = new LogService({ hub: createStreamHub(), dataDir, resolveSource: standardResolver });
const label = 'Simulator, local VMI';
log.sessionStarted({ generation: 1, at: 1_700_000_000_000, targetLabel: label });
log.records(numberedRecords(0, CRASH_PLAN.run1, { generation: 1, drop: CRASH_PLAN.drop }).records);
log.sessionEnded({ generation: 1, at: 1_700_000_010_000, targetLabel: label, reason: 'exit 0' });
log.sessionStarted({ generation: 2, at: 1_700_000_020_000, targetLabel: label });
log.records(
  numberedRecords(0, CRASH_PLAN.run2, { generation: 2, drop: CRASH_PLAN.drop, lateEvery: 7 })
    .records,
);
log.flush();
writeSync(1, `stored ${log.file}\n`);
setInterval(() => undefined, 1000);
