// The console (bottom region tab): xterm.js showing hyperdbg-cli's raw stream at the console's
// own width, acknowledging each write once rendered (flow control: a flood waits on the host
// instead of freezing this page), and a command input whose lines go through the session's
// queue as single checked commands, with history (Up/Down) and Break (Ctrl+C to the CLI).
// Record lines (HDBG1) are kept out by the host (the live log has them); the console says how
// many and can show them.
// An event with custom code on a target that probably runs it from NX memory is sent only
// after a second, explicit Ctrl+Enter (docs/hyperdbg-v0.23.md §5.6).
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CommandResult } from '../../../shared/contract/session';
import { replaceTerminalControls } from '../../../shared/text/controlChars';
import { formatCount } from '../log/format';
import { useHost } from '../host/hooks';
import { useUi } from '../app/appStore';
import { useSession } from '../session/SessionProvider';
import { interrupt } from '../session/sessionActions';
import { checkConsoleLine, CommandHistory } from './consoleLine';
import { MarkerFilter } from './markerFilter';
import { TerminalFeed } from './terminalFeed';

/** Lines xterm keeps: enough to scroll back through a burst; the transcript has everything. */
const SCROLLBACK_LINES = 5000;
const HISTORY_KEY = 'hds.consoleHistory';

function loadHistory(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function themeFromCss(): ITheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    background: v('--bg-2'),
    foreground: v('--fg'),
    cursor: v('--fg-muted'),
    selectionBackground: v('--selection'),
  };
}

type Outcome =
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string }
  /** The host asked to confirm this line (custom code on NX memory): Ctrl+Enter sends it. */
  | { readonly kind: 'confirm'; readonly line: string; readonly message: string }
  | { readonly kind: 'done'; readonly result: CommandResult };

export function ConsolePane() {
  const host = useHost();
  const { state } = useSession();
  const theme = useUi((s) => s.theme);
  const focusRequest = useUi((s) => s.focusConsoleRequest);
  const termHost = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [line, setLine] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [sending, setSending] = useState(false);
  const [history] = useState(() => new CommandHistory(loadHistory()));
  const [records, setRecords] = useState({ hidden: 0, shown: false });
  const feedRef = useRef<TerminalFeed | null>(null);

  // The terminal and its feed, made once.
  useEffect(() => {
    const el = termHost.current;
    if (el === null) return;
    const term = new Terminal({
      scrollback: SCROLLBACK_LINES,
      convertEol: true,
      disableStdin: false,
      cursorBlink: false,
      fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--mono'),
      fontSize: 12.5,
      theme: themeFromCss(),
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    termRef.current = term;
    // xterm measures its character cells when it opens: opened inside a hidden tab it measures
    // nothing and never fits. So it opens the first time the console has a size, and fits then.
    let opened = false;
    const safeFit = () => {
      if (el.clientWidth === 0 || el.clientHeight === 0) return;
      if (!opened) {
        term.open(el);
        opened = true;
      }
      fit.fit();
    };
    safeFit();
    const ro = new ResizeObserver(safeFit);
    ro.observe(el);

    let live = true;
    let markers = new MarkerFilter();
    const noteRecords = (hidden: number, shown: boolean) =>
      setRecords((r) => (r.hidden === hidden && r.shown === shown ? r : { hidden, shown }));
    const ack = (chars: number) => {
      if (chars > 0 && live) void host.call('terminal:ack', { chars });
    };
    const feed = new TerminalFeed({
      reset: () => {
        term.reset();
        markers = new MarkerFilter();
      },
      write: (text, ackChars) => {
        const shown = markers.push(text);
        // The host counts what it sent, so the whole chunk is acknowledged once rendered.
        if (shown === '') ack(ackChars);
        else term.write(shown, () => ack(ackChars));
      },
      requestSnapshot: () =>
        void host.call('terminal:snapshot', {}).then((r) => {
          if (!live) return;
          if (r.ok) {
            noteRecords(r.value.hiddenRecords, r.value.showRecords);
            feed.onSnapshot(r.value);
          } else term.write(`\r\n[console unavailable: ${r.error.message}]\r\n`);
        }),
    });
    feedRef.current = feed;
    const off = host.subscribe('terminal:data', (c) => {
      noteRecords(c.hiddenRecords, c.showRecords);
      feed.onData(c);
    });
    feed.start();
    // Keys typed into the terminal itself: Ctrl+C breaks; anything else goes to the input.
    const keys = term.onData((d) => {
      if (d === '\x03') void interrupt(host);
      else inputRef.current?.focus();
    });
    return () => {
      live = false;
      off();
      keys.dispose();
      ro.disconnect();
      term.dispose();
      termRef.current = null;
      feedRef.current = null;
    };
  }, [host]);

  useEffect(() => {
    const term = termRef.current;
    if (term !== null) term.options.theme = themeFromCss();
  }, [theme]);

  useEffect(() => {
    if (focusRequest > 0) inputRef.current?.focus();
  }, [focusRequest]);

  const ready = state?.status === 'ready';

  /** Shows or hides record lines; the console then starts over from a snapshot shown that way. */
  const toggleRecords = async () => {
    const r = await host.call('terminal:show-records', { show: !records.shown });
    if (r.ok) {
      setRecords((x) => ({ ...x, shown: r.value.showRecords }));
      feedRef.current?.start();
    } else setOutcome({ kind: 'error', message: r.error.message });
  };

  const send = async (acceptNxCrash = false) => {
    const check = checkConsoleLine(line);
    if (!check.ok) {
      setOutcome({ kind: 'refused', message: check.error });
      return;
    }
    history.add(line);
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(history.list));
    } catch {
      // History lives for this window only.
    }
    setSending(true);
    // The CLI does not echo input (a pty without ConPTY): show the command after its prompt.
    termRef.current?.write(`\x1b[1m${line}\x1b[0m\r\n`);
    const r = await host.call('session:command', {
      line,
      ...(acceptNxCrash ? { acceptNxCrash: true } : {}),
    });
    setSending(false);
    if (!r.ok && r.error.code === 'needs-confirmation') {
      termRef.current?.write(
        `\x1b[2m[not sent: ${replaceTerminalControls(r.error.message)} Press Ctrl+Enter to send it anyway.]\x1b[0m\r\n`,
      );
      setOutcome({ kind: 'confirm', line, message: r.error.message });
      return;
    }
    if (r.ok) {
      setLine('');
      setOutcome({ kind: 'done', result: r.value });
    } else {
      // Said under the line it concerns, so the echo above does not read as sent.
      termRef.current?.write(
        // A host message written into the terminal must not drive it.
        `\x1b[2m[not sent: ${replaceTerminalControls(r.error.message)}]\x1b[0m\r\n`,
      );
      setOutcome({ kind: 'error', message: r.error.message });
    }
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      // Only the very line the host asked about, confirmed with Ctrl+Enter.
      const confirmed =
        (e.ctrlKey || e.metaKey) && outcome?.kind === 'confirm' && outcome.line === line;
      void send(confirmed);
    } else if (e.key === 'ArrowUp') {
      const v = history.up(line);
      if (v !== undefined) {
        e.preventDefault();
        setLine(v);
      }
    } else if (e.key === 'ArrowDown') {
      const v = history.down();
      if (v !== undefined) {
        e.preventDefault();
        setLine(v);
      }
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
      const el = e.currentTarget;
      if (el.selectionStart === el.selectionEnd) {
        e.preventDefault();
        void interrupt(host);
      }
    }
  };

  return (
    <div className="console" data-testid="console">
      <div
        className="console-term"
        ref={termHost}
        aria-label="hyperdbg-cli output"
        data-testid="console-terminal"
      />
      <div className="console-input">
        <span className="mono muted" aria-hidden="true">
          ›
        </span>
        <input
          ref={inputRef}
          className="mono"
          value={line}
          placeholder={
            ready
              ? 'a hyperdbg-cli command (Enter sends; Up/Down: history; Ctrl+C: break)'
              : 'not connected'
          }
          aria-label="Command"
          aria-invalid={outcome?.kind === 'refused'}
          aria-describedby="console-outcome"
          spellCheck={false}
          autoComplete="off"
          data-testid="console-input"
          onChange={(e) => {
            setLine(e.target.value);
            if (outcome?.kind === 'refused') setOutcome(null);
          }}
          onKeyDown={onKey}
          disabled={sending}
        />
        <button type="button" onClick={() => void send()} disabled={sending || !ready}>
          Send
        </button>
        <button
          type="button"
          onClick={() => void interrupt(host)}
          disabled={!ready && state?.status !== 'connecting'}
          title="Ctrl+C to the CLI (Ctrl+Break)"
          data-testid="console-break"
        >
          Break
        </button>
        <div className="console-records small">
          <span
            className="muted"
            data-testid="console-hidden-records"
            title="Buffer records (HDBG1 lines) are kept out of the console so answers stay readable; the Live log shows them decoded and the session transcript keeps every byte"
          >
            {records.shown
              ? 'record lines shown'
              : `${formatCount(records.hidden)} record line${records.hidden === 1 ? '' : 's'} hidden`}
          </span>
          <button
            type="button"
            className="link"
            aria-pressed={records.shown}
            data-testid="console-show-records"
            title={`${records.shown ? 'Hide' : 'Show'} record lines in the console`}
            onClick={() => void toggleRecords()}
          >
            {records.shown ? 'Hide' : 'Show'}
          </button>
        </div>
      </div>
      <div
        id="console-outcome"
        className="console-outcome"
        role="status"
        data-testid="console-outcome"
      >
        {outcome?.kind === 'refused' && <span className="field-error">{outcome.message}</span>}
        {outcome?.kind === 'error' && <span className="field-error">{outcome.message}</span>}
        {outcome?.kind === 'confirm' && (
          <span className="field-error" data-testid="console-confirm">
            {outcome.message} Press Ctrl+Enter to send it anyway.
          </span>
        )}
        {outcome?.kind === 'done' &&
          (outcome.result.errors.length > 0 ? (
            <span className="field-error">
              {outcome.result.errors.map((e) => e.text).join(' · ')}
            </span>
          ) : (
            <span className="muted small">
              {outcome.result.command}: {outcome.result.lines.length} line
              {outcome.result.lines.length === 1 ? '' : 's'} in {outcome.result.durationMs} ms
            </span>
          ))}
      </div>
    </div>
  );
}
