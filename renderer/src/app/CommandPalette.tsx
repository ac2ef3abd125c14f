// The command palette (Ctrl+Shift+P, as in VS Code and x64dbg's command bar): every app command
// with its shortcut, filtered as you type, run with Enter or a click; Up/Down (and Page Up/Down,
// Home/End) move, Escape closes and gives focus back. A combobox over a listbox (WAI-ARIA).
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useHost } from '../host/hooks';
import { useSession } from '../session/SessionProvider';
import { updateUi, useUi } from './appStore';
import { filterPalette, paletteEntries, type PaletteEntry } from './commandPalette';
import { runAppCommand } from './useAppCommands';

/** Rows Page Up/Down move by: about what the list shows at once. */
const PAGE_ROWS = 8;

export function CommandPalette() {
  const open = useUi((s) => s.paletteOpen);
  return open ? <PaletteDialog /> : null;
}

function PaletteDialog() {
  const host = useHost();
  const { state } = useSession();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const returnFocus = useRef<Element | null>(null);
  const all = useMemo(() => paletteEntries(), []);
  const shown = useMemo(() => filterPalette(all, query), [all, query]);
  const current = Math.min(active, Math.max(0, shown.length - 1));

  useEffect(() => {
    returnFocus.current = document.activeElement;
    input.current?.focus();
  }, []);
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [current, shown]);

  const close = () => {
    updateUi({ paletteOpen: false });
    if (returnFocus.current instanceof HTMLElement) returnFocus.current.focus();
  };
  const run = (e: PaletteEntry | undefined) => {
    if (e === undefined) return;
    close();
    // After the dialog is gone, so a command that moves focus (search, console) keeps it.
    setTimeout(() => runAppCommand(e.command, host, state), 0);
  };
  const onKey = (ev: KeyboardEvent) => {
    const last = shown.length - 1;
    const move: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + PAGE_ROWS,
      PageUp: current - PAGE_ROWS,
      Home: 0,
      End: last,
    };
    if (ev.key in move) {
      ev.preventDefault();
      setActive(Math.max(0, Math.min(last, move[ev.key] as number)));
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      run(shown[current]);
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      ev.stopPropagation();
      close();
    }
  };

  return (
    <div className="palette-backdrop" onMouseDown={close}>
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        data-testid="command-palette"
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={onKey}
      >
        <input
          ref={input}
          className="palette-input"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-autocomplete="list"
          aria-activedescendant={shown.length > 0 ? `palette-${current}` : undefined}
          aria-label="Type a command"
          placeholder="Type a command (Enter runs it, Esc closes)"
          data-testid="palette-input"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
        />
        <ul className="palette-list" id="palette-list" role="listbox" ref={list}>
          {shown.map((e, i) => (
            <li
              key={e.command}
              id={`palette-${i}`}
              role="option"
              aria-selected={i === current}
              className={i === current ? 'on' : ''}
              data-testid="palette-item"
              data-command={e.command}
              onMouseMove={() => setActive(i)}
              onClick={() => run(e)}
            >
              <span className="palette-title">{e.title}</span>
              <span className="palette-keys">
                {e.keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </span>
            </li>
          ))}
          {shown.length === 0 && (
            <li className="muted palette-none" role="presentation" data-testid="palette-none">
              No command matches “{query}”.
            </li>
          )}
        </ul>
      </div>
    </div>
  );
}
