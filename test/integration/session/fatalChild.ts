// Child process of fatalFlush.test.ts: a real host (createHost) with the fatal handlers the web
// host installs, a session transcript and records handed to the log, then an exception nobody
// catches. Prints what it handed over; the test reads the files after the process is gone.
import { writeSync } from 'node:fs';
import { createHost } from '../../../electron/host/composition';
import { installFatalHandlers } from '../../../electron/host/fatal';
import { Transcript } from '../../../electron/host/session/transcript';
import { makeRecords } from '../../helpers/inProcessHost';

const [dataDir, mode] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: fatalChild DATA_DIR [sync|async]');
const host = await createHost({ hostKind: 'web', dataDir, appVersion: 'test' });
installFatalHandlers({ flushSync: () => host.flushSync() });

const transcript = Transcript.open(dataDir, 1, new Date());
let bytes = 0;
// Odd chunk sizes, some big enough to start a write, the last ones only gathered in memory.
for (let i = 0; i < 400; i++) {
  const chunk = Buffer.alloc(1 + ((i * 7919) % 9000), 0x41 + (i % 26));
  transcript.write(chunk);
  bytes += chunk.length;
}
const records = 1234;
host.log.sink.records(makeRecords(0, records));
writeSync(1, `transcript ${transcript.path} ${bytes}\nrecords ${records}\n`);
if (mode === 'async') void Promise.reject(new Error('boom (rejection)'));
else
  // Before any timer: the writes gathered in memory are still there.
  process.nextTick(() => {
    throw new Error('boom (exception)');
  });
