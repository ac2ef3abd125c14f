// Child process of crash.test.ts: feeds records into the real log service as fast as it can,
// in odd-sized batches as the session engine would, printing `file <path>` once, then
// `sent <n>` after each hand-over and `stored <n>` after each committed write. Killed mid-stream.
import { writeSync } from 'node:fs';
import { createStreamHub } from '../../../shared/contract/hub';
import { LogService } from '../../../electron/host/log/logService';
import { makeRecords, standardResolver } from '../../helpers/inProcessHost';

/** Not a divisor of the write batch (500): some records always wait for the 16 ms timer. */
const HAND_OVER = 137;

const [dataDir] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: crashChild DATA_DIR');
const hub = createStreamHub();
const log = new LogService({ hub, dataDir, resolveSource: standardResolver });
hub.subscribe('log:update', (u) => writeSync(1, `stored ${u.total}\n`));
writeSync(1, `file ${log.file}\n`);
let sent = 0;
const tick = () => {
  log.records(makeRecords(sent, HAND_OVER));
  sent += HAND_OVER;
  writeSync(1, `sent ${sent}\n`);
  setImmediate(tick);
};
tick();
