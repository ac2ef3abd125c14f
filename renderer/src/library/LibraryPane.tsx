// The action library (left region): search, tag chips, new/import/export, and the list of
// actions with their commands. Keyboard: arrows move, Enter opens, F2 renames, Del deletes,
// B binds. Built-ins are marked; missing or deleted ones can be put back.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ActionKind, ActionSummary } from '../../../shared/model/action';
import { requestBind, updateUi, useUi } from '../app/appStore';
import { MENU_EVENT } from '../app/useAppCommands';
import { useHostQuery } from '../app/useHostQuery';
import { useUnsavedIds } from '../editor/draftStash';
import { useSession } from '../session/SessionProvider';
import { ActionRow } from './ActionRow';
import { firstUsableAction } from './firstAction';
import { EMPTY_FILTER, filterActions, tagCounts, type LibraryFilter } from './libraryFilter';
import { KIND_LABELS } from './newAction';
import { useLibraryCommands } from './useLibraryCommands';

/** Tag chips shown before "more…": enough for a glance, few enough not to push the list away. */
const VISIBLE_TAGS = 12;

export function LibraryPane() {
  const list = useHostQuery(
    'library:list',
    { includeDeleted: true },
    { refreshOn: ['library:changed'] },
  );
  const builtins = useHostQuery('library:builtins', {}, { refreshOn: ['library:changed'] });
  const commands = useLibraryCommands();
  const selectedId = useUi((s) => s.selectedActionId);
  const session = useSession().state;
  const unsaved = useUnsavedIds();
  const focusSearch = useUi((s) => s.focusSearchRequest);
  const [filter, setFilter] = useState<LibraryFilter>(EMPTY_FILTER);
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const [allTags, setAllTags] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (focusSearch > 0) searchRef.current?.focus();
  }, [focusSearch]);

  // The native menu's Import… and the new-action shortcut (see app/useAppCommands.ts).
  const actionsRef = useRef<readonly ActionSummary[]>([]);
  useEffect(() => {
    const onMenu = (e: Event) => {
      const command = (e as CustomEvent<unknown>).detail;
      if (command === 'library:import') fileRef.current?.click();
      else if (command === 'library:new-code') void commands.create('code', actionsRef.current);
    };
    window.addEventListener(MENU_EVENT, onMenu);
    return () => window.removeEventListener(MENU_EVENT, onMenu);
  }, [commands]);

  const actions = useMemo(() => list.value ?? [], [list.value]);
  useEffect(() => {
    actionsRef.current = actions;
  }, [actions]);
  const shown = useMemo(() => filterActions(actions, filter), [actions, filter]);
  const tags = useMemo(() => tagCounts(actions), [actions]);
  const deletedCount = actions.filter((a) => a.deletedAt !== null).length;
  const restorable = (builtins.value ?? []).filter(
    (b) => b.state === 'missing' || b.state === 'deleted',
  );
  const selected = shown.find((a) => a.id === selectedId);

  // First load: open an action, so the editor is not empty on a fresh start; one usable in the
  // session's mode (never a break in VMI mode). Until the session is first ready (its mode and
  // capability known), a pick the user has not changed follows what the session turns out to be.
  const autoPick = useRef<{ id: string | null; settled: boolean }>({ id: null, settled: false });
  useEffect(() => {
    const auto = autoPick.current;
    if (auto.settled || filter !== EMPTY_FILTER || session === null) return;
    if (selectedId !== null && selectedId !== auto.id) {
      auto.settled = true; // the user chose
      return;
    }
    const first = firstUsableAction(shown, session);
    if (first !== undefined && first.id !== selectedId) {
      auto.id = first.id;
      updateUi({ selectedActionId: first.id });
    }
    if (session.status === 'ready') auto.settled = true;
  }, [selectedId, shown, filter, session]);

  const move = (delta: number) => {
    if (shown.length === 0) return;
    const i = shown.findIndex((a) => a.id === selectedId);
    const next = shown[Math.max(0, Math.min(shown.length - 1, i < 0 ? 0 : i + delta))];
    if (next !== undefined) updateUi({ selectedActionId: next.id });
  };

  const onListKey = (e: KeyboardEvent) => {
    if (renamingId !== null) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      move(e.key === 'ArrowDown' ? 1 : -1);
    } else if (selected === undefined) return;
    else if (e.key === 'Enter') updateUi({ mainTab: 'editor' });
    else if (e.key === 'F2' && selected.deletedAt === null) setRenamingId(selected.id);
    else if (e.key === 'Delete' && selected.deletedAt === null) void commands.remove(selected);
    else if (e.key.toLowerCase() === 'b' && selected.deletedAt === null) requestBind([selected.id]);
  };

  const toggleTag = (tag: string) =>
    setFilter((f) => ({
      ...f,
      tags: f.tags.includes(tag) ? f.tags.filter((t) => t !== tag) : [...f.tags, tag],
    }));

  return (
    <div className="library">
      <div className="library-tools">
        <input
          ref={searchRef}
          type="search"
          className="search"
          placeholder="Search actions (Ctrl+K)"
          aria-label="Search actions"
          value={filter.text}
          onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              listRef.current?.focus();
              move(0);
            } else if (e.key === 'Escape') setFilter((f) => ({ ...f, text: '' }));
          }}
        />
        <div className="button-row">
          <NewActionButton onCreate={(kind) => void commands.create(kind, actions)} />
          <button type="button" onClick={() => fileRef.current?.click()} title="Import actions">
            Import…
          </button>
          <button
            type="button"
            onClick={() => void commands.exportActions(selected ? [selected.id] : undefined)}
            title={selected ? `Export '${selected.name}'` : 'Export the whole library'}
          >
            Export
          </button>
          <button
            type="button"
            onClick={() => void commands.exportActions(undefined)}
            title="Export every action to one file"
          >
            Export all
          </button>
          <input
            ref={fileRef}
            type="file"
            accept=".json,.ds,.hds,.txt,application/json,text/plain"
            aria-label="Import actions from a file"
            data-testid="import-file"
            hidden
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file !== undefined) void commands.importFile(file);
            }}
          />
        </div>
      </div>
      {tags.length > 0 && (
        <div className="tag-chips" role="group" aria-label="Filter by tag">
          {(allTags ? tags : tags.slice(0, VISIBLE_TAGS)).map(({ tag, count }) => (
            <button
              key={tag}
              type="button"
              className={`chip${filter.tags.includes(tag) ? ' on' : ''}`}
              aria-pressed={filter.tags.includes(tag)}
              onClick={() => toggleTag(tag)}
            >
              {tag} <span className="muted">{count}</span>
            </button>
          ))}
          {tags.length > VISIBLE_TAGS && (
            <button type="button" className="chip link" onClick={() => setAllTags((v) => !v)}>
              {allTags ? 'fewer' : `${tags.length - VISIBLE_TAGS} more…`}
            </button>
          )}
        </div>
      )}
      {list.error !== null && (
        <div className="error" role="alert">
          Could not read the library: {list.error.message}{' '}
          <button type="button" onClick={list.reload}>
            Retry
          </button>
        </div>
      )}
      {list.value === undefined && list.error === null && (
        <div className="muted" role="status">
          Loading actions…
        </div>
      )}
      {list.value !== undefined && shown.length === 0 && (
        <div className="empty muted">
          {actions.length === 0 ? (
            'No actions yet: create one with New, or import a file.'
          ) : (
            <>
              No action matches.{' '}
              <button type="button" className="link" onClick={() => setFilter(EMPTY_FILTER)}>
                Clear the filter
              </button>
            </>
          )}
        </div>
      )}
      <ul
        ref={listRef}
        className="action-list"
        role="listbox"
        aria-label="Actions"
        tabIndex={0}
        onKeyDown={onListKey}
        aria-activedescendant={undefined}
      >
        {shown.map((a) => (
          <ActionRow
            key={a.id}
            action={a}
            selected={a.id === selectedId}
            renaming={a.id === renamingId}
            unsaved={unsaved.has(a.id)}
            commands={commands}
            onSelect={() => updateUi({ selectedActionId: a.id, mainTab: 'editor' })}
            onRenameChange={(on) => {
              setRenamingId(on ? a.id : null);
              if (!on) listRef.current?.focus();
            }}
          />
        ))}
      </ul>
      <div className="library-foot">
        <label className="check">
          <input
            type="checkbox"
            checked={filter.showDeleted}
            onChange={(e) => setFilter((f) => ({ ...f, showDeleted: e.target.checked }))}
          />
          Show deleted ({deletedCount})
        </label>
        {restorable.length > 0 && (
          <button
            type="button"
            className="link"
            onClick={() => void commands.restoreBuiltins(restorable.map((b) => b.key))}
            title={restorable.map((b) => b.name).join('\n')}
          >
            Restore {restorable.length} built-in{restorable.length === 1 ? '' : 's'}
          </button>
        )}
      </div>
    </div>
  );
}

function NewActionButton({ onCreate }: { onCreate(kind: ActionKind): void }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="menu-anchor">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
        title="New action (Ctrl+Alt+N)"
      >
        New ▾
      </button>
      {open && (
        <div className="menu" role="menu" onMouseLeave={() => setOpen(false)}>
          {(Object.keys(KIND_LABELS) as ActionKind[]).map((k) => (
            <button
              key={k}
              type="button"
              role="menuitem"
              onClick={() => {
                setOpen(false);
                onCreate(k);
              }}
            >
              {KIND_LABELS[k]}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
