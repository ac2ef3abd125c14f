// The last line of defence of a host process (web host, Electron main): an exception nothing
// caught is reported, what the host still holds in memory (the transcript's tail, records not yet
// in the session database) is written synchronously, and the process ends. Host side.

/** Exit status after a fatal error (sysexits' EX_SOFTWARE: an internal software error). */
export const FATAL_EXIT_CODE = 70;

export interface FatalHandlerOptions {
  /** Writes everything buffered, synchronously: nothing asynchronous runs after this. */
  readonly flushSync: () => void;
  /** Where the report goes (default: stderr, synchronously). */
  readonly report?: (text: string) => void;
  /** Ends the process (tests replace it). */
  readonly exit?: (code: number) => void;
}

/**
 * Installs `uncaughtException` and `unhandledRejection` handlers that flush and exit. The state
 * after such an error is unknown, so the process does not carry on; but what it received before
 * is kept. Returns a function that removes the handlers.
 */
export function installFatalHandlers(opts: FatalHandlerOptions): () => void {
  const report = opts.report ?? ((text: string) => process.stderr.write(text));
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let handling = false;
  const onFatal = (e: unknown, origin: string) => {
    if (handling) return;
    handling = true;
    report(`HyperDbg Studio: fatal error (${origin}): ${describe(e)}\n`);
    try {
      opts.flushSync();
    } catch (flushError) {
      report(`HyperDbg Studio: could not write everything back: ${describe(flushError)}\n`);
    }
    exit(FATAL_EXIT_CODE);
  };
  const onException = (e: unknown, origin: string) => onFatal(e, origin);
  const onRejection = (e: unknown) => onFatal(e, 'unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
}
