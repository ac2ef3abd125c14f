// One action in the library list: name, kind, built-in mark and tags; when selected, the row's
// commands (bind, duplicate, rename, delete or undelete, restore a built-in). Rename edits in
// place and shows the store's refusal (a taken name) under the field.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ActionSummary } from '../../../shared/model/action';
import { requestBind } from '../app/appStore';
import type { LibraryCommands } from './useLibraryCommands';

const KIND_SHORT = { code: 'code', log: 'log', break: 'break' } as const;

export interface ActionRowProps {
  readonly action: ActionSummary;
  readonly selected: boolean;
  readonly renaming: boolean;
  /** The editor holds unsaved edits of it. */
  readonly unsaved: boolean;
  readonly commands: LibraryCommands;
  onSelect(): void;
  onRenameChange(renaming: boolean): void;
}

export function ActionRow(props: ActionRowProps) {
  const { action: a, selected, commands } = props;
  const deleted = a.deletedAt !== null;
  const builtinState = a.builtin?.state;
  return (
    <li
      role="option"
      aria-selected={selected}
      className={`action-row${selected ? ' selected' : ''}${deleted ? ' deleted' : ''}`}
      data-testid="action-row"
      data-action-name={a.name}
      onClick={props.onSelect}
    >
      {props.renaming ? (
        <RenameField
          initial={a.name}
          onDone={async (name) => {
            if (name === null) {
              props.onRenameChange(false);
              return null;
            }
            const problem = await commands.rename(a, name);
            if (problem === null) props.onRenameChange(false);
            return problem;
          }}
        />
      ) : (
        <div className="action-row-head">
          <span className="action-name" title={a.description || a.name}>
            {a.name}
          </span>
          <span className={`kind kind-${a.kind}`}>{KIND_SHORT[a.kind]}</span>
        </div>
      )}
      <div className="action-row-meta">
        {a.builtin !== null && (
          <span
            className={`mark builtin${builtinState === 'pristine' ? '' : ' changed'}`}
            title={
              builtinState === 'pristine'
                ? 'Shipped with the app, unchanged'
                : builtinState === 'outdated'
                  ? 'Built-in you edited; the app now ships a newer revision'
                  : 'Built-in you edited; restore it to get it as shipped'
            }
          >
            built-in{builtinState === 'pristine' ? '' : ` · ${builtinState}`}
          </span>
        )}
        {a.damaged !== undefined && (
          <span className="mark warn" title={a.damaged} data-testid="action-damaged">
            damaged
          </span>
        )}
        {!a.assembled && a.damaged === undefined && (
          <span className="mark warn" title="The code does not assemble; fix it before binding">
            not assembled
          </span>
        )}
        {props.unsaved && (
          <span className="mark warn" title="Edited in the editor, not saved yet">
            unsaved
          </span>
        )}
        {deleted && <span className="mark">deleted</span>}
        {a.tags.map((t) => (
          <span key={t} className="tag">
            {t}
          </span>
        ))}
      </div>
      {selected && !props.renaming && (
        <div className="row-commands" onClick={(e) => e.stopPropagation()}>
          {deleted ? (
            <button type="button" onClick={() => void commands.undelete(a.id, a.name)}>
              Undelete
            </button>
          ) : (
            <>
              <button
                type="button"
                className="primary"
                onClick={() => requestBind([a.id])}
                disabled={a.kind === 'code' && !a.assembled}
                title="Bind this action to an event (B)"
              >
                Bind…
              </button>
              <button type="button" onClick={() => void commands.duplicate(a)}>
                Duplicate
              </button>
              <button type="button" onClick={() => props.onRenameChange(true)} title="Rename (F2)">
                Rename
              </button>
              <button type="button" onClick={() => void commands.remove(a)} title="Delete (Del)">
                Delete
              </button>
              {a.builtin !== null && builtinState !== 'pristine' && (
                <button
                  type="button"
                  onClick={() => void commands.restoreBuiltins([a.builtin?.key ?? ''])}
                  title="Put this built-in back as shipped (your edit stays in its history)"
                >
                  Restore built-in
                </button>
              )}
            </>
          )}
        </div>
      )}
    </li>
  );
}

function RenameField(props: {
  initial: string;
  onDone(name: string | null): Promise<string | null>;
}) {
  const [value, setValue] = useState(props.initial);
  const [problem, setProblem] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.select();
  }, []);
  const commit = async () => setProblem(await props.onDone(value));
  const onKey = (e: KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Enter') void commit();
    else if (e.key === 'Escape') void props.onDone(null);
  };
  return (
    <div className="rename" onClick={(e) => e.stopPropagation()}>
      <input
        ref={ref}
        aria-label="New name"
        value={value}
        maxLength={120}
        aria-invalid={problem !== null}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={onKey}
        onBlur={() => problem === null && void commit()}
      />
      {problem !== null && (
        <div className="field-error" role="alert">
          {problem}
        </div>
      )}
    </div>
  );
}
