// `sim --dry-run-server`: the dry-run port's far end. Reads one JSON request per line on stdin,
// answers one JSON line per request on stdout (shared/model/dryRunWire.ts, checked both ways),
// and keeps its guests between requests; ends at end of input. Simulator side.
import { createInterface } from 'node:readline';
import {
  DRY_RUN_WIRE_VERSION,
  dryRunRequestSchema,
  dryRunResultSchema,
  MAX_DRY_RUN_LINE_CHARS,
  type DryRunResponse,
} from '../../../shared/model/dryRunWire';
import { DryRunner } from './dryRunner';

function send(r: DryRunResponse): void {
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

/** What a request line asks, or why it cannot be read (with its id when it has one). */
function read(line: string) {
  if (line.length > MAX_DRY_RUN_LINE_CHARS)
    return {
      ok: false as const,
      id: -1,
      error: `a request line is longer than ${MAX_DRY_RUN_LINE_CHARS} characters`,
    };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (e) {
    return {
      ok: false as const,
      id: -1,
      error: `not JSON: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const parsed = dryRunRequestSchema.safeParse(json);
  if (parsed.success) return { ok: true as const, request: parsed.data };
  const raw = json as { id?: unknown };
  const id = typeof raw?.id === 'number' && Number.isInteger(raw.id) && raw.id >= 0 ? raw.id : -1;
  const issue = parsed.error.issues[0];
  return {
    ok: false as const,
    id,
    error: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid request'}`,
  };
}

export async function runDryRunServer(): Promise<number> {
  const runner = new DryRunner();
  send({ ready: true, version: DRY_RUN_WIRE_VERSION });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const r = read(line);
      if (!r.ok) {
        send({ id: r.id, ok: false, error: r.error });
        continue;
      }
      const req = r.request;
      if (req.op === 'ping') {
        send({ id: req.id, ok: true, pong: true });
        continue;
      }
      try {
        const result = dryRunResultSchema.parse(runner.run(req));
        send({ id: req.id, ok: true, result });
      } catch (e) {
        send({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    }
  } finally {
    runner.close();
  }
  return 0;
}
