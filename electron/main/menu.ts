// The application menu. Commands that belong to the UI are published on the `app:menu` stream;
// the renderer decides what they do. Accelerators come from the shortcut table
// (shared/ui/shortcuts.ts), so the menu and the page cannot bind a chord differently.
// Type-only `electron` import.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/contract/app';
import { menuAccelerator } from '../../shared/ui/shortcuts';

export function menuTemplate(
  isMac: boolean,
  send: (command: MenuCommand) => void,
  openExternal: (url: string) => void,
): MenuItemConstructorOptions[] {
  /** A menu item that sends `command`, under the chord the shortcut table gives it. */
  const item = (label: string, command: MenuCommand): MenuItemConstructorOptions => {
    const accelerator = menuAccelerator(command);
    return {
      label,
      ...(accelerator === undefined ? {} : { accelerator }),
      click: () => send(command),
    };
  };
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        item('Import Actions…', 'library:import'),
        item('Export Log…', 'log:export'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Session',
      submenu: [
        item('Connect…', 'session:connect'),
        item('Pause / Continue', 'session:toggle-run'),
        item('Break (Ctrl+C)', 'session:break'),
      ],
    },
    {
      label: '&View',
      submenu: [
        item('Command Palette…', 'palette:open'),
        item('Toggle Theme', 'view:toggle-theme'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'toggleDevTools' },
      ],
    },
    {
      role: 'help',
      submenu: [
        {
          label: 'HyperDbg Documentation',
          click: () => openExternal('https://docs.hyperdbg.org/'),
        },
        {
          label: 'HyperDbg on GitHub',
          click: () => openExternal('https://github.com/HyperDbg/HyperDbg'),
        },
      ],
    },
  ];
}
