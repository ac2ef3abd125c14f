// Contract entries of the `session`, `events` and `terminal` domains: the debugger session
// (hyperdbg-cli or the simulator in a pty), the events registered in it, and the raw console.
// Pure.
import { z } from 'zod';
import { profileDraftSchema, type TargetCapability } from '../model/actionTarget';
import { eventBindingSchema, type EventBinding } from '../model/eventBinding';
import type { EventKind } from '../model/eventKinds';
import type { DebuggeeOs } from '../hyperdbg/debuggeeOs';
import { method, stream } from './define';

/**
 * Oldest Windows build the simulator's guest has structure offsets for (`sim --os-build`: the
 * emulator's layouts begin at 1809, 17763). A test holds this to what the simulator accepts.
 */
export const SIMULATOR_OLDEST_OS_BUILD = 17_763;

/**
 * The simulator's own options (`hyperdbg-studio sim --help`), for targets with no CLI path, with
 * the simulator's own bounds: a value it would refuse at start-up is refused here, on its field.
 */
export const simulatorOptionsSchema = z
  .object({
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    cores: z.number().int().min(1).max(64).optional(),
    /** Events per second the simulated system produces (`--rate`, 1 to 10,000,000). */
    rate: z.number().int().min(1).max(10_000_000).optional(),
    pacing: z.enum(['realistic', 'fast']).optional(),
    /** Play a stock v0.23 build: custom-code RAX ignored, records only from script actions. */
    stock: z.boolean().optional(),
    /** Windows build whose structure offsets the guest uses (ImageFileName +0x450 / +0x5a8). */
    osBuild: z.number().int().min(SIMULATOR_OLDEST_OS_BUILD).max(99999).optional(),
    /** `none`: a fresh install without a symbol path (nt! names and dt fail until .sympath). */
    symbols: z.enum(['configured', 'none']).optional(),
  })
  .strict();
export type SimulatorOptions = z.output<typeof simulatorOptionsSchema>;

export const connectInputSchema = z
  .object({
    /** How to reach the target; an empty cliPath means the built-in simulator. */
    profile: profileDraftSchema,
    /** The saved profile this came from, if any (shown in the header, remembered as last used). */
    profileId: z.string().max(64).optional(),
    simulator: simulatorOptionsSchema.optional(),
  })
  .strict();
export type ConnectInput = z.input<typeof connectInputSchema>;

/** Lifecycle of the session (the CLI process and its connection). */
export type SessionStatus =
  | 'disconnected' // no CLI process
  | 'starting' // process spawned, waiting for the banner and first prompt
  | 'connecting' // running the connect sequence (.connect local / load vmm / .debug remote ...)
  | 'ready' // connected; commands can be sent
  | 'lost' // the CLI died or stopped answering; everything received is kept
  | 'stopping';

/** What the prompt says the CLI is attached to (spec §1.4). */
export type SessionMode = 'none' | 'vmi' | 'debugger' | 'remote' | 'user';

/**
 * What hyperdbg-cli said about its symbol path (config.ini's SymbolServer): `unknown` until it
 * says anything (a configured install loads symbols silently), `missing` (module!name arguments
 * cannot resolve), `path-set` (set, but `.sym reload` has not loaded the PDBs since), `loaded`.
 */
export type SymbolState = 'unknown' | 'missing' | 'path-set' | 'loaded';

/** The target's Windows build as the session learned it. */
export interface WindowsBuildFact {
  /** `detecting`: the probe event runs; `failed`: it could not tell (see `detail`). */
  readonly state: 'unknown' | 'detecting' | 'known' | 'failed';
  readonly build: number | null;
  /** `debuggee`: Debugger Mode's `connected to debuggee ... (OS Build N)`; `probe`: a script read KUSER_SHARED_DATA.NtBuildNumber. */
  readonly source: 'debuggee' | 'probe' | null;
  /** The release as the table of known builds names it (`Windows 10 1909`), when it does. */
  readonly release: string | null;
  /** Why the build is not known, or how it was learned, in words. */
  readonly detail: string | null;
}

export const UNKNOWN_WINDOWS_BUILD: WindowsBuildFact = {
  state: 'unknown',
  build: null,
  source: null,
  release: null,
  detail: null,
};

export interface SessionCapability {
  /** Custom-code actions can return buffers as HDBG1 records (the simulator, a patched build). */
  readonly returnsBuffers: boolean;
  /** Stock v0.18-v0.23 probably puts custom code in NX memory (spec §5.6). */
  readonly customCodeMayFault: boolean;
  /** Where the answer came from: the banner (auto) or the profile's override. */
  readonly source: 'banner' | 'profile';
  readonly capability: Exclude<TargetCapability, 'auto'>;
}

/** How a forwarding sink reaches the app (docs/hyperdbg-v0.23.md §6.4). */
export type SinkTransport = 'tcp' | 'namedpipe';

/**
 * Where the records of the app's events travel. `forwarded`: an output sink the app listens on
 * (`output create` / `output open`, events bound with `output {sink}`), never the console.
 * `console`: the CLI's console, with the reason forwarding is not used. `pending`: forwarding is
 * set up when the CLI next reads input (a running Debugger-Mode debuggee: at the first event).
 */
export type RecordChannelState =
  | { readonly kind: 'none' }
  | { readonly kind: 'pending'; readonly reason: string }
  | {
      readonly kind: 'forwarded';
      readonly transport: SinkTransport;
      /** The output source's name in the CLI. */
      readonly sink: string;
      /** The address the CLI connected to (`127.0.0.1:port`, a pipe path). */
      readonly address: string;
    }
  | { readonly kind: 'console'; readonly reason: string };

export interface SessionState {
  readonly status: SessionStatus;
  /** A short label of the target, e.g. `Simulator (seed 1)` or `COM2 @ 115200`. */
  readonly targetLabel: string | null;
  readonly isSimulator: boolean;
  readonly profileId: string | null;
  readonly mode: SessionMode;
  /** Debugger Mode: is the debuggee running (the CLI is blocked in `g`) or halted. */
  readonly debuggee: 'running' | 'paused' | 'unknown';
  /** Debugger Mode: the core the prompt shows. */
  readonly currentCore: number | null;
  readonly vmmLoaded: boolean;
  /** VMI mode: HyperDbg's `pause` makes it discard records (spec §2.7); offered as mute. */
  readonly muted: boolean;
  readonly banner: { readonly version: string; readonly build: string } | null;
  /** Debugger Mode: the debuggee's Windows, as `connected to debuggee` named it. */
  readonly debuggeeOs: DebuggeeOs | null;
  /** The target's Windows build: from the debuggee's connect line, or the build probe. */
  readonly windowsBuild: WindowsBuildFact;
  /** Whether symbolic addresses (`nt!NtCreateFile`) can resolve. */
  readonly symbols: SymbolState;
  readonly capability: SessionCapability | null;
  /** Notices the user should see while this session lasts (capability warnings, preflight). */
  readonly notices: readonly string[];
  /** Why the last start, connect or command failed, in words. */
  readonly error: string | null;
  /** How the CLI process ended, when it did. */
  readonly exit: {
    readonly code: number | null;
    readonly signal: number | null;
    readonly at: number;
  } | null;
  /** Commands waiting in the queue (one runs at a time). */
  readonly queued: number;
  /** Where the app's records travel: a forwarding sink, or the console (and why). */
  readonly records: RecordChannelState;
  /** Monotonic id of the CLI process (a restart gives a new one). */
  readonly generation: number;
}

/** One command's answer: everything the CLI printed for it, delimited by the sync marker. */
export interface CommandResult {
  readonly command: string;
  /** Output lines in order (records and prompts excluded: those go to the log and the state). */
  readonly lines: readonly string[];
  /** Recognised error messages among them (stable codes from the message table). */
  readonly errors: readonly { readonly code: string; readonly text: string }[];
  readonly durationMs: number;
}

/** Where an event came from when the app created it. */
export interface EventSource {
  readonly actionIds: readonly string[];
  readonly actionNames: readonly string[];
  /** Hash of each action's bytes at the time (provenance: which version produced records). */
  readonly versionHashes: readonly string[];
}

export type EventLifecycle =
  | 'active' // enabled, listed by `events`
  | 'disabled'
  | 'clear-pending' // Debugger Mode: cleared, removed after the debuggee continues (docs/hyperdbg-v0.23.md §4)
  | 'cleared';

export interface EventInfo {
  /** Hex, as `events` lists it. */
  readonly id: string;
  readonly kind: EventKind | null;
  readonly state: EventLifecycle;
  /** The full command line that created it (ours), or the listing text for foreign events. */
  readonly command: string;
  /** The text as the CLI's `events` listing shows it (cut at 70 characters, spec §4). */
  readonly listed: string | null;
  readonly binding: EventBinding | null;
  readonly source: EventSource | null;
  /** Created outside the app (typed in the console): known only from the listing. */
  readonly foreign: boolean;
  /** The event can produce records (a code action on a buffer-returning target, or a script). */
  readonly printsRecords: boolean;
  readonly createdAt: number | null;
}

const idOrAll = z.union([
  z.literal('all'),
  z.string().regex(/^[0-9a-fA-F]{1,8}$/, 'a hex event id'),
]);

export const sessionMethods = {
  /** The current session state. */
  'session:get-state': method<SessionState>()('The current session state.', z.object({}).strict()),
  /** Starts the target's CLI (or the simulator) in a pty and runs its connect sequence. */
  'session:connect': method<SessionState>()(
    'Starts the CLI (or the simulator) and connects.',
    connectInputSchema,
  ),
  /** Ends the session: `exit` to the CLI (which unloads what it loaded), then kills if needed. */
  'session:disconnect': method<SessionState>()('Ends the session.', z.object({}).strict()),
  /** Starts the last target again after a crash or a disconnect; records so far stay. */
  'session:restart': method<SessionState>()('Restarts the last target.', z.object({}).strict()),
  /**
   * Sends one command through the queue. It must be a single checked line: no newline, never
   * blank, no unbalanced brace or quote (the CLI would wait for more lines, spec §1.3).
   */
  'session:command': method<CommandResult>()(
    'Sends one checked command line and returns its output.',
    z
      .object({
        line: z.string().min(1).max(60_000),
        /** Milliseconds before the command is reported as timed out (the CLI keeps running). */
        timeoutMs: z.number().int().min(100).max(600_000).optional(),
        /**
         * The user confirmed an event command with custom or condition code on a target that
         * probably runs it from non-executable memory (docs/hyperdbg-v0.23.md §5.6).
         */
        acceptNxCrash: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Ctrl+C to the CLI (Debugger Mode: pauses the debuggee, spec §2.7). */
  'session:interrupt': method<SessionState>()('Sends Ctrl+C.', z.object({}).strict()),
  /** Debugger Mode: halt the debuggee (Ctrl+C) / let it run (`g`). */
  'session:pause': method<SessionState>()(
    'Pauses the debuggee (Debugger Mode).',
    z.object({}).strict(),
  ),
  'session:continue': method<SessionState>()(
    'Continues the debuggee (Debugger Mode).',
    z.object({}).strict(),
  ),
  /**
   * Detects the target's Windows build now (VMI mode does at connect): a one-shot script event
   * prints KUSER_SHARED_DATA.NtBuildNumber and is cleared (Debugger Mode: pause, apply, continue).
   */
  'session:detect-build': method<SessionState>()(
    "Detects the target's Windows build with a one-shot script event.",
    z.object({}).strict(),
  ),
  /** VMI mode: `pause` (records are discarded by HyperDbg while muted) or `g` (spec §2.7). */
  'session:mute': method<SessionState>()(
    'Mutes or unmutes kernel messages (VMI mode; HyperDbg discards them while muted).',
    z.object({ muted: z.boolean() }).strict(),
  ),

  /** The session's events, oldest first. */
  'events:list': method<EventInfo[]>()('The events of the session.', z.object({}).strict()),
  /** Re-reads the CLI's `events` listing and reconciles the registry with it. */
  'events:refresh': method<EventInfo[]>()(
    "Re-reads the CLI's events listing.",
    z.object({}).strict(),
  ),
  /** The exact command line a binding becomes, or the field that is wrong. */
  'events:preview': method<{ readonly command: string; readonly listed: string }>()(
    'Builds the command line for a binding without sending it.',
    z.object({ binding: eventBindingSchema }).strict(),
  ),
  /**
   * Registers a binding as a new event. In Debugger Mode while the debuggee runs this is pause,
   * apply, continue as one action (spec §1.8, §2.7). Errors name the binding field or carry the
   * CLI's message. A binding with custom or condition code on a target whose custom code may
   * fault (stock v0.18-v0.23, spec §5.6) is refused with `needs-confirmation` unless
   * `acceptNxCrash` is true. While records are forwarded, the event gets the app's sink.
   */
  'events:apply': method<EventInfo>()(
    'Registers a binding as a new event.',
    z
      .object({
        binding: eventBindingSchema,
        source: z
          .object({
            actionIds: z.array(z.string().max(64)).max(3),
            actionNames: z.array(z.string().max(200)).max(3),
            versionHashes: z.array(z.string().max(128)).max(3),
          })
          .strict()
          .optional(),
        /** The user confirmed the NX crash risk the refusal explained. */
        acceptNxCrash: z.boolean().optional(),
      })
      .strict(),
  ),
  /** `events e|d|c <id|all>` (spec §4). */
  'events:set-state': method<EventInfo[]>()(
    'Enables, disables or clears an event (or all).',
    z.object({ id: idOrAll, op: z.enum(['enable', 'disable', 'clear']) }).strict(),
  ),

  /** The console's recent raw output, for a console that opens late or reconnects. */
  'terminal:snapshot': method<TerminalSnapshot>()(
    'Recent raw CLI output (bounded).',
    z.object({}).strict(),
  ),
  /**
   * Record lines (HDBG1) in the console, or kept out of it (the default: the live log has them).
   * A console asks for a new snapshot after changing it.
   */
  'terminal:show-records': method<{ readonly showRecords: boolean }>()(
    'Shows or hides record lines in the console.',
    z.object({ show: z.boolean() }).strict(),
  ),
  /** The console rendered this many characters: flow control (architecture §3). */
  'terminal:ack': method<null>()(
    'Acknowledges rendered terminal characters.',
    z.object({ chars: z.number().int().min(0).max(100_000_000) }).strict(),
  ),
} as const;

/** One batch of console output (`terminal:data`). */
export interface TerminalChunk {
  readonly data: string;
  /** Characters sent so far, this chunk included. */
  readonly seq: number;
  /** Record lines kept out of the console so far (an empty chunk can carry just this). */
  readonly hiddenRecords: number;
  readonly showRecords: boolean;
}

export interface TerminalSnapshot {
  readonly data: string;
  readonly seq: number;
  /** Earlier output no longer kept for consoles (the transcript has it). */
  readonly droppedChars: number;
  readonly hiddenRecords: number;
  readonly showRecords: boolean;
}

export const sessionStreams = {
  'session:state': stream<SessionState>('Session state, on every change.'),
  'events:changed': stream<EventInfo[]>('The event list, on every change.'),
  /**
   * Raw CLI output for the console, batched (~16 ms / 64 KB). `seq` counts characters sent, so
   * a console can tell whether it missed any (then it asks for a snapshot).
   */
  'terminal:data': stream<TerminalChunk>('Raw CLI output for the console.'),
} as const;
