// The pty host against real pseudo-terminals: bytes arrive raw (split UTF-8 survives), exit is
// reported only after the last output, Ctrl+C reaches the child, flow control loses nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  preflight,
  PtySpawnError,
  spawnPty,
  type PtyExit,
  type PtyProcess,
} from '../../../electron/host/pty/ptyHost';
import { tempDir } from '../../helpers/paths';

function collect(p: PtyProcess): { bytes: () => Buffer; exit: Promise<PtyExit> } {
  const chunks: Buffer[] = [];
  p.onData((c) => chunks.push(Buffer.from(c)));
  const exit = new Promise<PtyExit>((resolve) => p.onExit(resolve));
  return { bytes: () => Buffer.concat(chunks), exit };
}

const node = (script: string, args: string[] = []) =>
  spawnPty({ file: process.execPath, args: ['-e', script, ...args] });

describe('pty host', () => {
  it('delivers every byte of a large burst before reporting the exit code', async () => {
    const p = node("process.stdout.write('0123456789abcdef'.repeat(65536)); process.exitCode = 3");
    const { bytes, exit } = collect(p);
    const e = await exit;
    expect(e.exitCode).toBe(3);
    // The line discipline turns \n into \r\n; there are none here, so the count is exact.
    expect(bytes().length).toBe(16 * 65536);
    expect(p.exited).toBe(true);
  });

  it('passes UTF-8 through as raw bytes', async () => {
    const p = node("process.stdout.write(Buffer.from('héllo → 世界', 'utf8'))");
    const { bytes, exit } = collect(p);
    await exit;
    expect(bytes().toString('utf8')).toBe('héllo → 世界');
  });

  it('runs in a wide pty and sends Ctrl+C as \\x03 to the child', async () => {
    const p = node(
      "process.stdin.setRawMode(true); process.stdout.write('cols=' + process.stdout.columns + '\\n'); process.stdin.on('data', d => { process.stdout.write('got=' + [...d].join(',') + '\\n'); process.exit(0); });",
    );
    const { bytes, exit } = collect(p);
    // Only once the child has put its terminal in raw mode (then it prints) does Ctrl+C reach
    // it as a byte; before that the line discipline would turn it into SIGINT.
    await expect.poll(() => bytes().toString(), { timeout: 20_000 }).toContain('cols=');
    p.interrupt();
    await exit;
    const text = bytes().toString();
    expect(text).toContain('cols=8000');
    expect(text).toContain('got=3');
  });

  it('loses nothing while paused by flow control, and drains after exit', async () => {
    const p = node("for (let i = 0; i < 20000; i++) process.stdout.write('line ' + i + '\\n');");
    const { bytes, exit } = collect(p);
    p.pause();
    await new Promise((r) => setTimeout(r, 300));
    const whilePaused = bytes().length;
    p.resume();
    await exit;
    const lines = bytes()
      .toString()
      .split('\r\n')
      .filter((l) => l !== '');
    expect(lines).toHaveLength(20000);
    expect(lines[19999]).toBe('line 19999');
    expect(whilePaused).toBeLessThan(bytes().length);
  });

  it('kill ends the child and still reports the exit', async () => {
    const p = node('setInterval(() => {}, 1000)');
    const { exit } = collect(p);
    p.kill();
    const e = await exit;
    expect(e.signal ?? e.exitCode).not.toBe(0);
  });
});

describe('preflight', () => {
  it('refuses a missing program and a folder with an actionable error', () => {
    const dir = tempDir();
    expect(() => preflight(join(dir, 'nope', 'hyperdbg-cli.exe'))).toThrow(PtySpawnError);
    expect(() => preflight(dir)).toThrow(/folder/);
  });

  it('warns on Windows when hyperkd.sys is not beside hyperdbg-cli.exe', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'bin'));
    const cli = join(dir, 'bin', 'hyperdbg-cli.exe');
    writeFileSync(cli, '');
    expect(preflight(cli, 'win32')).toEqual([
      expect.stringContaining('hyperkd.sys is not next to'),
    ]);
    writeFileSync(join(dir, 'bin', 'hyperkd.sys'), '');
    expect(preflight(cli, 'win32')).toEqual([]);
    expect(preflight(cli, 'linux')).toEqual([]);
  });
});
