// Everything one simulated hyperdbg-cli session knows: its options, the CLI's flags (connected,
// modules loaded, paused, Debugger Mode), the user-mode event list, and the simulated debuggee
// (guest, kernel event lists, dispatcher, message transport, workload). Simulator side.
import { HyperDbgActionRunner } from '../emulator/hyperdbgActions';
import { ntSite } from '../emulator/kernelImage';
import { WindowsGuest } from '../emulator/windowsGuest';
import { EventDispatcher, type BugCheck, type HaltRequest } from '../engine/dispatcher';
import { EventKernel } from '../engine/kernelEvents';
import {
  MessageTransport,
  type ForwardOutcome,
  type KernelPacket,
  type Pacing,
} from '../engine/messageTransport';
import { OutputSources } from '../forwarding/outputSources';
import { SimStats } from '../engine/stats';
import { Workload } from '../engine/workload';
import { HELP_TEXTS } from '../protocol/helpTexts';
import { GlobalNames, ScriptPools } from '../script/pools';
import { SymbolState, type SymbolsMode } from '../symbols/symbolState';
import type { ConsoleOutput } from '../terminal/consoleOutput';
import { CommandLog } from './commandLog';
import { disassemblyLines } from './disassembly';

/** The hyperkd service when the CLI starts: none, left running, or stopped (after a reboot). */
export type DriverService = 'none' | 'running' | 'stopped';

export interface SimOptions {
  readonly seed: number;
  readonly cores: number;
  readonly rate: number | 'max';
  readonly pacing: Pacing;
  readonly conpty: boolean;
  /** --conpty-repaint: conhost's repaints on top of --conpty (terminal/repaintRenderer.ts). */
  readonly conptyRepaint: boolean;
  readonly stock: boolean;
  readonly osBuild: number;
  readonly statsFile: string | null;
  /** --fill-pipe: keep the VMI ring full of ready-made 4094-character packets (pipeFill.ts). */
  readonly fillPipe?: boolean;
  /** Instruction budget of one custom-code or condition run (runaway loops stop here). */
  readonly maxInstructions: number;
  /** `configured`: a symbol path with its PDBs downloaded; `none`: a fresh install's config. */
  readonly symbols: SymbolsMode;
  /** The hyperkd service this machine has when the CLI starts (spec §2.6). */
  readonly driverService: DriverService;
  /** Bytes/s of a Debugger-Mode named pipe; null = unlimited (--pipe-rate max). */
  readonly pipeRate?: number | null;
}

/** One row of the CLI's own event list (g_EventTrace): what `events` prints. */
export interface UserEvent {
  readonly id: number;
  /** Every token joined by single spaces, with a trailing space (spec §4). */
  readonly text: string;
  /** Output sources its messages are forwarded to (HasCustomOutput when not empty, spec §6.4). */
  readonly outputTags: readonly number[];
}

/** Where a Debugger-Mode link goes: a named pipe or a COM port. */
export interface DebuggerLink {
  readonly kind: 'namedpipe' | 'serial';
  readonly address: string;
  /** `.debug remote serial <baud>`: the port's speed in bits/s (8N1: baud / 10 bytes/s). */
  readonly baud?: number;
}

export class Session {
  readonly guest: WindowsGuest;
  readonly kernel = new EventKernel();
  readonly stats = new SimStats();
  /** g_OutputSources: what `output create` made (spec §6.4). */
  readonly outputs = new OutputSources();
  /** g_LogOpenFile: the `.logopen` copy of what ShowMessages prints (spec §7). */
  readonly log = new CommandLog();
  readonly transport: MessageTransport;
  readonly runner: HyperDbgActionRunner;
  readonly dispatcher: EventDispatcher;
  readonly workload: Workload;
  /** The CLI's symbol path, module table and loaded PDBs (symbol.cpp, symbol-parser.cpp). */
  readonly symbols: SymbolState;
  /** The CLI's GlobalIdTable: every script it compiles numbers its `.name` globals here. */
  readonly scriptNames = new GlobalNames();
  /**
   * The CLI's own (user-mode) script engine for `?`-style expressions: malloc'd globals and one
   * stack buffer in the CLI process, so outside guest memory.
   */
  readonly cliScriptPools = new ScriptPools(0x0000022d4a7c1a30n, [0x0000022d4a7c2a50n]);

  // ---- CLI flags (globals.h names in comments) ----
  /** g_IsCommandListInitialized: set by the first command; installs the Ctrl+C handler. */
  initialized = false;
  /** g_IsConnectedToHyperDbgLocally */
  connectedLocally = false;
  vmmLoaded = false;
  kdLoaded = false;
  traceLoaded = false;
  /**
   * The hyperkd service: it stays installed and running after `unload` (only `unload remove`
   * stops and deletes it); `--driver-service` says how the CLI finds it at start.
   */
  driverService: DriverService;
  autoUnpause = true;
  autoFlush = false;
  addressConversion = true;
  /**
   * g_DisassemblerSyntax (default intel): what `settings syntax` reports. The simulator's own
   * disassembly lines stay in Intel syntax whatever it says (docs/hyperdbg-v0.23.md §2.7).
   */
  disassemblerSyntax: 'intel' | 'at&t' | 'masm' = 'intel';
  /** g_ShouldPreviousCommandBeContinued */
  repeatOnEnter = false;

  // ---- events ----
  /** g_EventTrace, newest first (InsertHeadList); `events` walks it oldest first. */
  readonly events: UserEvent[] = [];
  /** g_EventTraceInitialized */
  eventTraceInitialized = false;
  /** g_EventTag - 0x1000000: the next ID to hand out (spec §3.1). */
  nextEventId = 0;

  // ---- Debugger Mode ----
  /** g_IsSerialConnectedToRemoteDebuggee */
  link: DebuggerLink | null = null;
  /** g_IsDebuggeeRunning */
  debuggeeRunning = false;
  /** g_CurrentRemoteCore: the core the last pause reported, shown in the prompt. */
  currentRemoteCore = 0;
  /** g_IgnorePauseRequests: Ctrl+C does nothing while the connection is being set up. */
  ignorePauseRequests = false;
  /** PsGetCurrentProcessId on the halted core: the only pid a halted debuggee's hooks accept. */
  haltedProcessId = 0;
  /** Pools `prealloc` reserved on the debuggee (instant events and their safe buffers, spec §11.1). */
  readonly preallocated = {
    regularEvents: 0,
    bigEvents: 0,
    regularSafeBuffers: 0,
    bigSafeBuffers: 0,
  };
  /** Events cleared in Debugger Mode are removed from the debuggee at the next continue. */
  readonly pendingClears = new Set<number>();
  private resumeMain: (() => void) | null = null;

  // ---- the machine's end (spec §5.6) ----
  /** Local VMI bug check: the machine running the CLI is gone, nothing is printed any more. */
  machineGone = false;
  /** Debugger-Mode bug check: the debuggee answers nothing any more (no packets, no pause). */
  debuggeeCrashed = false;
  /** Called once the local machine is gone, with the exit status the simulator ends with. */
  onMachineGone: ((status: number) => void) | null = null;

  constructor(
    readonly options: SimOptions,
    readonly out: ConsoleOutput,
  ) {
    this.driverService = options.driverService;
    this.guest = WindowsGuest.create({
      seed: options.seed,
      cores: options.cores,
      osBuild: options.osBuild,
    });
    this.transport = new MessageTransport({
      pacing: options.pacing,
      // The reader prints with ShowMessages("%s"), like every other CLI message.
      print: (t) => this.print(t),
      stats: this.stats,
      forward: (p) => this.forwardPacket(p),
      stalled: () => (this.outputs.congested ? this.outputs.drained() : null),
    });
    this.symbols = new SymbolState(options.symbols, options.osBuild, this.guest.hyperkdBase);
    this.runner = new HyperDbgActionRunner(this.guest, options.maxInstructions);
    this.dispatcher = new EventDispatcher({
      guest: this.guest,
      kernel: this.kernel,
      runner: this.runner,
      transport: this.transport,
      stats: this.stats,
      stock: options.stock,
      onBugCheck: (b) => this.bugChecked(b),
    });
    this.workload = new Workload({
      guest: this.guest,
      kernel: this.kernel,
      dispatcher: this.dispatcher,
      stats: this.stats,
      seed: options.seed,
      rate: options.rate,
      active: () => this.guestActive(),
      // Without v0.23's reader in between (fast pacing, Debugger Mode's link) a source that does
      // not read stalls the producing core itself (spec §6.2, §6.4).
      congested: () =>
        out.congested ||
        (this.link !== null && this.transport.link.congested) ||
        (this.sourcesStallCores() && this.outputs.congested),
      drained: async () => {
        await out.drained();
        // Debugger Mode: the core sending a packet waits until the link took it (spec §6.2).
        if (this.link !== null) await this.transport.link.drained();
        if (this.sourcesStallCores()) await this.outputs.drained();
      },
      onHalt: (h) => this.halt(h),
    });
  }

  /** ShowMessages: the console, and the `.logopen` file when one is open. */
  print(text: string): void {
    if (this.machineGone) return;
    this.out.write(text);
    this.log.save(text);
  }

  /** What `main` prints with printf (banner, "> ", the blank lines): the console only. */
  printf(text: string): void {
    if (this.machineGone) return;
    this.out.write(text);
  }

  private sourcesStallCores(): boolean {
    return this.options.pacing === 'fast' || this.link !== null;
  }

  /**
   * ForwardingCheckAndPerformEventForwarding (spec §6.4): an event-tagged packet of an event with
   * output sources goes to them, never to the console; when forwarding reports failure, the CLI
   * prints one error line instead of the message.
   */
  private forwardPacket(p: KernelPacket): ForwardOutcome {
    if (!this.outputs.initialized || p.eventId === null) return 'console';
    const ev = this.events.find((e) => e.id === p.eventId);
    if (ev === undefined || ev.outputTags.length === 0) return 'console';
    // The sink gets the bytes the console would have carried: the text, no NUL, nothing added.
    if (this.outputs.forward(ev.outputTags, Buffer.from(p.text, 'utf8'))) return 'forwarded';
    this.print('err, there was an error transferring the message to the remote sources\n');
    return 'failed';
  }

  /** HyperDbgShowSignature (spec §1.4). */
  promptText(): string {
    return this.link !== null
      ? `${this.currentRemoteCore.toString(16)}: kHyperDbg> `
      : 'HyperDbg> ';
  }

  /** "incorrect use of the '%s'\n\n" followed by the command's help text. */
  usage(commandToken: string, helpKey: string): void {
    this.print(`incorrect use of the '${commandToken}'\n\n`);
    this.help(helpKey);
  }

  help(helpKey: string): void {
    this.print(HELP_TEXTS[helpKey] ?? '');
  }

  /** g_BreakPrintingOutput: kernel messages are read and discarded (spec §2.7). */
  get paused(): boolean {
    return this.transport.paused;
  }

  set paused(v: boolean) {
    this.transport.paused = v;
  }

  /** The guest produces events: VMI with the vmm loaded, or a running Debugger-Mode debuggee. */
  guestActive(): boolean {
    if (this.machineGone || this.debuggeeCrashed) return false;
    if (this.link !== null) return this.debuggeeRunning && this.kernel.hasEnabled();
    return this.vmmLoaded && this.kernel.hasEnabled();
  }

  // ---- Debugger Mode: running and stopping the debuggee ----

  /** KdTheRemoteSystemIsRunning: prints the line and blocks the command until the debuggee stops. */
  async runDebuggee(): Promise<void> {
    for (const id of this.pendingClears) this.kernel.remove(id);
    this.pendingClears.clear();
    this.print('debuggee is running...\n');
    this.debuggeeRunning = true;
    this.transport.ignoreNewMessages = false;
    await new Promise<void>((resolve) => {
      this.resumeMain = resolve;
    });
  }

  /** Ctrl+C in Debugger Mode (KdBreakControlCheckAndPauseDebugger): core 0 stops in its idle loop. */
  pauseDebuggee(): void {
    // A crashed debuggee never answers the pause packet: the CLI waits for it forever (spec §5.6).
    if (!this.debuggeeRunning || this.debuggeeCrashed) return;
    this.stopInIdleLoop();
  }

  /** Core 0 halted in KiIdleLoop: its current process is then the idle process. */
  private stopInIdleLoop(): void {
    const core = this.guest.cores[0];
    this.stopDebuggee(0, ntSite('KiIdleLoop'), '', core?.idleThread.process.pid ?? 0);
  }

  /**
   * The machine bug-checked (spec §5.6). Local VMI: it is the machine running the CLI, so the CLI
   * ends mid-sentence; its exit status is the bug-check code, so a test or the app can name the
   * cause. Debugger Mode: the debuggee stops sending anything; the debugger, blocked in `g`,
   * waits for it forever, as a real one would (its waits have no timeout).
   */
  private bugChecked(b: BugCheck): void {
    const local = this.link === null;
    this.stats.bugcheck = {
      code: b.code,
      name: b.name,
      event: b.eventId.toString(16),
      action: b.action,
      address: b.address.toString(16),
      core: b.core,
      machine: local ? 'local' : 'debuggee',
    };
    this.workload.stop();
    // Debugger Mode: what the debuggee sent before the crash has crossed (its cores wait per
    // packet), so it reaches the debugger; nothing after it does.
    if (!local) this.transport.link.deliverAll();
    this.transport.close();
    if (local) {
      this.machineGone = true;
      this.onMachineGone?.(b.code);
    } else this.debuggeeCrashed = true;
  }

  /** A break action fired: "event 0x%x triggered (pre|post)" and the instruction (spec §2.7). */
  private halt(h: HaltRequest): void {
    if (this.link === null) return;
    const pid = this.guest.cores[h.core]?.current.process.pid ?? 0;
    this.stopDebuggee(
      h.core,
      h.rip,
      `event 0x${h.eventId.toString(16)} triggered (${h.stage})\n`,
      pid,
    );
  }

  private stopDebuggee(core: number, rip: bigint, reason: string, pid: number): void {
    this.debuggeeRunning = false;
    this.transport.ignoreNewMessages = true;
    this.currentRemoteCore = core;
    this.haltedProcessId = pid;
    this.print(reason + disassemblyLines(this.guest, rip, this.symbolNames()));
    const resume = this.resumeMain;
    this.resumeMain = null;
    resume?.();
  }

  /**
   * `.debug remote pause ...`: KdBreakControlCheckAndPauseDebugger waits (no timeout) until the
   * listener has printed the pause's disassembly, so the line comes before the prompt (spec §2.3).
   */
  async pauseAfterConnect(): Promise<void> {
    this.debuggeeRunning = true;
    await new Promise((r) => setTimeout(r, PAUSE_PACKET_DELAY_MS));
    // A Ctrl+C in the meantime already stopped it.
    if (this.debuggeeRunning) this.stopInIdleLoop();
  }

  /** How disassembly lines name addresses: off with `settings addressconversion off`. */
  private symbolNames(): (address: bigint) => string | null {
    return this.addressConversion ? (a) => this.symbols.describe(a) : () => null;
  }

  /** Releases a command blocked on the debuggee (used when the session ends). */
  releaseBlockedCommand(): void {
    const resume = this.resumeMain;
    this.resumeMain = null;
    resume?.();
  }
}

/** The pause packet's round trip over the link after `.debug remote pause` (ms). */
const PAUSE_PACKET_DELAY_MS = 20;
