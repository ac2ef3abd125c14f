// Browser-mode access control: a random token per launch, handed over once in the URL and then
// kept in an HttpOnly SameSite=Strict cookie; a strict Host and Origin check against DNS
// rebinding and cross-site pages; one-time launch codes, so the browser the host opens never
// sees the token on a command line. Plain Node.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { fail, ok, type Result } from '../../shared/result';

export const TOKEN_COOKIE = 'hds_token';

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === TOKEN_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Checks the Host header and, when present, the Origin: null when both are ours. */
export function hostOrOriginProblem(
  req: IncomingMessage,
  allowedHosts: readonly string[],
): string | null {
  const host = req.headers.host ?? '';
  if (!allowedHosts.includes(host)) return 'unexpected Host header';
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`))
    return 'foreign Origin';
  return null;
}

/** Why a request is refused: the HTTP status to answer with, and the reason in words. */
export interface AuthRefusal {
  readonly status: 401 | 403;
  readonly reason: string;
}

/** Allowed (and whether the token came in the query, so the cookie is set), or refused. */
export type AuthVerdict = Result<{ readonly viaQuery: boolean }, AuthRefusal>;

/**
 * Decides whether a request may proceed. `allowedHosts` are the exact Host header values the
 * server answers to (127.0.0.1:PORT and localhost:PORT); an Origin, when present, must be one of
 * them with the http scheme.
 */
export function authorize(
  req: IncomingMessage,
  token: string,
  allowedHosts: readonly string[],
): AuthVerdict {
  const problem = hostOrOriginProblem(req, allowedHosts);
  if (problem !== null) return fail({ status: 403, reason: problem });
  const host = req.headers.host ?? '';
  const url = new URL(req.url ?? '/', `http://${host}`);
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null) {
    return sameSecret(fromQuery, token)
      ? ok({ viaQuery: true })
      : fail({ status: 403, reason: 'wrong token' });
  }
  const fromCookie = cookieToken(req);
  if (fromCookie === undefined) return fail({ status: 401, reason: 'missing token' });
  return sameSecret(fromCookie, token)
    ? ok({ viaQuery: false })
    : fail({ status: 403, reason: 'wrong token' });
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/**
 * How long a launch code can be exchanged for the cookie (ms): the browser the host opens asks
 * within seconds; a code found later (in a browser's history) is worth nothing.
 */
export const LAUNCH_CODE_TTL_MS = 120_000;

/**
 * One-time codes standing in for the token in the URL the host hands to the user's browser: a
 * launcher's command line (xdg-open, the browser) is readable by every local user, the token
 * must not be on it. Each code works once, for LAUNCH_CODE_TTL_MS.
 */
export class LaunchCodes {
  private readonly codes = new Map<string, number>();

  constructor(private readonly onRedeemed?: (code: string) => void) {}

  issue(now = Date.now()): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, now + LAUNCH_CODE_TTL_MS);
    return code;
  }

  /** True once for a code issued and not expired; it is spent either way. */
  redeem(code: string, now = Date.now()): boolean {
    let found: string | undefined;
    for (const known of this.codes.keys()) if (sameSecret(known, code)) found = known;
    if (found === undefined) return false;
    const expires = this.codes.get(found) as number;
    this.codes.delete(found);
    this.onRedeemed?.(found);
    return now <= expires;
  }
}
