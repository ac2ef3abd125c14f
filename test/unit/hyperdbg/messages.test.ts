// The message table: stable, unique codes; the spec's typos kept; specific rows win over the
// general `err, %s (%x)`.
import { describe, expect, it } from 'vitest';
import { matchMessage, MESSAGES } from '../../../shared/hyperdbg/messages';

describe('message table', () => {
  it('has unique codes in kebab case and a spec section for every row', () => {
    const codes = MESSAGES.map((m) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const m of MESSAGES) {
      expect(m.code).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(m.section).toMatch(/^§\d/);
    }
  });

  it('matches every literal row to itself', () => {
    for (const m of MESSAGES.filter((x) => !/%[sxdu]/.test(x.format)))
      expect(matchMessage(m.format)?.def.code, m.format).toBe(m.code);
  });

  it('keeps the typos a parser must match exactly (spec §9.18)', () => {
    expect(matchMessage('the vmm module is not loadedd')?.def.code).toBe('vmm-not-loaded');
    expect(matchMessage('the vmm module is not loaded')).toBeUndefined();
    expect(
      matchMessage(
        "you're connected to a an instance of HyperDbg, please use '.debug close' command",
      )?.def.code,
    ).toBe('already-connected-debugger');
    expect(
      matchMessage("the entry should be between 0x0 to 0x1f or first 32 entries'")?.def.code,
    ).toBe('exception-index-range');
    expect(matchMessage('err, rror occurred while creating the pipe (5)')?.def.code).toBe(
      'pipe-create-failed',
    );
  });

  it('tolerates trailing spaces dropped or added by the console', () => {
    expect(matchMessage('no active/disabled events')?.def.code).toBe('events-empty');
    expect(matchMessage('local debugging (vmi-mode)   ')?.def.code).toBe('connected-local');
  });

  it('prefers the specific kernel errors to the general one', () => {
    expect(matchMessage('err, invalid address (c0000005)')?.def.code).toBe('invalid-address');
    expect(matchMessage('err, occurred while connecting to the server (2)')?.def.code).toBe(
      'namedpipe-connect-failed',
    );
    expect(matchMessage('err, anything else (c0000099)')).toMatchObject({
      def: { code: 'kernel-error' },
      args: ['anything else', 'c0000099'],
    });
  });

  it('gives the sync marker command back (spec §1.8)', () => {
    expect(matchMessage("err, couldn't resolve command at '__hdbg_sync_00ff'")).toMatchObject({
      def: { code: 'unknown-command', severity: 'error' },
      args: ['__hdbg_sync_00ff'],
    });
  });
});
