// Child process of crashSafety.test.ts: saves actions as fast as it can through the real store,
// printing `committed <id> <version>` after each save returns. The test kills it mid-burst.
import { writeSync } from 'node:fs';
import type { ActionContent } from '../../../shared/model/action';
import { openLibraryStore } from '../../../electron/host/store/libraryStore';

const [dataDir] = process.argv.slice(2);
if (dataDir === undefined) throw new Error('usage: crashChild DATA_DIR');
const store = openLibraryStore(dataDir);

const content = (name: string, n: number): ActionContent => ({
  kind: 'code',
  name,
  description: `save ${n} `.repeat(20),
  tags: [],
  eventKinds: ['!syscall'],
  windowsBuilds: null,
  code: { source: `mov eax, ${n}\nret`, bytesHex: null },
  condition: null,
  bufferSize: 0,
  bufferSchema: [],
});

const ids: string[] = [];
for (let n = 0; ; n++) {
  let id: string;
  let version: number;
  if (n % 10 === 0) {
    const a = store.actions.create(content(`action ${n}`, n));
    ids.push(a.id);
    ({ id, version } = a);
  } else {
    const target = ids[n % ids.length] as string;
    const current = store.actions.get(target);
    ({ id, version } = store.actions.update(target, content(current.name, n)));
  }
  writeSync(1, `committed ${id} ${version}\n`);
}
