// What the library pane's buttons do: each calls the host, selects what it made, and says what
// happened (or what went wrong) in a notice. Renderer only.
import { useMemo } from 'react';
import type { ActionKind, ActionSummary } from '../../../shared/model/action';
import { useHost } from '../host/hooks';
import { updateUi } from '../app/appStore';
import { showToast } from '../app/toasts';
import { downloadText, readPickedFile } from './fileTransfer';
import { freeName } from './libraryFilter';
import { KIND_LABELS, newActionDraft } from './newAction';

export interface LibraryCommands {
  create(kind: ActionKind, existing: readonly ActionSummary[]): Promise<void>;
  duplicate(a: ActionSummary): Promise<void>;
  /** Resolves to an error message for the rename field, or null when it worked. */
  rename(a: ActionSummary, name: string): Promise<string | null>;
  remove(a: ActionSummary): Promise<void>;
  undelete(id: string, name: string): Promise<void>;
  importFile(file: File): Promise<void>;
  exportActions(ids: readonly string[] | undefined): Promise<void>;
  restoreBuiltins(keys: readonly string[] | undefined): Promise<void>;
}

export function useLibraryCommands(): LibraryCommands {
  const host = useHost();
  return useMemo<LibraryCommands>(() => {
    const select = (id: string) => updateUi({ selectedActionId: id, mainTab: 'editor' });
    const undelete = async (id: string, name: string) => {
      const r = await host.call('library:undelete', { id });
      if (r.ok) {
        select(r.value.id);
        showToast(`Restored '${name}'`, 'ok');
      } else showToast(`Could not restore '${name}': ${r.error.message}`, 'error');
    };
    return {
      async create(kind, existing) {
        const name = freeName(`New ${KIND_LABELS[kind].toLowerCase()} action`, [
          ...existing.map((a) => a.name),
        ]);
        const r = await host.call('library:save', { action: newActionDraft(kind, name) });
        if (r.ok) select(r.value.action.id);
        else showToast(`Could not create the action: ${r.error.message}`, 'error');
      },
      async duplicate(a) {
        const r = await host.call('library:duplicate', { id: a.id });
        if (r.ok) {
          select(r.value.id);
          showToast(`Duplicated as '${r.value.name}'`, 'ok');
        } else showToast(`Could not duplicate '${a.name}': ${r.error.message}`, 'error');
      },
      async rename(a, name) {
        if (name.trim() === a.name) return null;
        const r = await host.call('library:rename', {
          id: a.id,
          name,
          baseVersion: a.version,
        });
        return r.ok ? null : r.error.message.replace(/^name: /, '');
      },
      async remove(a) {
        const r = await host.call('library:delete', { id: a.id });
        if (r.ok)
          showToast(`Deleted '${a.name}'`, 'info', {
            label: 'Undo',
            run: () => void undelete(a.id, a.name),
          });
        else showToast(`Could not delete '${a.name}': ${r.error.message}`, 'error');
      },
      undelete,
      async importFile(file) {
        let picked;
        try {
          picked = await readPickedFile(file);
        } catch (e) {
          showToast(e instanceof Error ? e.message : String(e), 'error');
          return;
        }
        const r = await host.call('library:import', {
          fileName: picked.name,
          content: picked.content,
        });
        if (!r.ok) {
          showToast(`Nothing imported from ${picked.name}: ${r.error.message}`, 'error');
          return;
        }
        const { imported, skipped } = r.value;
        const renamed = imported.filter((i) => i.renamedFrom !== null);
        const parts = [`Imported ${imported.length} action${imported.length === 1 ? '' : 's'}`];
        if (renamed.length > 0)
          parts.push(`${renamed.map((i) => `'${i.renamedFrom}' as '${i.name}'`).join(', ')}`);
        if (skipped.length > 0)
          parts.push(`skipped ${skipped.map((s) => `'${s.name}' (${s.reason})`).join(', ')}`);
        showToast(parts.join('; '), imported.length > 0 ? 'ok' : 'info');
        const first = imported[0];
        if (first !== undefined) select(first.id);
      },
      async exportActions(ids) {
        const r = await host.call('library:export', ids === undefined ? {} : { ids: [...ids] });
        if (!r.ok) {
          showToast(`Export failed: ${r.error.message}`, 'error');
          return;
        }
        downloadText(r.value.fileName, r.value.content);
        showToast(
          `Exported ${r.value.count} action${r.value.count === 1 ? '' : 's'} to ${r.value.fileName}`,
          'ok',
        );
      },
      async restoreBuiltins(keys) {
        const r = await host.call(
          'library:restore-builtins',
          keys === undefined ? {} : { keys: [...keys] },
        );
        if (r.ok)
          showToast(
            `Restored ${r.value.length} built-in action${r.value.length === 1 ? '' : 's'} as shipped`,
            'ok',
          );
        else showToast(`Could not restore built-ins: ${r.error.message}`, 'error');
      },
    };
  }, [host]);
}
