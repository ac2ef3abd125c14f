// Session commands the header, the dialog and the shortcuts share (connect, disconnect,
// restart, pause/continue, mute, break), with one place that remembers which one is running
// and which one failed, so the error shows beside the control that caused it. Renderer only.
import { useSyncExternalStore } from 'react';
import type { HostClient } from '../../../shared/contract/client';
import type { Result } from '../../../shared/contract/result';
import type { SimulatorOptions } from '../../../shared/contract/session';
import type { ProfileDraft } from '../../../shared/model/actionTarget';
import { SIMULATOR_PROFILE } from './profileForm';
import { withUnicornHint } from './unicornHint';

export type SessionAction =
  'connect' | 'disconnect' | 'restart' | 'pause' | 'continue' | 'mute' | 'interrupt';

export interface SessionActionState {
  readonly busy: SessionAction | null;
  readonly error: { readonly action: SessionAction; readonly message: string } | null;
}

let current: SessionActionState = { busy: null, error: null };
const listeners = new Set<() => void>();
const set = (s: SessionActionState) => {
  current = s;
  for (const l of listeners) l();
};

export function useSessionActions(): SessionActionState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    () => current,
  );
}

export function clearSessionError(): void {
  if (current.error !== null) set({ ...current, error: null });
}

async function run(action: SessionAction, call: () => Promise<Result<unknown>>): Promise<boolean> {
  set({ busy: action, error: null });
  const r = await call();
  set({
    busy: null,
    error: r.ok ? null : { action, message: withUnicornHint(r.error.message) },
  });
  return r.ok;
}

// ---- The last target, remembered so the next start opens on it --------------------------------

const LAST_TARGET_KEY = 'hds.lastTarget';

export type LastTarget =
  | { readonly kind: 'simulator' }
  | { readonly kind: 'profile'; readonly id: string; readonly name: string };

export function lastTarget(): LastTarget | null {
  try {
    const raw = localStorage.getItem(LAST_TARGET_KEY);
    if (raw === null) return null;
    const v: unknown = JSON.parse(raw);
    if (typeof v === 'object' && v !== null && 'kind' in v) {
      if (v.kind === 'simulator') return { kind: 'simulator' };
      if (
        v.kind === 'profile' &&
        'id' in v &&
        typeof v.id === 'string' &&
        'name' in v &&
        typeof v.name === 'string'
      )
        return { kind: 'profile', id: v.id, name: v.name };
    }
  } catch {
    // Unreadable or damaged: treat as a first run.
  }
  return null;
}

function remember(t: LastTarget): void {
  try {
    localStorage.setItem(LAST_TARGET_KEY, JSON.stringify(t));
  } catch {
    // Not remembered; the next start opens on the simulator.
  }
}

// ---- Commands -----------------------------------------------------------------------------------

export interface ConnectRequest {
  readonly profile: ProfileDraft;
  readonly profileId?: string;
  readonly simulator?: SimulatorOptions;
}

export function connect(host: HostClient, req: ConnectRequest): Promise<boolean> {
  return run('connect', async () => {
    const r = await host.call('session:connect', {
      profile: req.profile,
      ...(req.profileId !== undefined ? { profileId: req.profileId } : {}),
      ...(req.profile.cliPath === '' ? { simulator: req.simulator ?? {} } : {}),
    });
    if (r.ok)
      remember(
        req.profile.cliPath === '' || req.profileId === undefined
          ? { kind: 'simulator' }
          : { kind: 'profile', id: req.profileId, name: req.profile.name },
      );
    return r;
  });
}

export function connectSimulator(host: HostClient, simulator: SimulatorOptions): Promise<boolean> {
  return connect(host, { profile: SIMULATOR_PROFILE, simulator });
}

export const disconnect = (host: HostClient) =>
  run('disconnect', () => host.call('session:disconnect', {}));
export const restart = (host: HostClient) => run('restart', () => host.call('session:restart', {}));
export const pause = (host: HostClient) => run('pause', () => host.call('session:pause', {}));
export const resume = (host: HostClient) =>
  run('continue', () => host.call('session:continue', {}));
export const setMuted = (host: HostClient, muted: boolean) =>
  run('mute', () => host.call('session:mute', { muted }));
export const interrupt = (host: HostClient) =>
  run('interrupt', () => host.call('session:interrupt', {}));
