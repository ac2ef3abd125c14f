// The live log's keyboard shortcuts: keys to commands, modifiers that belong to other panes
// left alone, and the help text built from the same table.
import { describe, expect, it } from 'vitest';
import { keysFor, logCommandForKey, shortcutHelp } from '../../../renderer/src/log/logKeys';

const key = (
  k: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('logCommandForKey', () => {
  it('maps the plain keys', () => {
    expect(logCommandForKey(key('p'))).toBe('toggle-pause');
    expect(logCommandForKey(key('P'))).toBe('toggle-pause'); // caps lock
    expect(logCommandForKey(key('Pause'))).toBe('toggle-pause');
    expect(logCommandForKey(key('f'))).toBe('follow');
    expect(logCommandForKey(key('/'))).toBe('focus-filter');
    expect(logCommandForKey(key('/', { shiftKey: true }))).toBe('focus-filter');
    expect(logCommandForKey(key('End'))).toBe('last-row');
    expect(logCommandForKey(key('ArrowDown'))).toBe('next-row');
    expect(logCommandForKey(key('Enter'))).toBe('toggle-detail');
    expect(logCommandForKey(key('Escape'))).toBe('close-detail');
  });

  it('Ctrl+F focuses the filter; other chords belong to the app', () => {
    expect(logCommandForKey(key('f', { ctrlKey: true }))).toBe('focus-filter');
    expect(logCommandForKey(key('f', { metaKey: true }))).toBe('focus-filter');
    expect(logCommandForKey(key('k', { ctrlKey: true }))).toBeNull(); // library search
    expect(logCommandForKey(key('3', { altKey: true }))).toBeNull(); // tab switch
    expect(logCommandForKey(key('p', { altKey: true }))).toBeNull();
    expect(logCommandForKey(key('p', { shiftKey: true }))).toBeNull();
    expect(logCommandForKey(key('x'))).toBeNull();
  });

  it('documents every command with its keys', () => {
    expect(keysFor('toggle-pause')).toBe('P / Pause');
    expect(keysFor('focus-filter')).toBe('/ / Ctrl+F');
    const help = shortcutHelp();
    expect(help).toContain('P / Pause: Pause / resume the view');
    expect(help.split('\n').length).toBe(12);
  });
});
