// `sim --conpty-repaint`: the simulator paints its output as a re-rendering conhost may (trimmed
// trailing blanks with the cursor placed after them, the typed line repainted with its prompt by
// CUP, CR and CHA in turn, TABs expanded, blank runs as cursor-forward), and the real output
// parser still reads the same session out of it. The CLI strings are v0.23's.
import { describe, expect, it } from 'vitest';
import { createOutputParser } from '../../../shared/hyperdbg/outputParser';
import { itemToJson } from '../../../shared/hyperdbg/itemJson';
import { ConsoleOutput, type OutputSink } from '../../../electron/sim/terminal/consoleOutput';
import { parseOptions } from '../../../electron/sim/options';

const ESC = '\x1b';

/** A ConsoleOutput in repaint mode writing into a string; `frame()` ends the current frame. */
function screen(columns = 200) {
  let bytes = '';
  const sink: OutputSink = {
    write: (c) => ((bytes += c), true),
    writableLength: 0,
    once: () => sink,
    columns,
  };
  const out = new ConsoleOutput(sink, true, true);
  return {
    out,
    frame: () => out.flush(),
    bytes: () => bytes,
  };
}

/** Types `line` and Enter the way LineReader echoes keys. */
function type(out: ConsoleOutput, line: string): void {
  for (const ch of line) out.echo(ch);
  out.echo('\r\n');
}

describe('conhost repaint mode', () => {
  it("trims the prompt's trailing space and places the cursor after it (EL, CUP)", () => {
    const s = screen();
    s.out.write('HyperDbg> ');
    s.frame();
    expect(s.bytes().endsWith(`HyperDbg>${ESC}[K${ESC}[1;11H${ESC}[?25h`)).toBe(true);
    expect(s.bytes()).not.toContain('HyperDbg> ');
  });

  it('repaints the typed line with its prompt, by CUP, then CR, then CHA, each ended by EL', () => {
    const s = screen();
    const painted: string[] = [];
    for (const cmd of ['events', '.status', 'g', 'load vmm']) {
      s.out.write('HyperDbg> ');
      s.frame();
      const before = s.bytes().length;
      type(s.out, cmd);
      s.frame();
      painted.push(s.bytes().slice(before));
      s.out.write('\n');
    }
    expect(painted[0]).toMatch(
      new RegExp(`^${ESC}\\[\\?25l${ESC}\\[\\d+;1HHyperDbg> events${ESC}\\[K\\r\\n`),
    );
    expect(painted[1]).toMatch(
      new RegExp(`^${ESC}\\[\\?25l\\rHyperDbg> \\.status${ESC}\\[K\\r\\n`),
    );
    expect(painted[2]).toMatch(
      new RegExp(`^${ESC}\\[\\?25l${ESC}\\[1GHyperDbg> g${ESC}\\[K\\r\\n`),
    );
    expect(painted[3]).toMatch(new RegExp(`^${ESC}\\[\\?25l${ESC}\\[\\d+;1HHyperDbg> load vmm`));
  });

  it('expands TABs to 8-column stops and paints blank runs as cursor-forward', () => {
    const s = screen();
    s.out.write('0\t(enabled)\t    !syscall script printf("x\\n"); \n');
    s.frame();
    // "0" then 7 blanks, "(enabled)" to column 17, then 7 + 4 blanks; the trailing one dropped.
    expect(s.bytes()).toContain(`0${ESC}[7C(enabled)${ESC}[11C!syscall script printf("x\\n");\r\n`);
  });

  it('the parser reads the session out of the repainted stream: one prompt per prompt, every echo, the rows', () => {
    const s = screen();
    const parser = createOutputParser({ wrapWidth: 200 });
    const items: unknown[] = [];
    let consumed = 0;
    /** Parses what was painted since the last call. */
    const next = () => {
      const all = s.bytes();
      items.push(...parser.push(all.slice(consumed)).map(itemToJson));
      consumed = all.length;
    };
    for (const [cmd, answer] of [
      ['events', '0\t(enabled)\t    !syscall script printf("x\\n"); \n'],
      ['.status', "local debugging ('vmi mode')\n"],
      ['.connect local', "you're connected to a debugger, please use '.disconnect' command\n"],
    ] as const) {
      s.out.write('HyperDbg> ');
      s.frame();
      next();
      parser.expectEcho(cmd);
      type(s.out, cmd);
      s.frame();
      next();
      s.out.write(`${answer}\n`);
      s.frame();
      next();
    }
    s.out.write('HyperDbg> ');
    s.frame();
    next();
    const P = { type: 'prompt', mode: 'vmi', text: 'HyperDbg> ' };
    const blank = { type: 'text', text: '' };
    expect(items).toEqual([
      P,
      { type: 'echo', text: 'events' },
      {
        type: 'events-row',
        id: '0',
        enabled: true,
        command: '!syscall script printf("x\\n");',
        truncated: false,
      },
      blank,
      P,
      { type: 'echo', text: '.status' },
      { type: 'status', code: 'status-local-vmi', text: "local debugging ('vmi mode')", args: [] },
      blank,
      P,
      { type: 'echo', text: '.connect local' },
      {
        type: 'error',
        code: 'already-connected',
        text: "you're connected to a debugger, please use '.disconnect' command",
        args: [],
      },
      blank,
      P,
    ]);
    expect(parser.stats.repaints).toBe(3);
  });

  it('is an option of its own that implies --conpty', () => {
    expect(parseOptions(['--conpty-repaint'])).toMatchObject({ conpty: true, conptyRepaint: true });
    expect(parseOptions(['--conpty'])).toMatchObject({ conpty: true, conptyRepaint: false });
  });
});
