// The script engine's fixed limits in v0.23 (include/SDK/headers/Constants.h,
// script-engine/header/globals.h, script-eval/code/Functions.c, hyperlog/code/Logging.c) and the
// kernel-log messages that report them at run time. Simulator side; pure data.

/** MAX_EXECUTION_COUNT: operations one run may execute before the kernel gives up. */
export const MAX_EXECUTION_COUNT = 1_000_000;
/** MAX_STACK_BUFFER_COUNT: 64-bit slots of a core's stack buffer (temporaries, locals, frames). */
export const MAX_STACK_BUFFER_COUNT = 256;
/** MAX_VAR_COUNT: 64-bit slots of g_ScriptGlobalVariables, one per `.name`, for the whole system. */
export const MAX_VAR_COUNT = 512;
/** MAX_TEMP_COUNT: temporaries one expression may hold at once before the compiler refuses it. */
export const MAX_TEMP_COUNT = 128;
/** sizeof_contexts in script-engine.c: `sizeof` may nest this deep. */
export const MAX_SIZEOF_NESTING = 16;
/** PacketChunkSize: printf's FinalBuffer (Functions.c:1834). */
export const PRINTF_BUFFER_BYTES = 4096;
/**
 * Logging.c drops a message whose length with its NUL exceeds PacketChunkSize - 1 without a word,
 * so at most this many characters of one printf reach the CLI.
 */
export const MAX_MESSAGE_CHARS = 4094;
/** Bytes of one slot in the stack buffer and the global pool. */
export const SLOT_BYTES = 8;

/** The reasons DebuggerPerformRunScript (Debugger.c:1758-1769) stops a run, with their log texts. */
export const RUN_LIMIT_MESSAGES = {
  stack:
    'Err, stack buffer overflow (more information: https://docs.hyperdbg.org/tips-and-tricks/misc/customize-build/change-script-engine-limitations)\n',
  count:
    'Err, exceeding the max execution count (more information: https://docs.hyperdbg.org/tips-and-tricks/misc/customize-build/change-script-engine-limitations)\n',
} as const;
