// The application menu. Commands that belong to the UI are published on the `app:menu` stream;
// the renderer decides what they do. Type-only `electron` import.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/contract/app';

export function menuTemplate(
  isMac: boolean,
  send: (command: MenuCommand) => void,
  openExternal: (url: string) => void,
): MenuItemConstructorOptions[] {
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        {
          label: 'Import Actions…',
          accelerator: 'CmdOrCtrl+O',
          click: () => send('library:import'),
        },
        { label: 'Export Log…', accelerator: 'CmdOrCtrl+E', click: () => send('log:export') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Session',
      // Accelerators follow the renderer's shortcut table (renderer/src/app/shortcuts.ts); a test
      // keeps the two from binding one chord to different commands.
      submenu: [
        {
          label: 'Connect…',
          accelerator: 'CmdOrCtrl+Shift+O',
          click: () => send('session:connect'),
        },
        { label: 'Pause / Continue', accelerator: 'F5', click: () => send('session:toggle-run') },
        {
          label: 'Break (Ctrl+C)',
          accelerator: 'CmdOrCtrl+Shift+B',
          click: () => send('session:break'),
        },
      ],
    },
    {
      label: '&View',
      submenu: [
        {
          label: 'Command Palette…',
          accelerator: 'CmdOrCtrl+Shift+P',
          click: () => send('palette:open'),
        },
        {
          label: 'Toggle Theme',
          accelerator: 'CmdOrCtrl+Shift+L',
          click: () => send('view:toggle-theme'),
        },
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
