// The header's run control: pause/continue in Debugger Mode, mute in VMI mode (HyperDbg's pause
// discards records there, spec §2.7); the keyboard map; the Unicorn hint.
import { describe, expect, it } from 'vitest';
import { UNKNOWN_WINDOWS_BUILD, type SessionState } from '../../../shared/contract/session';
import { commandForKey, chordText, SHORTCUTS } from '../../../shared/ui/shortcuts';
import { exitText, runControl } from '../../../renderer/src/session/sessionLabels';
import { withUnicornHint } from '../../../renderer/src/session/unicornHint';

const state = (p: Partial<SessionState>): SessionState => ({
  status: 'ready',
  targetLabel: 'Simulator',
  isSimulator: true,
  profileId: null,
  mode: 'vmi',
  debuggee: 'unknown',
  currentCore: null,
  vmmLoaded: true,
  muted: false,
  banner: null,
  debuggeeOs: null,
  windowsBuild: UNKNOWN_WINDOWS_BUILD,
  symbols: 'unknown',
  capability: null,
  notices: [],
  error: null,
  exit: null,
  queued: 0,
  records: { kind: 'none' },
  generation: 1,
  ...p,
});

describe('runControl', () => {
  it('offers mute, never pause, in VMI mode', () => {
    expect(runControl(state({ mode: 'vmi' }))).toEqual({ kind: 'mute' });
    expect(runControl(state({ mode: 'vmi', muted: true }))).toEqual({ kind: 'unmute' });
  });
  it('offers pause or continue in Debugger Mode, and nothing while not ready', () => {
    expect(runControl(state({ mode: 'debugger', debuggee: 'running' }))).toEqual({ kind: 'pause' });
    expect(runControl(state({ mode: 'debugger', debuggee: 'paused' }))).toEqual({
      kind: 'continue',
    });
    expect(runControl(state({ status: 'lost', mode: 'debugger' }))).toEqual({ kind: 'none' });
    expect(runControl(null)).toEqual({ kind: 'none' });
  });
  it('says how the CLI ended', () => {
    expect(exitText(state({ exit: { code: null, signal: 9, at: 0 } }))).toBe(
      'the CLI was killed (signal 9)',
    );
    expect(exitText(state({ exit: { code: 3, signal: null, at: 0 } }))).toBe(
      'the CLI exited with code 3',
    );
  });
});

describe('shortcuts', () => {
  const key = (
    k: string,
    mods: Partial<{ ctrlKey: boolean; altKey: boolean; shiftKey: boolean; metaKey: boolean }> = {},
  ) => ({
    key: k,
    ctrlKey: false,
    altKey: false,
    shiftKey: false,
    metaKey: false,
    ...mods,
  });
  it('maps chords to commands, Cmd as Ctrl, and nothing else', () => {
    expect(commandForKey(key('k', { ctrlKey: true }))).toBe('library:focus-search');
    expect(commandForKey(key('K', { metaKey: true }))).toBe('library:focus-search');
    expect(commandForKey(key('F6'))).toBe('session:toggle-run');
    expect(commandForKey(key('O', { ctrlKey: true, shiftKey: true }))).toBe('session:connect');
    expect(commandForKey(key('5', { altKey: true }))).toBe('tab:events');
    expect(commandForKey(key('k'))).toBeNull();
    expect(commandForKey(key('s', { ctrlKey: true }))).toBeNull();
  });
  it('has no chord twice', () => {
    const texts = SHORTCUTS.map((s) => chordText(s.chord));
    expect(new Set(texts).size).toBe(texts.length);
  });
});

describe('withUnicornHint', () => {
  it('adds how to install Unicorn when the message lacks it', () => {
    expect(withUnicornHint('cannot load the Unicorn engine (libunicorn.so.2)')).toMatch(
      /^cannot load the Unicorn engine \(libunicorn\.so\.2\) Install .*apt-get install libunicorn2/,
    );
    const already = 'the simulator needs Unicorn: apt-get install libunicorn2';
    expect(withUnicornHint(already)).toBe(already);
    expect(withUnicornHint('unicorn missing')).toMatch(/apt-get install libunicorn2/);
    expect(withUnicornHint('other error')).toBe('other error');
  });
});
