// Custom code on NX pool (docs/hyperdbg-v0.23.md §5.6): which bindings and typed lines run custom
// code, when the host asks for confirmation, and when a lost session is explained as the bug
// check (status 252 = 0xFC after a custom-code event on a target that may fault), and when not.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/result';
import type { EventInfo, SessionCapability } from '../../../shared/contract/session';
import { runsCustomCode, tokensRunCustomCode } from '../../../shared/hyperdbg/nxRisk';
import { cliTokens } from '../../../electron/host/session/commandLine';
import {
  bugCheckCause,
  newestCustomCodeEvent,
  requireNxConfirmation,
  silentDebuggeeCause,
} from '../../../electron/host/session/nxCrash';

const STOCK: SessionCapability = {
  returnsBuffers: false,
  customCodeMayFault: true,
  source: 'banner',
  capability: 'stock',
};
const SIM: SessionCapability = {
  ...STOCK,
  returnsBuffers: true,
  customCodeMayFault: false,
  capability: 'sim',
};

function event(id: string, command: string, p: Partial<EventInfo> = {}): EventInfo {
  return {
    id,
    kind: '!syscall',
    state: 'active',
    command,
    listed: null,
    binding: null,
    source: null,
    foreign: true,
    printsRecords: false,
    createdAt: 0,
    ...p,
  };
}

const at = 1;

describe('what runs custom code', () => {
  it('bindings with code or condition', () => {
    expect(runsCustomCode({ code: '90' })).toBe(true);
    expect(runsCustomCode({ condition: '90' })).toBe(true);
    expect(runsCustomCode({})).toBe(false);
  });

  it('typed lines with a code or condition block, however spaced; words inside a script do not count', () => {
    const runs = (line: string) => tokensRunCustomCode(cliTokens(line));
    expect(runs('!syscall code {90}')).toBe(true);
    expect(runs('!syscall CODE{90}')).toBe(true);
    expect(runs('!cpuid condition {4831c0} script {print(1);}')).toBe(true);
    expect(runs('!syscall script {printf("code {90}\\n");}')).toBe(false);
    expect(runs('!syscall 55 pid 4')).toBe(false);
  });
});

describe('the confirmation', () => {
  it('is required for custom code on a target whose custom code may fault, and only there', () => {
    expect(() => requireNxConfirmation(true, STOCK, 'vmi', false)).toThrow(AppError);
    try {
      requireNxConfirmation(true, STOCK, 'debugger', false);
    } catch (e) {
      expect(e).toMatchObject({ code: 'needs-confirmation', field: 'acceptNxCrash' });
      expect((e as Error).message).toMatch(/In Debugger Mode the debuggee machine goes down/);
    }
    expect(() => requireNxConfirmation(true, STOCK, 'vmi', true)).not.toThrow();
    expect(() => requireNxConfirmation(false, STOCK, 'vmi', false)).not.toThrow();
    expect(() => requireNxConfirmation(true, SIM, 'vmi', false)).not.toThrow();
    expect(() => requireNxConfirmation(true, null, 'vmi', false)).not.toThrow();
  });
});

describe('the cause of a lost session', () => {
  const events = [
    event('0', '!syscall script {print(1);}'),
    event('1', '!cpuid code {90}'),
    event('2', '!syscall', { binding: { kind: '!syscall', condition: '90' }, foreign: false }),
    event('3', '!sysret code {90}', { state: 'cleared' }),
  ];

  it('names the newest custom-code event that was not cleared', () => {
    expect(newestCustomCodeEvent(events)?.id).toBe('2');
    expect(newestCustomCodeEvent(events.slice(0, 1))).toBeNull();
  });

  it('status 252 after such an event on a stock target is the NX bug check', () => {
    expect(bugCheckCause({ code: 252, signal: null, at }, events, STOCK)).toMatch(
      /^the target bug-checked with 0xFC ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY right after event 2 with custom code triggered/,
    );
  });

  it('anything else is not explained that way', () => {
    expect(bugCheckCause({ code: 1, signal: null, at }, events, STOCK)).toBeNull();
    expect(bugCheckCause({ code: null, signal: 9, at }, events, STOCK)).toBeNull();
    expect(bugCheckCause({ code: 252, signal: null, at }, events, SIM)).toBeNull();
    expect(bugCheckCause({ code: 252, signal: null, at }, events.slice(0, 1), STOCK)).toBeNull();
    expect(silentDebuggeeCause(events, SIM)).toBeNull();
    expect(silentDebuggeeCause(events.slice(0, 1), STOCK)).toBeNull();
    expect(silentDebuggeeCause(events, STOCK)).toMatch(
      /^the debuggee stopped answering after event 2/,
    );
  });
});
