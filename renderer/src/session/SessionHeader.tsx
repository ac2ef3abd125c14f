// The header: the target (marked when it is the simulator), connection state, the debuggee's
// run state with pause/continue (Debugger Mode) or mute (VMI mode), connect / disconnect /
// restart, and below it the session's errors and notices where they belong.
import { useState, type ReactNode } from 'react';
import type { SessionState } from '../../../shared/contract/session';
import { useHost } from '../host/hooks';
import { toggleTheme, updateUi, useUi } from '../app/appStore';
import { useHostHealth, type HostHealthState } from '../app/hostHealth';
import { ConnectionDialog } from './ConnectionDialog';
import { useSession } from './SessionProvider';
import {
  clearSessionError,
  disconnect,
  pause,
  restart,
  resume,
  setMuted,
  useSessionActions,
  lastTarget,
} from './sessionActions';
import {
  exitText,
  modeLabel,
  MUTE_EXPLANATION,
  MUTE_EXPLANATION_FORWARDED,
  recordsLabel,
  runControl,
  STATUS_LABELS,
  statusTone,
} from './sessionLabels';
import { isUnicornProblem, withUnicornHint } from './unicornHint';
import { useFirstRun } from './useFirstRun';

export function SessionHeader({ hostStatus }: { readonly hostStatus: ReactNode }) {
  const host = useHost();
  const { state, error: stateError } = useSession();
  const actions = useSessionActions();
  const theme = useUi((s) => s.theme);
  const dialogOpen = useUi((s) => s.connectDialogOpen);
  const health = useHostHealth().state;
  useFirstRun();

  const status = state?.status ?? 'disconnected';
  // Without the host, what it last said about the session may no longer be true.
  const hostGone = health === 'lost' || health === 'refused';
  const busy = actions.busy !== null || hostGone;
  const control = runControl(state);
  const mode = state !== null ? modeLabel(state) : null;
  const live = status === 'ready' || status === 'starting' || status === 'connecting';
  const sessionError = state?.error ?? null;
  const unicorn = [sessionError, actions.error?.message, stateError?.message].some(
    isUnicornProblem,
  );
  const last = lastTarget();
  const records = state !== null && status === 'ready' ? recordsLabel(state) : null;
  const forwarded = state?.records.kind === 'forwarded';
  const muteExplanation = forwarded ? MUTE_EXPLANATION_FORWARDED : MUTE_EXPLANATION;

  return (
    <>
      <header className="header">
        <h1 className="brand">HyperDbg Studio</h1>
        <div className="target" data-testid="session-target" title={state?.targetLabel ?? ''}>
          {state?.isSimulator && (
            <span
              className="badge sim"
              data-testid="simulated-badge"
              title="The built-in simulator plays hyperdbg-cli over a synthetic Windows guest: nothing here touches a real machine"
            >
              SIMULATED<span className="wide-only"> DEBUGGEE</span>
            </span>
          )}
          <span className="target-label">
            {state?.targetLabel ?? (state === null ? '' : 'no target')}
          </span>
        </div>
        <span
          className={`badge keep ${hostGone ? 'err' : statusTone(status)}`}
          data-testid="session-state"
          data-status={hostGone ? 'unknown' : status}
          role="status"
          title={
            hostGone
              ? 'The host is not reachable: what the session does now is unknown until it is back'
              : undefined
          }
        >
          {hostGone
            ? 'session: unknown'
            : state === null
              ? stateError !== null
                ? 'session unavailable'
                : '…'
              : STATUS_LABELS[status]}
        </span>
        {mode !== null && status === 'ready' && !hostGone && (
          <span className="badge keep" data-testid="session-mode">
            {mode}
          </span>
        )}
        {state !== null && status === 'ready' && (
          <BuildBadge
            fact={state.windowsBuild}
            busy={busy}
            onDetect={() => void host.call('session:detect-build', {})}
          />
        )}
        {state?.mode === 'debugger' && status === 'ready' && (
          <span
            className={`badge ${state.debuggee === 'running' ? 'ok' : 'warn'}`}
            data-testid="debuggee-state"
          >
            debuggee {state.debuggee}
          </span>
        )}
        {records !== null && (
          <span
            className={`badge records ${forwarded ? 'ok' : ''}`}
            data-testid="records-channel"
            data-channel={state?.records.kind}
            title={records.title}
          >
            {records.text}
          </span>
        )}
        {state?.muted && (
          <span className="badge warn" data-testid="muted-badge" title={muteExplanation}>
            {forwarded
              ? 'muted: console only, records still forwarded'
              : 'muted: records discarded'}
          </span>
        )}
        <div className="header-controls">
          {control.kind === 'pause' && (
            <button
              type="button"
              disabled={busy}
              onClick={() => void pause(host)}
              title="Pause the debuggee (F6)"
            >
              Pause
            </button>
          )}
          {control.kind === 'continue' && (
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void resume(host)}
              title="Let the debuggee run (F5)"
            >
              Continue
            </button>
          )}
          {(control.kind === 'mute' || control.kind === 'unmute') && (
            <button
              type="button"
              disabled={busy}
              aria-pressed={control.kind === 'unmute'}
              onClick={() => void setMuted(host, control.kind === 'mute')}
              title={`${control.kind === 'mute' ? 'Mute' : 'Unmute'} (F6). ${muteExplanation}`}
              data-testid="mute-button"
            >
              {control.kind === 'mute' ? (
                forwarded ? (
                  <>
                    Mute<span className="wide-only"> console</span>
                  </>
                ) : (
                  <>
                    Mute<span className="wide-only"> (discards records)</span>
                  </>
                )
              ) : (
                'Unmute'
              )}
            </button>
          )}
          {live ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => void disconnect(host)}
              data-testid="disconnect-button"
            >
              Disconnect
            </button>
          ) : (
            state !== null &&
            state.generation > 0 && (
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => void restart(host)}
                data-testid="restart-button"
                title="Start the last target again; records so far stay"
              >
                {status === 'lost' ? 'Reconnect' : 'Restart'}
              </button>
            )
          )}
          <button
            type="button"
            disabled={busy}
            onClick={() => updateUi({ connectDialogOpen: true })}
            data-testid="connect-button"
            title="Choose a target (Ctrl+Shift+O)"
          >
            {status === 'disconnected' && last?.kind === 'profile'
              ? `Connect to ${last.name}…`
              : 'Connect…'}
          </button>
        </div>
        <div className="spacer" />
        {hostStatus}
        <button
          type="button"
          onClick={toggleTheme}
          title="Switch theme (Ctrl+Shift+L)"
          aria-label={`Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme`}
        >
          {theme === 'dark' ? 'Light' : 'Dark'}
        </button>
      </header>
      <HostBanner health={health} />
      <SessionBanners
        busy={actions.busy}
        actionError={actions.error}
        stateError={stateError?.message ?? null}
        sessionError={status === 'ready' || status === 'lost' ? null : sessionError}
        lost={
          status === 'lost' && state !== null
            ? (sessionError ?? exitText(state) ?? 'the CLI ended')
            : null
        }
        onReconnect={() => void restart(host)}
        notices={state?.notices ?? []}
        unicorn={unicorn}
      />
      {dialogOpen && <ConnectionDialog onClose={() => updateUi({ connectDialogOpen: false })} />}
    </>
  );
}

/** What a lost, restarted or silent host means for this window, and what to do. */
function HostBanner({ health }: { health: HostHealthState }) {
  const where = location.host;
  if (window.studio !== undefined) {
    // Electron: the host is this app's own main process; only silence can happen.
    if (health !== 'unresponsive') return null;
  }
  if (health === 'lost')
    return (
      <div className="banners">
        <div className="banner err" role="alert" data-testid="host-lost">
          <span>
            <strong>The host is not reachable</strong> (it was stopped or crashed). This window
            reconnects by itself as soon as a host answers at {where} with the same access; the
            records it stored are in its session database.
          </span>
        </div>
      </div>
    );
  if (health === 'refused')
    return (
      <div className="banners">
        <div className="banner err" role="alert" data-testid="host-restarted">
          <span>
            <strong>A new host runs at {where}</strong> with a new access token, so this window
            cannot use it. Open the URL it printed (
            <code>HyperDbg Studio listening on http://{where}/?token=…</code>); reloading this page
            does not help.
          </span>
        </div>
      </div>
    );
  if (health === 'unresponsive')
    return (
      <div className="banners">
        <div className="banner warn" role="status" data-testid="host-unresponsive">
          <span>
            The host has stopped answering (no heartbeat): it is stuck or very busy. The window
            catches up when it answers again.
          </span>
        </div>
      </div>
    );
  return null;
}

/** The target's Windows build: known (and from where), being detected, or not known and why. */
function BuildBadge(props: {
  readonly fact: SessionState['windowsBuild'];
  readonly busy: boolean;
  onDetect(): void;
}) {
  const f = props.fact;
  if (f.state === 'known' && f.build !== null)
    return (
      <span
        className="badge"
        data-testid="target-build"
        data-build={f.build}
        title={`How it was learned: ${f.detail ?? f.source ?? ''}`}
      >
        {f.release ?? 'Windows'} · build {f.build}
      </span>
    );
  if (f.state === 'detecting')
    return (
      <span className="badge" data-testid="target-build" data-build="" role="status">
        detecting the Windows build…
      </span>
    );
  return (
    <span className="badge warn" data-testid="target-build" data-build="" title={f.detail ?? ''}>
      Windows build unknown{' '}
      <button
        type="button"
        className="link"
        disabled={props.busy}
        onClick={props.onDetect}
        data-testid="detect-build-header"
        title="Apply a one-shot script event that reads KUSER_SHARED_DATA.NtBuildNumber"
      >
        detect
      </button>
    </span>
  );
}

function SessionBanners(props: {
  readonly busy: string | null;
  readonly actionError: { readonly action: string; readonly message: string } | null;
  readonly stateError: string | null;
  readonly sessionError: string | null;
  /** Why the session was lost (the session's words), when it was. */
  readonly lost: string | null;
  onReconnect(): void;
  readonly notices: readonly string[];
  readonly unicorn: boolean;
}) {
  const [dismissed, setDismissed] = useState<readonly string[]>([]);
  // The session's own error says the most; a failed call that only repeats it is not shown twice.
  const said = [props.sessionError, props.lost].filter((e): e is string => e !== null);
  const action =
    props.actionError !== null && !said.some((e) => e.includes(props.actionError?.message ?? ''))
      ? `${props.actionError.action} failed: ${props.actionError.message}`
      : null;
  const errors = [
    action,
    props.sessionError !== null ? withUnicornHint(props.sessionError) : null,
    props.stateError !== null
      ? `The session service is unavailable: ${withUnicornHint(props.stateError)}`
      : null,
  ].filter(
    (e, i, all): e is string => e !== null && all.indexOf(e) === i && !dismissed.includes(e),
  );
  const notices = props.notices.filter((n) => !dismissed.includes(n));
  if (errors.length === 0 && notices.length === 0 && props.lost === null && props.busy === null)
    return null;
  return (
    <div className="banners">
      {props.busy !== null && (
        <div className="banner info" role="status" data-testid="session-busy">
          {props.busy === 'connect' ? 'Connecting…' : `${props.busy}…`}
        </div>
      )}
      {props.lost !== null && (
        <div className="banner err" role="alert" data-testid="session-lost">
          <span>
            Connection lost: {withUnicornHint(props.lost)} Everything received so far is kept.
          </span>
          <button type="button" className="primary" onClick={props.onReconnect}>
            Reconnect
          </button>
        </div>
      )}
      {props.unicorn && (
        <div className="banner err" role="alert" data-testid="unicorn-missing">
          <strong>The built-in simulator cannot run on this machine:</strong>
          <span>it needs the Unicorn engine library. On Debian or Ubuntu:</span>
          <code className="command">sudo apt-get install libunicorn2</code>
          <span>then Restart. A real HyperDbg target works without it (Connect…).</span>
        </div>
      )}
      {errors.map((e) => (
        <div key={e} className="banner err" role="alert" data-testid="session-error">
          <span>{e}</span>
          <button
            type="button"
            className="icon"
            aria-label="Dismiss"
            onClick={() => {
              clearSessionError();
              setDismissed((d) => [...d, e]);
            }}
          >
            ×
          </button>
        </div>
      ))}
      {notices.map((n) => (
        <div key={n} className="banner warn" role="note" data-testid="session-notice">
          <span>{n}</span>
          <button
            type="button"
            className="icon"
            aria-label="Dismiss"
            onClick={() => setDismissed((d) => [...d, n])}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
