// Result values: every contract method returns one, because Electron forwards only the message
// of a thrown error across IPC. The shared Result (shared/result.ts) with the contract's error
// shape. Pure; runs in Node and in the browser.
import type { Result as AnyResult } from '../result';

/** Stable error codes the UI can branch on. Messages are for people; codes are for code. */
export type ErrorCode =
  | 'invalid-input' // the input failed its schema; `field` names the first bad field
  | 'unknown-method' // the channel is not in the contract
  | 'forbidden' // the caller is not the app's own frame / lacks the token
  | 'not-found'
  | 'conflict'
  | 'unavailable' // a dependency (emulator, CLI, database) cannot be used on this machine
  | 'timeout'
  | 'cancelled'
  | 'session' // the debugger session refused or failed the request
  | 'needs-confirmation' // valid, but it may crash the target: repeat it with the confirmation field
  | 'internal';

export interface AppErrorShape {
  readonly code: ErrorCode;
  readonly message: string;
  /** Dotted path of the input field the error concerns, when there is one. */
  readonly field?: string;
}

export type Result<T, E = AppErrorShape> = AnyResult<T, E>;

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const err = (code: ErrorCode, message: string, field?: string): Result<never> => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, message, field },
});

/**
 * An error a service throws on purpose. The dispatcher turns it into a Result with its code;
 * any other thrown value becomes `internal`.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
  }
}

/** Turns anything thrown into the error half of a Result. */
export function toErrorShape(e: unknown): AppErrorShape {
  if (e instanceof AppError) {
    return e.field === undefined
      ? { code: e.code, message: e.message }
      : { code: e.code, message: e.message, field: e.field };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message };
}

/** Unwraps a Result, throwing an AppError for the error case (handy on the client side). */
export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new AppError(r.error.code, r.error.message, r.error.field);
}
