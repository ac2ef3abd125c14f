// The keyboard shortcuts, listed from the same table the keys are read with (shortcuts.ts), so
// the help cannot drift from what the keys do.
import { chordText, SHORTCUTS } from '../../../shared/ui/shortcuts';

/** Keys handled inside a pane rather than app-wide. */
const PANE_KEYS: readonly [string, string][] = [
  ['Ctrl+S', 'Save the action (editor)'],
  ['Ctrl+Enter', 'Apply the binding (binder)'],
  ['↑ / ↓, Enter, F2, Del, B', 'Move, open, rename, delete, bind (library list)'],
  ['↑ / ↓', 'Command history (console input)'],
  ['Ctrl+C', 'Break (console, with nothing selected)'],
];

export function ShortcutsHelp() {
  return (
    <section aria-label="Keyboard shortcuts" className="shortcuts">
      <h3>Keyboard shortcuts</h3>
      <table className="kv">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={chordText(s.chord)}>
              <th scope="row">
                <kbd>{chordText(s.chord)}</kbd>
              </th>
              <td>{s.label}</td>
            </tr>
          ))}
          {PANE_KEYS.map(([k, what]) => (
            <tr key={k}>
              <th scope="row">
                <kbd>{k}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
