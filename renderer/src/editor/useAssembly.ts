// Assembles source on every change, lightly debounced: the host answers in ~2 ms, so the delay
// only coalesces a burst of keystrokes. Answers to older requests are dropped, so a slow answer
// never overwrites a newer one. Renderer only.
import { useEffect, useRef, useState } from 'react';
import type { AssemblyResult, CodeRole } from '../../../shared/model/actionAssembly';
import type { EventKind } from '../../../shared/model/eventKinds';
import type { TargetCapability } from '../../../shared/model/actionTarget';
import { useHost } from '../host/hooks';

/** Milliseconds of quiet before assembling: below what a typist notices (~100 ms). */
export const ASSEMBLE_DEBOUNCE_MS = 40;

export interface AssemblyContext {
  readonly role: CodeRole;
  readonly eventKind: EventKind | null;
  readonly bufferSize: number;
  readonly target: TargetCapability;
  /** The build structure fields resolve for; null: the connected target's (or the reference). */
  readonly build?: number | null;
  /** Bumped when the target changes (its build, its symbols): assemble again. */
  readonly targetKey?: string;
}

export type AssemblyState =
  | { readonly status: 'idle' }
  | { readonly status: 'assembling'; readonly last: AssemblyResult | null }
  | { readonly status: 'done'; readonly result: AssemblyResult }
  | { readonly status: 'failed'; readonly message: string };

interface Settled {
  readonly request: string;
  readonly result: AssemblyResult | null;
  readonly failure: string | null;
}

export function useAssembly(source: string | null, ctx: AssemblyContext): AssemblyState {
  const host = useHost();
  const [settled, setSettled] = useState<Settled | null>(null);
  const seq = useRef(0);
  const { role, eventKind, bufferSize, target } = ctx;
  const build = ctx.build ?? null;
  const request = JSON.stringify([
    source,
    role,
    eventKind,
    bufferSize,
    target,
    build,
    ctx.targetKey,
  ]);

  useEffect(() => {
    if (source === null) return;
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      void host
        .call('asm:assemble', { source, role, eventKind, bufferSize, target, build })
        .then((r) => {
          if (mine !== seq.current) return;
          setSettled(
            r.ok
              ? { request, result: r.value, failure: null }
              : { request, result: null, failure: r.error.message },
          );
        });
    }, ASSEMBLE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [host, request, source, role, eventKind, bufferSize, target, build]);

  if (source === null) return { status: 'idle' };
  if (settled === null) return { status: 'assembling', last: null };
  if (settled.request !== request) return { status: 'assembling', last: settled.result };
  return settled.result !== null
    ? { status: 'done', result: settled.result }
    : { status: 'failed', message: settled.failure ?? 'failed' };
}

/** The result to show: the current one, or the previous while a new one is on its way. */
export function shownResult(s: AssemblyState): AssemblyResult | null {
  return s.status === 'done' ? s.result : s.status === 'assembling' ? s.last : null;
}
