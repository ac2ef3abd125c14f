// The import picker refuses, before anything is sent, a file over the import limit (a 16 MiB file
// would not even fit in one message to the web host) and one that is not text.
import { describe, expect, it } from 'vitest';
import { readPickedFile } from '../../../renderer/src/library/fileTransfer';
import { MAX_IMPORT_BYTES } from '../../../shared/model/actionExport';

describe('readPickedFile', () => {
  it('refuses a 16 MiB file, naming the limit', async () => {
    const file = new File([new Uint8Array(16 * 1024 * 1024).fill(0x61)], 'huge.ds');
    await expect(readPickedFile(file)).rejects.toThrow(
      `huge.ds is 16.0 MiB; the import limit is ${MAX_IMPORT_BYTES / 1048576} MiB`,
    );
  });

  it('reads a text file at the limit', async () => {
    const file = new File([new Uint8Array(MAX_IMPORT_BYTES).fill(0x61)], 'limit.ds');
    expect((await readPickedFile(file)).content.length).toBe(MAX_IMPORT_BYTES);
  });

  it('refuses a file that is not UTF-8, saying where, instead of replacing characters', async () => {
    const bytes = Uint8Array.from([...Buffer.from('ok\nab'), 0xc3, 0x28, ...Buffer.from('x')]);
    await expect(readPickedFile(new File([bytes], 'bad.ds'))).rejects.toThrow(
      'bad.ds: not valid UTF-8 at line 2, column 3 (byte 5: 0xc3); save the file as UTF-8',
    );
    // A byte-order mark is not part of the text; valid multi-byte characters are.
    const good = Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from('# café ✓ 😀\nprint(1);')]);
    expect((await readPickedFile(new File([good], 'good.ds'))).content).toBe(
      '# café ✓ 😀\nprint(1);',
    );
  });

  it('refuses a file with control characters, saying where', async () => {
    const file = new File(['print(1);\n\u0000x'], 'nul.ds');
    await expect(readPickedFile(file)).rejects.toThrow(
      'nul.ds: line 2, column 1: the control character U+0000; only text files are imported',
    );
  });
});
