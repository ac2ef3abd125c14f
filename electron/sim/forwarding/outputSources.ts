// The CLI's list of output sources (g_OutputSources in output.cpp and forwarding.cpp; spec §6.4):
// names, types, states and unique tags, the `output` listing, and forwarding one message to an
// event's sources with v0.23's odd result rule. Simulator side; the I/O is in sinkConnections.ts.
import type { SinkConnection } from './sinkConnections';

export type OutputSourceType = 'namedpipe' | 'file' | 'tcp' | 'module';
export type OutputSourceState = 'not opened' | 'opened' | 'closed';

/** MAXIMUM_CHARACTERS_FOR_EVENT_FORWARDING_NAME (forwarding.h): names must be shorter. */
export const MAX_OUTPUT_NAME_CHARS = 50;
/** DebuggerOutputSourceMaximumRemoteSourceForSingleEvent (Constants.h). */
export const MAX_OUTPUT_SOURCES_PER_EVENT = 5;
/** DebuggerOutputSourceTagStartSeed (Constants.h): the first source's tag. */
const FIRST_OUTPUT_TAG = 1;

/** The listing pads type and state to fixed widths (output.cpp). */
const TYPE_TEXT: Record<OutputSourceType, string> = {
  namedpipe: 'namedpipe',
  file: 'file     ',
  tcp: 'tcp      ',
  module: 'module   ',
};
const STATE_TEXT: Record<OutputSourceState, string> = {
  'not opened': 'not opened',
  opened: 'opened    ',
  closed: 'closed    ',
};

export interface OutputSource {
  readonly name: string;
  readonly type: OutputSourceType;
  state: OutputSourceState;
  readonly tag: number;
  readonly connection: SinkConnection;
}

export type OpenCloseStatus =
  'done' | 'already opened' | 'already closed' | 'not found' | 'unknown error';

export class OutputSources {
  /** g_OutputSourcesInitialized: set by the first successful create, never cleared. */
  initialized = false;
  /** Newest first (InsertHeadList); the listing walks it oldest first. */
  private readonly list: OutputSource[] = [];
  private nextTag = FIRST_OUTPUT_TAG;

  /** The source of that exact name (strcmp: case-sensitive). */
  find(name: string): OutputSource | undefined {
    return this.list.find((s) => s.name === name);
  }

  add(name: string, type: OutputSourceType, connection: SinkConnection): OutputSource {
    const source: OutputSource = {
      name,
      type,
      state: 'not opened',
      tag: this.nextTag++,
      connection,
    };
    this.list.unshift(source);
    this.initialized = true;
    return source;
  }

  /** `output` with no argument: "%x  %s   %s\t%s\n" per source, oldest first, from 1. */
  listing(): string {
    if (!this.initialized) return 'output forwarding list is empty\n';
    return [...this.list]
      .reverse()
      .map(
        (s, i) =>
          `${(i + 1).toString(16)}  ${TYPE_TEXT[s.type]}   ${STATE_TEXT[s.state]}\t${s.name}\n`,
      )
      .join('');
  }

  /** ForwardingOpenOutputSource: only a source that was never opened can be. */
  open(name: string): OpenCloseStatus {
    const s = this.find(name);
    if (s === undefined) return 'not found';
    if (s.state === 'closed') return 'already closed';
    if (s.state === 'opened') return 'already opened';
    s.state = 'opened';
    return 'done';
  }

  /** ForwardingCloseOutputSource: a source that was never opened cannot be closed. */
  close(name: string): OpenCloseStatus {
    const s = this.find(name);
    if (s === undefined) return 'not found';
    if (s.state === 'closed') return 'already closed';
    if (s.state !== 'opened') return 'unknown error';
    s.state = 'closed';
    s.connection.close();
    return 'done';
  }

  /**
   * ForwardingPerformEventForwarding: writes the message to each opened source of the event's
   * tags in order. Its result is the last opened source's write result, FALSE when none is
   * opened, and always FALSE when all five slots are used (the loop then ends in `return FALSE`).
   */
  forward(tags: readonly number[], bytes: Buffer): boolean {
    let result = false;
    for (let i = 0; i < MAX_OUTPUT_SOURCES_PER_EVENT; i++) {
      const tag = tags[i];
      if (tag === undefined) return result;
      const s = this.list.find((x) => x.tag === tag);
      if (s?.state === 'opened') result = s.connection.write(bytes);
    }
    return false;
  }

  /** Some opened source's peer is not reading: the CLI's next write would block. */
  get congested(): boolean {
    return this.list.some((s) => s.state === 'opened' && s.connection.congested);
  }

  async drained(): Promise<void> {
    await Promise.all(this.list.map((s) => s.connection.drained()));
  }

  /** The process ends: every handle goes with it. */
  closeAll(): void {
    for (const s of this.list) s.connection.close();
  }
}
