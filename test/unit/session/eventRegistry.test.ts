// The ID consumption rule (spec §3.1) and the event registry: predicted IDs, confirmation from
// the `events` listing (§4), wrong predictions moved, foreign events, enable/disable/clear and
// Debugger Mode's clear-after-continue. Error texts are the spec's, parsed by the real parser.
import { describe, expect, it } from 'vitest';
import { createOutputParser } from '../../../shared/hyperdbg/outputParser';
import type { EventsRowItem } from '../../../shared/hyperdbg/items';
import { EventRegistry } from '../../../electron/host/session/eventRegistry';
import { eventCommandVerdict } from '../../../electron/host/session/idConsumption';

/** Error codes the parser gives for what the CLI printed (spec strings). */
function codes(output: string): string[] {
  const p = createOutputParser();
  return [...p.push(output), ...p.end()].flatMap((i) => (i.type === 'error' ? [i.code] : []));
}

function rows(listing: string): EventsRowItem[] {
  const p = createOutputParser();
  return [...p.push(listing), ...p.end()].filter(
    (i): i is EventsRowItem => i.type === 'events-row',
  );
}

const BREAK_IN_VMI =
  'err, the script or assembly code is either not found or invalid. As a result, the default action is to break. However, breaking to the debugger is not possible in the VMI Mode. To achieve full control of the system, you can switch to the Debugger Mode. In the VMI Mode, you can still use scripts and run custom code for local debugging.For more information, please check: https://docs.hyperdbg.org/using-hyperdbg/prerequisites/operation-modes\n';

describe('ID consumption (spec §3.1)', () => {
  const cases: [line: string, output: string, created: boolean, usedId: boolean][] = [
    ['!syscall 55 script {print($context);}', '', true, true],
    // Step 1: token-count checks use up nothing.
    ['!epthook', "incorrect use of the '!epthook'\n\n", false, false],
    ['!monitor rw fffff801deadb000', "incorrect use of the '!monitor'\n\n", false, false],
    ['!crwrite', "incorrect use of the '!crwrite'\n\n", false, false],
    // Steps 4-5: script syntax and output sources, before the ID.
    [
      '!syscall script {printf("%02x", 1);}',
      'Line 1:\nprintf("%02x", 1);\n     ^\nSyntax Error: Invalid Syntax\n',
      false,
      false,
    ],
    [
      '!syscall output {nope} script {print(1);}',
      "err, the name you entered, not found. Did you use 'output' command to create it?\n",
      false,
      false,
    ],
    [
      '!syscall script {file:c:\\x.ds}',
      "err, either script file is not found or it's empty\n",
      false,
      false,
    ],
    // After step 6: §3.7 errors, command-specific errors, kernel errors all use one up.
    ['!syscall 55', BREAK_IN_VMI, false, true],
    [
      '!syscall stage post sc on script {print(1);}',
      "err, using the short-circuiting mechanism with 'post' or 'all' stage events doesn't make sense; it's not supported!\n",
      false,
      true,
    ],
    ['!syscall pid zz script {print(1);}', 'err, pid is invalid\n', false, true],
    ['!cpuid 1 2 script {print(1);}', "unknown parameter '2'\n\n", false, true],
    ['!tsc extra script {print(1);}', "incorrect use of the '!tsc'\n\n", false, true],
    [
      '!syscall script {print(1);}',
      "the vmm (virtualization) module is not loaded. Did you use 'load vmm' command?\n",
      false,
      true,
    ],
    [
      '!epthook fffff80000000000 script {print(1);}',
      "err, invalid address (c0000005)\naddress may be paged-out or unavailable on the page table due to 'demand paging'\nplease refer to https://docs.hyperdbg.org/tips-and-tricks/considerations/accessing-invalid-address for further information\n",
      false,
      true,
    ],
    // A hex error carries on to a later error (§3.2 step 7): the ID is used.
    [
      '!syscall code { 90 90 }',
      `please enter condition code in a hex notation\n${BREAK_IN_VMI}`,
      false,
      true,
    ],
    // An address that does not resolve: SymbolConvertNameOrExprToAddress prints the script
    // engine's diagnostic after the ID was assigned, then the command refuses the token.
    [
      '!syscall nt!Nope script {print(1);}',
      "Line 1:\nformats(nt!Nope);\n        ^\nSyntax Error: Unresolved Variable\nunknown parameter 'nt!Nope'\n\n",
      false,
      true,
    ],
    [
      '!epthook nt!Foo script {print(1);}',
      "Line 1:\nformats(nt!Foo);\n        ^\nSyntax Error: Unknown Token\nerr, couldn't resolve error at 'nt!Foo'\n\n",
      false,
      true,
    ],
    // A script diagnostic whose cause has no `Syntax Error:` prefix is still step 4.
    [
      '!syscall script {int f() { return; }}',
      'Line 1:\nint f() { return; }\n          ^\nNot returning a value in noo-void function\n',
      false,
      false,
    ],
    // Failure lines without `err, ` (mode.cpp): not created, and the ID is used.
    [
      '!mode u pid 4 stage post script {print(1);}',
      "the utilization of 'post' or 'all' event calling stages is not meaningful for the mode (user-mode/kernel-mode) change traps; therefore, this command does not support them\n",
      false,
      true,
    ],
    // A broken sink's lines (the reader's, spec §6.4) amid the answer are not the command's.
    [
      '!sysret script {print(1);} output {s2}',
      'err, send failed (2736)\nerr, there was an error transferring the message to the remote sources\n',
      true,
      true,
    ],
    // Not an event command at all.
    ['!sycall 55', "err, couldn't resolve command at '!sycall'\n", false, false],
    ['events', '', false, false],
  ];
  it.each(cases)('%s', (line, output, created, usedId) => {
    expect(eventCommandVerdict(line, codes(output))).toEqual({ created, usedId });
  });
});

describe('event registry', () => {
  const at = 1000;
  const own = { foreign: false, printsRecords: true, at };

  it('predicts IDs across failures and confirms them from the listing', () => {
    const r = new EventRegistry();
    expect(r.noteEventCommand('!syscall 55 script {print(1);}', [], own)).toEqual({
      created: true,
      id: 0,
    });
    expect(r.noteEventCommand('!epthook', codes("incorrect use of the '!epthook'\n"), own)).toEqual(
      { created: false, usedId: false },
    );
    expect(
      r.noteEventCommand('!syscall pid zz script {print(1);}', codes('err, pid is invalid\n'), own),
    ).toEqual({ created: false, usedId: true });
    expect(r.noteEventCommand('!cpuid script {print(2);}', [], own)).toEqual({
      created: true,
      id: 2,
    });
    expect(r.predictedNextId).toBe(3);
    r.applyListing(
      rows(
        '0\t(enabled)\t    !syscall 55 script print(1);  \n2\t(disabled)\t    !cpuid script print(2);  \n',
      ),
      at,
    );
    const list = r.list();
    expect(list.map((e) => [e.id, e.state, e.listed, e.foreign])).toEqual([
      ['0', 'active', '!syscall 55 script print(1);  ', false],
      ['2', 'disabled', '!cpuid script print(2);  ', false],
    ]);
  });

  it('moves an event whose predicted ID was wrong to the ID the listing shows for its text', () => {
    const r = new EventRegistry();
    // A failure we could not see used ID 0 (e.g. typed elsewhere): ours is really 1.
    r.noteEventCommand('!cpuid script {print(1);}', [], own);
    r.applyListing(rows('1\t(enabled)\t    !cpuid script print(1);  \n'), at);
    expect(r.list().map((e) => [e.id, e.foreign])).toEqual([['1', false]]);
    expect(r.predictedNextId).toBe(2);
    expect(r.findByCommand('!cpuid script {print(1);}')?.id).toBe('1');
  });

  it('learns foreign events from the listing and clears the ones no longer listed', () => {
    const r = new EventRegistry();
    r.noteEventCommand('!syscall script {print(1);}', [], own);
    r.applyListing(
      rows(
        '0\t(enabled)\t    !syscall script print(1);  \n4\t(enabled)\t    !msrread c0000082 script print($context);  \n',
      ),
      at,
    );
    const foreign = r.list().find((e) => e.id === '4');
    expect(foreign).toMatchObject({
      foreign: true,
      kind: '!msrread',
      binding: null,
      state: 'active',
    });
    expect(r.predictedNextId).toBe(5);
    r.applyListing(rows('4\t(enabled)\t    !msrread c0000082 script print($context);  \n'), at);
    expect(r.list().find((e) => e.id === '0')?.state).toBe('cleared');
    r.applyListing([], at);
    expect(r.list().every((e) => e.state === 'cleared')).toBe(true);
  });

  it('matches listing text cut at 70 characters with "..." (spec §4)', () => {
    const r = new EventRegistry();
    const line =
      '!syscall 55 pid 4 buffer 40 code {9090} script {printf("pid %x name %s\\n", $pid, $pname);}';
    r.noteEventCommand(line, [], own);
    r.applyListing(
      rows(
        '0\t(enabled)\t    !syscall 55 pid 4 buffer 40 code 9090 script printf("pid %x name %s\\n"...\n',
      ),
      at,
    );
    expect(r.list()[0]).toMatchObject({ id: '0', foreign: false, command: line });
  });

  it('tracks enable, disable and clear; in Debugger Mode a clear waits for the debuggee to continue', () => {
    const r = new EventRegistry();
    r.noteEventCommand('!syscall', [], own);
    r.noteEventCommand('!cpuid', [], own);
    r.noteStateChange(0, 'disable', true);
    expect(r.list()[0]?.state).toBe('disabled');
    r.noteStateChange('all', 'enable', true);
    expect(r.list().map((e) => e.state)).toEqual(['active', 'active']);
    r.noteStateChange(1, 'clear', true);
    expect(r.list()[1]?.state).toBe('clear-pending');
    expect(r.kernelSlots()).toBe(2);
    // The CLI drops a cleared event from its list at once; the registry keeps it pending.
    r.applyListing(rows('0\t(enabled)\t    !syscall \n'), at);
    expect(r.list()[1]?.state).toBe('clear-pending');
    r.noteContinued();
    expect(r.list()[1]?.state).toBe('cleared');
    expect(r.kernelSlots()).toBe(1);
    r.noteStateChange(0, 'clear', false);
    expect(r.list()[0]?.state).toBe('cleared');
  });

  it('restarts IDs at 0 after a reset (new process, or the debuggee closed the link, spec §2.4)', () => {
    const r = new EventRegistry();
    r.noteEventCommand('!syscall', [], own);
    r.reset();
    expect(r.list()).toEqual([]);
    expect(r.noteEventCommand('!syscall', [], own)).toEqual({ created: true, id: 0 });
  });
});
