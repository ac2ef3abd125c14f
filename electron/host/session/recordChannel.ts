// The app's record channel (docs/hyperdbg-v0.23.md §6.4): where the target supports it (local
// VMI, Debugger Mode) the app listens, has the CLI create and open an output sink connected to it,
// and binds its events with `output {sink}`, so records never pass through the console. The sink's
// unframed bytes go through the same output parser and RecordForwarder as console output. A sink
// that cannot be set up leaves the console channel, saying why; one that breaks is replaced for
// new events. Host side.
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { RecordChannelState, SinkTransport } from '../../../shared/contract/session';
import type { ParserItem } from '../../../shared/hyperdbg/items';
import { createOutputParser, type OutputParser } from '../../../shared/hyperdbg/outputParser';
import { routeToSink, type RoutedBinding } from '../../../shared/hyperdbg/sinkRouting';
import type { EventBinding } from '../../../shared/model/eventBinding';
import type { CliFacts } from './cliFacts';
import type { CommandOutcome, CommandRequest } from './commandQueue';
import type { RecordForwarder } from './recordForwarder';
import type { ListenForSink, SinkListener } from './sinkListener';
import type { Transcript } from './transcript';

/**
 * A sink that closes while the CLI process is ending is no break: how long to wait for the
 * process's end to be seen before calling it one (ms). The two arrive through different pipes.
 */
export const SINK_CLOSE_GRACE_MS = 500;
/** At the CLI's end, how long to keep reading what the sink still holds (ms). */
export const SINK_DRAIN_MS = 1_000;
/**
 * Sinks re-created for one CLI process before the app stays on the console: a CLI that breaks
 * every sink would otherwise loop.
 */
export const MAX_SINK_RECREATIONS = 3;
/** Random bytes in a sink's name: 8 hex digits keep `events` rows readable (70-character cut). */
const SINK_NAME_RANDOM_BYTES = 4;

/** What the channel reads of the CLI process it serves. */
export interface ChannelRun {
  readonly generation: number;
  readonly forwarder: RecordForwarder;
}

/** What the channel needs from the session; `R` is its running-CLI handle. */
export interface ChannelPort<R extends ChannelRun> {
  /** `auto` forwards where the target supports it; `console` never does. */
  readonly preference: 'auto' | 'console';
  readonly transport: SinkTransport;
  readonly listen: ListenForSink;
  /** How long the CLI's connection may take after `output create` (SessionTimeouts). */
  readonly connectMs: number;
  send(run: R, req: CommandRequest): Promise<CommandOutcome>;
  facts(): CliFacts;
  /** The CLI reads input now (a running Debugger-Mode debuggee: it does not). */
  canSend(): boolean;
  /** `run` is still the session's current CLI process and has not ended. */
  alive(run: R): boolean;
  /** One compound operation at a time (the session's chain). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** A transcript file beside the run's own, for the sink's raw bytes (null: none written). */
  openTranscript(run: R, label: string): Transcript | null;
  /** Text the sink carried that is no record: shown in the console, as the CLI would have. */
  consoleText(text: string): void;
  /** IDs of the session's events bound to this sink. */
  eventsOn(sink: string): readonly string[];
  addNotice(text: string): void;
  /** Publishes the session state (coalesced). */
  changed(): void;
}

/** A sink that is set up: the CLI's output source and the app's end of its connection. */
interface LiveSink {
  readonly name: string;
  readonly transport: SinkTransport;
  readonly address: string;
  readonly socket: Socket;
  readonly parser: OutputParser;
  readonly transcript: Transcript | null;
  /** The app ended it (the CLI is ending): its close is no break. */
  closing: boolean;
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
}

const SECTION = 'docs/hyperdbg-v0.23.md §6.4';

/**
 * The messages that mean `output create` failed (output.cpp, forwarding.cpp, tcpclient.cpp,
 * namedpipe.cpp; spec §6.4), or that the CLI has no `output` at all. Other error lines in its
 * answer are asynchronous (another sink's failures while events run, spec §13) and say nothing
 * about it; a failure not listed here still shows as the CLI never connecting.
 */
const CREATE_FAILURES: ReadonlySet<string> = new Set([
  'unknown-command',
  'incorrect-use',
  'output-incorrect-option',
  'output-incorrect-type',
  'output-name-too-long',
  'output-name-exists',
  'output-invalid-address',
  'connect-failed',
  'getaddrinfo-failed',
  'namedpipe-connect-failed',
  'output-module-load-failed',
  'output-module-function-missing',
]);
/** The messages that mean `output open` failed (ForwardingOpenOutputSource). */
const OPEN_FAILURES: ReadonlySet<string> = new Set([
  'unknown-command',
  'incorrect-use',
  'output-name-not-found',
  'output-already-opened',
  'output-already-closed',
  'output-open-failed',
]);

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The lines among a command's answer that say it failed, or null when none does. */
function refusal(outcome: CommandOutcome, failures: ReadonlySet<string>): string | null {
  const said = outcome.result.errors.filter((e) => failures.has(e.code)).map((e) => e.text);
  return said.length > 0 ? said.join(' / ') : null;
}

export class RecordChannel<R extends ChannelRun> {
  private run: R | null = null;
  private live: LiveSink | null = null;
  private channel: RecordChannelState = { kind: 'none' };
  /** Sink names this CLI process created for the app: stale ones are dropped from bindings. */
  private readonly ownSinks = new Set<string>();
  private recreations = 0;

  constructor(private readonly port: ChannelPort<R>) {}

  get state(): RecordChannelState {
    return this.channel;
  }

  /** A new CLI process: nothing is set up until it is connected. */
  begin(run: R): void {
    this.run = run;
    this.live = null;
    this.ownSinks.clear();
    this.recreations = 0;
    this.set({ kind: 'pending', reason: 'the CLI is connecting' });
  }

  /**
   * The CLI is connected: decides the channel and, when the target supports forwarding and the
   * CLI reads input, sets the sink up. Never throws: a failure leaves the console channel.
   * Called before the session takes commands, so nothing else talks to the CLI meanwhile.
   */
  async open(run: R): Promise<void> {
    if (run !== this.run) return;
    const unsupported = this.unsupported();
    if (unsupported !== null) {
      this.set({ kind: 'console', reason: unsupported });
      return;
    }
    if (!this.port.canSend()) {
      this.set({
        kind: 'pending',
        reason:
          'the debuggee is running and hyperdbg-cli reads no input: the sink is set up with the first event',
      });
      return;
    }
    await this.setUp(run);
  }

  /**
   * Sets up a sink that is still pending (Debugger Mode: the first event, with the debuggee
   * halted; after a break: the next event). The caller holds the exclusive chain.
   */
  async ensure(run: R): Promise<void> {
    if (run !== this.run || this.channel.kind !== 'pending' || !this.port.canSend()) return;
    if (!this.port.alive(run)) return;
    await this.setUp(run);
  }

  /** The binding as the app sends it: with the app's sink while records are forwarded. */
  route(binding: EventBinding): RoutedBinding {
    const sink = this.channel.kind === 'forwarded' && this.live !== null ? this.live.name : null;
    return routeToSink(binding, sink, (n) => this.ownSinks.has(n));
  }

  /**
   * The CLI process is ending: reads what the sink still holds (the CLI's end closes its side),
   * hands it to the forwarder and closes everything. Resolves within SINK_DRAIN_MS.
   */
  async end(run: R): Promise<void> {
    if (run !== this.run) return;
    const live = this.live;
    this.live = null;
    this.run = null;
    this.set({ kind: 'none' });
    if (live === null) return;
    live.closing = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      live.closed,
      new Promise<void>((r) => {
        timer = setTimeout(r, SINK_DRAIN_MS);
      }),
    ]);
    clearTimeout(timer);
    live.socket.destroy();
    this.deliver(run, live, live.parser.end());
    await live.transcript?.close();
  }

  // ---------------------------------------------------------------- set-up

  /** Why this target keeps the console channel, or null when it can forward. */
  private unsupported(): string | null {
    if (this.port.preference === 'console') return 'the console channel was chosen';
    const f = this.port.facts();
    if (f.mode === 'remote')
      return `remote VMI over TCP (.connect ip port): output sinks would be created on the remote machine (${SECTION})`;
    if (f.mode === 'debugger') return null;
    if (f.mode === 'vmi' && f.connectedLocally) return null;
    return 'not connected to a local VMI or Debugger-Mode target';
  }

  private set(state: RecordChannelState): void {
    this.channel = state;
    this.port.changed();
  }

  private fallBack(run: R, reason: string): void {
    if (run !== this.run) return;
    this.set({ kind: 'console', reason });
    this.port.addNotice(`Records come through the console: ${reason}.`);
  }

  /** Listen, `output create`, the CLI's connection, `output open`; or the console and why. */
  private async setUp(run: R): Promise<void> {
    const port = this.port;
    let listener: SinkListener;
    try {
      listener = await port.listen(port.transport);
    } catch (e) {
      this.fallBack(run, `the app could not listen for forwarded records (${message(e)})`);
      return;
    }
    // Matches APP_SINK_NAME_RE (sinkRouting.ts).
    const name = `hds_${randomBytes(SINK_NAME_RANDOM_BYTES).toString('hex')}`;
    const connection = listener.accept(port.connectMs);
    // Settled below in every path; this keeps a rejection nobody awaits yet from being reported.
    connection.catch(() => undefined);
    const create = `output create ${name} ${listener.transport} ${listener.address}`;
    let outcome: CommandOutcome;
    try {
      outcome = await port.send(run, { line: create });
    } catch (e) {
      listener.close();
      this.fallBack(run, `'${create}' failed (${message(e)})`);
      return;
    }
    const createRefused = refusal(outcome, CREATE_FAILURES);
    if (createRefused !== null) {
      listener.close();
      this.fallBack(run, `hyperdbg-cli refused '${create}': ${createRefused}`);
      return;
    }
    this.ownSinks.add(name);
    let socket: Socket;
    try {
      socket = await connection;
    } catch (e) {
      this.fallBack(run, `${message(e)} after '${create}'`);
      return;
    }
    const live = this.attach(
      run,
      { name, transport: listener.transport, address: listener.address },
      socket,
    );
    try {
      outcome = await port.send(run, { line: `output open ${name}` });
    } catch (e) {
      live.closing = true;
      socket.destroy();
      this.fallBack(run, `'output open ${name}' failed (${message(e)})`);
      return;
    }
    const openRefused = refusal(outcome, OPEN_FAILURES);
    if (openRefused !== null) {
      live.closing = true;
      socket.destroy();
      this.fallBack(run, `hyperdbg-cli refused 'output open ${name}': ${openRefused}`);
      return;
    }
    if (run !== this.run || !port.alive(run)) {
      live.closing = true;
      socket.destroy();
      return;
    }
    if (socket.destroyed) {
      this.fallBack(
        run,
        `the CLI's connection to ${live.address} closed while the sink was set up`,
      );
      return;
    }
    this.live = live;
    this.set({ kind: 'forwarded', transport: live.transport, sink: name, address: live.address });
  }

  /** Wires the CLI's connection: bytes to the transcript and the parser, its close watched. */
  private attach(
    run: R,
    sink: { readonly name: string; readonly transport: SinkTransport; readonly address: string },
    socket: Socket,
  ): LiveSink {
    let closedResolve: () => void = () => undefined;
    const live: LiveSink = {
      ...sink,
      socket,
      // No wrap width: a sink carries the printf text exactly, no console in between.
      parser: createOutputParser(),
      transcript: this.port.openTranscript(run, `sink-${sink.name}`),
      closing: false,
      closed: new Promise<void>((r) => (closedResolve = r)),
    };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      live.transcript?.write(chunk);
      this.deliver(run, live, live.parser.push(chunk));
    });
    // The socket's own error is followed by 'close'; what matters is that it ended.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closedResolve();
      if (!live.closing) this.sinkClosed(run, live);
    });
    return live;
  }

  /** The sink's items: records and malformed record lines to the log, other text to the console. */
  private deliver(run: R, live: LiveSink, items: readonly ParserItem[]): void {
    if (items.length === 0) return;
    const now = Date.now();
    for (const item of items) {
      if (item.type === 'record') run.forwarder.record(item, now);
      else if (item.type === 'text' && item.malformed === true)
        run.forwarder.malformed(item.text, item.reason ?? 'not a valid HDBG1 record', now);
      else if (item.type === 'text' && run.forwarder.text(item.text, now)) continue;
      else if ('text' in item && item.text.trim().length > 0)
        this.port.consoleText(`[${live.name}] ${item.text}\r\n`);
    }
  }

  // ---------------------------------------------------------------- breaks

  /**
   * The CLI's side of the sink went away while the app still used it. When the CLI process
   * lives on, the source stays "opened" in it and every later message of its events is lost with
   * an error line (v0.23, spec §6.4): say so, and give new events a fresh sink.
   */
  private sinkClosed(run: R, live: LiveSink): void {
    this.deliver(run, live, live.parser.end());
    void live.transcript?.close();
    setTimeout(() => {
      if (this.live !== live) return;
      this.live = null;
      if (!this.port.alive(run)) return;
      const events = this.port.eventsOn(live.name);
      this.port.addNotice(
        `The forwarding sink ${live.name} broke while hyperdbg-cli kept running: HyperDbg keeps it "opened" and prints an error line instead of every later message (${SECTION}), so the records of ${events.length > 0 ? `event${events.length > 1 ? 's' : ''} ${events.join(', ')}` : 'its events'} are lost from now on. Clear ${events.length > 1 ? 'them' : 'it'} and apply again to record through the new sink.`,
      );
      if (this.recreations >= MAX_SINK_RECREATIONS) {
        this.fallBack(
          run,
          `${MAX_SINK_RECREATIONS} forwarding sinks broke in this session, so the app stopped re-creating them`,
        );
        return;
      }
      this.recreations++;
      this.set({
        kind: 'pending',
        reason: `the sink ${live.name} broke: a new one is being set up`,
      });
      void this.port
        .exclusive(async () => {
          await this.ensure(run);
          if (this.channel.kind === 'forwarded' && this.channel.sink !== live.name)
            this.port.addNotice(
              `New events send their records through the new sink ${this.channel.sink}.`,
            );
        })
        .catch((e: unknown) =>
          this.fallBack(run, `the sink could not be re-created (${message(e)})`),
        );
    }, SINK_CLOSE_GRACE_MS);
  }
}
