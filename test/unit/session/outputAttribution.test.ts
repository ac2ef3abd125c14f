// Asynchronous output between a command and its sync marker (spec §1.6) is not charged to the
// command where it can be told apart: kernel log lines, script diagnostics during commands that
// evaluate no expression, another command's "couldn't resolve" answer. CLI strings are v0.23's.
import { describe, expect, it } from 'vitest';
import { createOutputParser } from '../../../shared/hyperdbg/outputParser';
import { ownsOutput } from '../../../electron/host/session/outputAttribution';
import { CommandQueue } from '../../../electron/host/session/commandQueue';

const P = 'HyperDbg> ';

function rig() {
  const parser = createOutputParser();
  const writes: string[] = [];
  const queue = new CommandQueue({
    write: (d) => void writes.push(d),
    expectEcho: (l) => parser.expectEcho(l),
    canSend: () => true,
    now: () => Date.now(),
  });
  const cli = (text: string) => {
    for (const item of parser.push(text)) if (item.type !== 'record') queue.onItem(item);
  };
  return { queue, writes, cli };
}

describe('output attribution', () => {
  it("keeps a user printf's `Line 3:` and a kernel log line out of `events`' answer", async () => {
    const { queue, cli } = rig();
    const p = queue.submit({ line: 'events' });
    cli('Line 3:\n');
    cli(
      '(12:01:02.345 - core : 3 - vmx-root? yes)\t [+] Information (DebuggerPerformRunScript:1417) | Err, ScriptEngineExecute, function = dq\n',
    );
    cli('0\t(enabled)\t    !syscall script printf("Line 3:\\n");  \n\n');
    cli(`err, couldn't resolve command at '__hdbg_sync_0001'\n\n${P}`);
    const o = await p;
    expect(o.result.errors).toEqual([]);
    expect(o.items.map((i) => i.type)).toEqual(['events-row']);
  });

  it('charges an event command its own address-resolution diagnostic', async () => {
    const { queue, cli } = rig();
    const p = queue.submit({ line: '!epthook nt!Foo script {print(1);}' });
    cli(
      "Line 1:\nformats(nt!Foo);\n        ^\nSyntax Error: Unknown Token\nerr, couldn't resolve error at 'nt!Foo'\n\n",
    );
    cli(`err, couldn't resolve command at '__hdbg_sync_0001'\n\n${P}`);
    expect((await p).result.errors.map((e) => e.code)).toEqual([
      'script-syntax-line',
      'script-syntax-error',
      'unresolved-token',
    ]);
  });

  it('ends a command at its marker even when a printf without "\\n" glued text in front of the answer', async () => {
    const { queue, cli } = rig();
    const p = queue.submit({ line: '.status' });
    cli("local debugging ('vmi mode')\n\npid 4 name Sys");
    cli(`err, couldn't resolve command at '__hdbg_sync_0001'\n\n${P}`);
    const o = await p;
    expect(o.endedBy).toBe('marker');
    expect(o.result.errors).toEqual([]);
  });

  it("an answer naming another command is not this command's", () => {
    const item = {
      type: 'error',
      code: 'unknown-command',
      text: "err, couldn't resolve command at 'foo'",
      args: ['foo'],
    } as const;
    expect(ownsOutput('foo bar', item)).toBe(true);
    expect(ownsOutput('FOO', item)).toBe(true);
    expect(ownsOutput('events', item)).toBe(false);
  });
});
