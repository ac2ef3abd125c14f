// Which action the library opens on first load: one that can run in the session's mode. HyperDbg
// breaks to the debugger only in Debugger Mode; in VMI mode (where the first run starts, on the
// simulator) an event's only action cannot be a break (spec §3.7). The featured built-in (the
// seed's ImageFileName example) comes first: it works on every target, through its derived log
// form on a stock build. Otherwise, on a stock build custom code's returned buffer never
// arrives, so a log action (a script) comes before code there. Pure.
import type { ActionKind, ActionSummary } from '../../../shared/model/action';
import type { SessionState } from '../../../shared/contract/session';

/** Kinds in the order they are preferred; a kind not listed cannot run in that session. */
export function preferredKinds(session: SessionState | null): readonly ActionKind[] {
  const mode = session?.status === 'ready' ? session.mode : 'vmi';
  const stock = session?.capability?.capability === 'stock';
  const usable: ActionKind[] = stock ? ['log', 'code'] : ['code', 'log'];
  return mode === 'debugger' ? [...usable, 'break'] : usable;
}

/** The built-in a first run opens on when it is there (resources/builtins). */
export const FEATURED_BUILTIN_KEY = 'current-process-image-file-name';

/** The first listed live action of the most preferred kind, or undefined when there is none. */
export function firstUsableAction(
  shown: readonly ActionSummary[],
  session: SessionState | null,
): ActionSummary | undefined {
  const live = shown.filter((a) => a.deletedAt === null);
  const kinds = preferredKinds(session);
  const featured = live.find((a) => a.builtin?.key === FEATURED_BUILTIN_KEY);
  if (featured !== undefined && kinds.includes(featured.kind)) return featured;
  for (const kind of kinds) {
    const a = live.find((x) => x.kind === kind);
    if (a !== undefined) return a;
  }
  return live[0];
}
