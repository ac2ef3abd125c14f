// Notices from what hyperdbg-cli printed (v0.23's own lines through the real parser): no symbol
// path and how to set it, a module!name that did not resolve, flush discarding messages, and a
// console `load` that failed for want of elevation or because Windows blocked the driver.
import { describe, expect, it } from 'vitest';
import { createOutputParser } from '../../../shared/hyperdbg/outputParser';
import { INITIAL_FACTS, reduceFacts, type CliFacts } from '../../../electron/host/session/cliFacts';
import { outputNotices } from '../../../electron/host/session/outputNotices';

/** Every notice the lines of `output` give, the facts following along as the session's do. */
function notices(output: string, ready = true, from: CliFacts = INITIAL_FACTS): string[] {
  const p = createOutputParser();
  let facts = from;
  const out: string[] = [];
  for (const item of [...p.push(output), ...p.end()]) {
    facts = reduceFacts(facts, item);
    out.push(...outputNotices(item, facts, ready));
  }
  return out;
}

const SYMBOL_HINT =
  "please configure the symbol path (use '.help .sympath' for more information)\n";
const SYMPATH = '.sympath "SRV*c:\\Symbols*https://msdl.microsoft.com/download/symbols"';

describe('output notices', () => {
  it('no symbol path after load vmm: says what fails and how to set it (Microsoft server, then .sym download)', () => {
    const [n, ...rest] = notices(
      `loading the vmm module\nvmm module is running...\ninterpreting symbols and creating symbol maps\n${SYMBOL_HINT}\n`,
      false,
    );
    expect(rest).toEqual([]);
    expect(n).toMatch(/no symbol path/);
    expect(n).toMatch(/nt!NtCreateFile cannot resolve/);
    expect(n).toContain(SYMPATH);
    // `.sym reload` loads only what is on disk; `.sym download` fetches it (symbol.cpp, §12).
    expect(n).toMatch(/then \.sym download/);
  });

  it('an nt! name that failed: the words depend on what is known about the symbol path', () => {
    const failed =
      "Line 1:\nformats(nt!Foo);\n        ^\nSyntax Error: Unknown Token\nerr, couldn't resolve error at 'nt!Foo'\n\n";
    const missing = reduceFacts(INITIAL_FACTS, {
      type: 'status',
      code: 'symbol-path-hint',
      text: SYMBOL_HINT.trim(),
      args: [],
    });
    expect(notices(failed, true, missing)).toEqual([
      expect.stringMatching(/could not resolve 'nt!Foo': it has no symbol path\. .*\.sympath/),
    ]);
    expect(notices(failed)).toEqual([
      expect.stringMatching(/could not resolve 'nt!Foo'\. If no symbol path is set/),
    ]);
    // The !syscall number goes through the same resolver and is refused as a parameter.
    expect(notices("unknown parameter 'nt!Nope+10'\n\n", true, missing)[0]).toMatch(
      /'nt!Nope\+10'/,
    );
    // A plain unknown parameter is nobody's symbol.
    expect(notices("unknown parameter '2'\n\n")).toEqual([]);
  });

  it('flush: says records were discarded (only when some were)', () => {
    expect(notices('flushing buffers was successful, total 12 messages were cleared.\n')).toEqual([
      expect.stringMatching(/flush discarded 12 queued kernel message\(s\)/),
    ]);
    expect(notices('flushing buffers was successful, total 0 messages were cleared.\n')).toEqual(
      [],
    );
  });

  it('a console load that Windows refused: elevation, or DSE/HVCI; not while connecting', () => {
    const scm =
      'loading the vmm module\nerr, OpenSCManager failed (5)\nerr, OpenSCManager failed (5)\nunable to install KD driver\nfailed to install or load the driver\n';
    // One notice per refusal line; the session keeps identical notices once.
    const n = [...new Set(notices(scm))];
    expect(n).toHaveLength(1);
    expect(n[0]).toMatch(/not running as administrator/);
    expect(notices(scm, false)).toEqual([]);
    expect(notices('err, failed loading driver\n')).toEqual([
      expect.stringMatching(/driver signature enforcement is on, or HVCI/),
    ]);
  });
});
