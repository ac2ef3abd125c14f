// The window's status bar (like x64dbg's and VS Code's): notices on the left, where they never
// cover a pane, and what the host process is doing on the right.
import type { ReactNode } from 'react';
import { Toasts } from './Toasts';

export function StatusBar({ hostDetails }: { readonly hostDetails: ReactNode }) {
  return (
    <footer className="statusbar" data-testid="statusbar">
      <Toasts />
      <div className="statusbar-right">{hostDetails}</div>
    </footer>
  );
}
