// Which lines block hyperdbg-cli v0.23 until the debuggee pauses (interpreter.cpp: commands with
// WONT_STOP_DEBUGGER_AGAIN are forwarded and then wait; `g` waits in Debugger Mode; `.debug
// remote` waits for the debuggee), and what ends each.
import { describe, expect, it } from 'vitest';
import { completionFor } from '../../../electron/host/session/blockingCommands';

describe('blocking commands', () => {
  it('Debugger Mode: g/go, and pause, cont, .start, .restart, .attach, .detach (with or without dot) wait for "debuggee is running..."', () => {
    for (const line of [
      'g',
      'GO',
      'pause',
      '.pause',
      'cont',
      'continue',
      '.start path c:\\x.exe',
      'start path c:\\x.exe',
      '.restart',
      'restart',
      '.attach pid 4',
      'attach pid 4',
      '.detach',
      'detach',
    ])
      expect(completionFor(line, 'debugger'), line).toEqual({
        completion: 'blocking',
        until: 'running',
      });
  });

  it('`g` with tokens gets the usage error locally, so it takes a marker', () => {
    expect(completionFor('g 1', 'debugger')).toEqual({ completion: 'marker' });
  });

  it('outside Debugger Mode they answer at once (VMI `pause` prints "pausing...")', () => {
    for (const mode of ['vmi', 'none', 'remote'] as const)
      for (const line of ['g', 'pause', 'cont', '.start path x', '.detach'])
        expect(completionFor(line, mode), `${mode}: ${line}`).toEqual({ completion: 'marker' });
  });

  it('`.debug remote` waits in any mode: for the debuggee to run, or with `pause` for the kernel prompt', () => {
    expect(completionFor('.debug remote namedpipe \\\\.\\pipe\\HyperDbgPipe', 'vmi')).toEqual({
      completion: 'blocking',
      until: 'running',
    });
    expect(completionFor('debug remote pause serial 115200 com2', 'none')).toEqual({
      completion: 'blocking',
      until: 'kernel-prompt',
    });
    expect(completionFor('.debug close', 'debugger')).toEqual({ completion: 'marker' });
    expect(completionFor('events', 'debugger')).toEqual({ completion: 'marker' });
  });
});
