// The console hides the session's sync markers (spec §1.8) and nothing else, wherever the chunks
// happen to split.
import { describe, expect, it } from 'vitest';
import { MarkerFilter } from '../../../renderer/src/console/markerFilter';
import { newSyncMarker } from '../../../electron/host/session/commandQueue';

const STREAM =
  "HyperDbg> no active/disabled events \n\nHyperDbg> err, couldn't resolve command at '__hdbg_sync_0004'\n\nHyperDbg> " +
  'HDBG1 0 1 4 18 6e49686372616553 2002e7265786564 0\n';
const SHOWN =
  'HyperDbg> no active/disabled events \n\nHyperDbg> HDBG1 0 1 4 18 6e49686372616553 2002e7265786564 0\n';

describe('MarkerFilter', () => {
  it('drops the marker answer and the prompt after it', () => {
    expect(new MarkerFilter().push(STREAM)).toBe(SHOWN);
  });

  it('does the same when the stream is split at every position', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      const f = new MarkerFilter();
      const out = f.push(STREAM.slice(0, i)) + f.push(STREAM.slice(i));
      expect(out, `split at ${i}`).toBe(SHOWN);
    }
  });

  it("hides the session's own random markers, split at every position", () => {
    const marker = newSyncMarker();
    const stream = `HyperDbg> x\n\nHyperDbg> err, couldn't resolve command at '${marker}'\r\n\r\nHyperDbg> `;
    for (let i = 0; i <= stream.length; i++) {
      const f = new MarkerFilter();
      expect(f.push(stream.slice(0, i)) + f.push(stream.slice(i)), `split at ${i}`).toBe(
        'HyperDbg> x\n\nHyperDbg> ',
      );
    }
  });

  it('keeps Debugger Mode prompts and CRLF line ends working', () => {
    const s =
      "0: kHyperDbg> err, couldn't resolve command at '__hdbg_sync_0012'\r\n\r\n0: kHyperDbg> ";
    expect(new MarkerFilter().push(s)).toBe('0: kHyperDbg> ');
  });

  it('passes everything that only looks like it', () => {
    const f = new MarkerFilter();
    const text =
      "err, couldn't resolve command at 'foo'\n\nHyperDbg> err, couldn't resolve command at '__hdbg_sync_x'\n";
    expect(f.push(text) + f.flush()).toBe(text);
    // A held start that turns out to be something else comes out with the next chunk.
    const g = new MarkerFilter();
    expect(g.push("HyperDbg> err, couldn't res")).toBe('HyperDbg> ');
    expect(g.push("olve command at 'bar'\n")).toBe("err, couldn't resolve command at 'bar'\n");
  });
});
