// Everything one simulated hyperdbg-cli session knows: its options, the CLI's flags (connected,
// modules loaded, paused, Debugger Mode), the user-mode event list, and the simulated debuggee
// (guest, kernel event lists, dispatcher, message transport, workload). Simulator side.
import { HyperDbgActionRunner } from '../emulator/hyperdbgActions';
import { ntSite } from '../emulator/kernelImage';
import { WindowsGuest } from '../emulator/windowsGuest';
import { EventDispatcher, type HaltRequest } from '../engine/dispatcher';
import { EventKernel } from '../engine/kernelEvents';
import { MessageTransport, type Pacing } from '../engine/messageTransport';
import { SimStats } from '../engine/stats';
import { Workload } from '../engine/workload';
import { HELP_TEXTS } from '../protocol/helpTexts';
import { GlobalNames, ScriptPools } from '../script/pools';
import { SymbolState, type SymbolsMode } from '../symbols/symbolState';
import type { ConsoleOutput } from '../terminal/consoleOutput';
import { disassemblyLines } from './disassembly';

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
  /** Instruction budget of one custom-code or condition run (runaway loops stop here). */
  readonly maxInstructions: number;
  /** `configured`: a symbol path with its PDBs downloaded; `none`: a fresh install's config. */
  readonly symbols: SymbolsMode;
}

/** One row of the CLI's own event list (g_EventTrace): what `events` prints. */
export interface UserEvent {
  readonly id: number;
  /** Every token joined by single spaces, with a trailing space (spec §4). */
  readonly text: string;
}

/** Where a Debugger-Mode link goes: a named pipe or a COM port. */
export interface DebuggerLink {
  readonly kind: 'namedpipe' | 'serial';
  readonly address: string;
}

export class Session {
  readonly guest: WindowsGuest;
  readonly kernel = new EventKernel();
  readonly stats = new SimStats();
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
  /** The hyperkd service stays installed after `unload` (only `unload remove` deletes it). */
  serviceInstalled = false;
  autoUnpause = true;
  autoFlush = false;
  addressConversion = true;
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

  constructor(
    readonly options: SimOptions,
    readonly out: ConsoleOutput,
  ) {
    this.guest = WindowsGuest.create({
      seed: options.seed,
      cores: options.cores,
      osBuild: options.osBuild,
    });
    this.transport = new MessageTransport({
      pacing: options.pacing,
      print: (t) => out.write(t),
      stats: this.stats,
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
    });
    this.workload = new Workload({
      guest: this.guest,
      kernel: this.kernel,
      dispatcher: this.dispatcher,
      stats: this.stats,
      seed: options.seed,
      rate: options.rate,
      active: () => this.guestActive(),
      congested: () => out.congested,
      drained: () => out.drained(),
      onHalt: (h) => this.halt(h),
    });
  }

  print(text: string): void {
    this.out.write(text);
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
    if (!this.debuggeeRunning) return;
    this.stopDebuggee(0, ntSite('KiIdleLoop'), '');
  }

  /** A break action fired: "event 0x%x triggered (pre|post)" and the instruction (spec §2.7). */
  private halt(h: HaltRequest): void {
    if (this.link === null) return;
    this.stopDebuggee(h.core, h.rip, `event 0x${h.eventId.toString(16)} triggered (${h.stage})\n`);
  }

  private stopDebuggee(core: number, rip: bigint, reason: string): void {
    this.debuggeeRunning = false;
    this.transport.ignoreNewMessages = true;
    this.currentRemoteCore = core;
    this.print(reason + disassemblyLines(this.guest, rip, this.symbolNames()));
    const resume = this.resumeMain;
    this.resumeMain = null;
    resume?.();
  }

  /** The pause that `.debug remote pause ...` requests: its line may come after the prompt. */
  pauseAfterConnect(): void {
    this.debuggeeRunning = false;
    this.transport.ignoreNewMessages = true;
    setTimeout(
      () => this.print(disassemblyLines(this.guest, ntSite('KiIdleLoop'), this.symbolNames())),
      PAUSE_PACKET_DELAY_MS,
    );
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
