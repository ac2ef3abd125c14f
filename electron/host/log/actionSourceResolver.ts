// The glue that tells the log which saved action (and buffer schema) explains an event's
// records: the session's event registry says which actions created the event
// (`EventInfo.source.actionIds`), the library says what their schemas are. The resolver must
// answer synchronously on the write path, so the actions' schemas are kept in a small cache
// refreshed from the library when it changes. Host side.
import type { ActionKind } from '../../../shared/model/action';
import type { BufferSchema } from '../../../shared/model/bufferSchema';
import type { RecordSourceInfo, RecordSourceResolver } from './logIngest';

/** What the resolver needs of one library action. */
export interface CachedAction {
  readonly id: string;
  readonly name: string;
  readonly kind: ActionKind;
  readonly bufferSchema: BufferSchema;
}

/**
 * What the log reads of the action library, and all it reads: the actions that can print
 * records, deleted ones included, with their buffer schemas.
 */
export interface RecordActionLibrary {
  recordActions(): Promise<readonly CachedAction[]>;
}

/** What it needs of one session event. */
export interface EventSourceLike {
  /** Hex, as `events` lists it. */
  readonly id: string;
  readonly source: {
    readonly actionIds: readonly string[];
    readonly actionNames: readonly string[];
  } | null;
}

export interface ActionSourceDeps {
  /** The current CLI process's events (the registry is per process). */
  readonly events: () => readonly EventSourceLike[];
  /** The current CLI process (its generation). */
  readonly generation: () => number;
  /**
   * Whether the target returns custom-code buffers (the simulator, a patched build); if not,
   * records come from the event's log (script) action. Null while unknown.
   */
  readonly returnsBuffers: () => boolean | null;
  readonly action: (id: string) => CachedAction | undefined;
}

/**
 * Which of an event's actions produced its records: of the actions with a buffer schema, the
 * code action on a target that returns buffers, the log action on one that does not.
 */
export function pickRecordAction(
  actions: readonly CachedAction[],
  returnsBuffers: boolean | null,
): CachedAction | undefined {
  const withSchema = actions.filter(
    (a) => (a.kind === 'code' || a.kind === 'log') && a.bufferSchema.length > 0,
  );
  if (withSchema.length <= 1) return withSchema[0];
  const preferred: ActionKind = returnsBuffers === false ? 'log' : 'code';
  return withSchema.find((a) => a.kind === preferred) ?? withSchema[0];
}

export function createActionSourceResolver(deps: ActionSourceDeps): RecordSourceResolver {
  return (generation, eventId): RecordSourceInfo | null => {
    if (generation !== deps.generation()) return null;
    const ev = deps.events().find((e) => parseInt(e.id, 16) === eventId);
    if (ev === undefined || ev.source === null) return null;
    const actions: CachedAction[] = [];
    for (const id of ev.source.actionIds) {
      const a = deps.action(id);
      if (a !== undefined) actions.push(a);
    }
    const chosen = pickRecordAction(actions, deps.returnsBuffers());
    if (chosen === undefined) return null;
    const i = ev.source.actionIds.indexOf(chosen.id);
    return {
      actionId: chosen.id,
      actionName: ev.source.actionNames[i] ?? chosen.name,
      schema: chosen.bufferSchema,
    };
  };
}

/**
 * The library's actions with their schemas, in memory (a library holds tens to hundreds of
 * actions). `refresh` reloads them; call it at start and whenever the library changes.
 */
export class ActionSchemaCache {
  private actions = new Map<string, CachedAction>();
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly load: () => Promise<readonly CachedAction[]>) {}

  get(id: string): CachedAction | undefined {
    return this.actions.get(id);
  }

  /** Reloads every action; overlapping calls coalesce into one more reload. */
  refresh(): Promise<void> {
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          const list = await this.load();
          this.actions = new Map(list.map((a) => [a.id, a]));
        } catch (e) {
          console.error('log: the action library could not be read for record decoding:', e);
        }
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
