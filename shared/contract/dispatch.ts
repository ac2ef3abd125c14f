// Server side of every transport: look the channel up, validate the input with its schema,
// call the handler, and always answer with a Result. Pure (zod only).
import type { z } from 'zod';
import {
  contract,
  isMethodName,
  type MethodName,
  type MethodOutput,
  type MethodParsedInput,
} from './index';
import { err, ok, toErrorShape, type Result } from './result';

/** Context a transport passes to handlers (who is calling). */
export interface CallContext {
  readonly transport: 'ipc' | 'web' | 'memory';
}

export type Handler<C extends MethodName> = (
  input: MethodParsedInput<C>,
  ctx: CallContext,
) => MethodOutput<C> | Promise<MethodOutput<C>>;

/** One handler per contract method; a missing one is a type error at the composition root. */
export type Handlers = { readonly [C in MethodName]: Handler<C> };

/** The handlers of one domain's methods (`typeof sessionMethods`, ...), built by that domain. */
export type DomainHandlers<M> = { readonly [C in keyof M & MethodName]: Handler<C> };

/** `path.to.field: message` for the first issue, which is what a form needs to point at. */
export function describeZodError(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (issue === undefined) return { field: '', message: 'invalid input' };
  const field = issue.path.map(String).join('.');
  return { field, message: field === '' ? issue.message : `${field}: ${issue.message}` };
}

export async function dispatchCall(
  handlers: Handlers,
  channel: unknown,
  rawInput: unknown,
  ctx: CallContext,
): Promise<Result<unknown>> {
  if (!isMethodName(channel)) {
    return err('unknown-method', `unknown method ${JSON.stringify(String(channel)).slice(0, 80)}`);
  }
  const schema: z.ZodType = contract.methods[channel].input;
  const parsed = schema.safeParse(rawInput);
  if (!parsed.success) {
    const { field, message } = describeZodError(parsed.error);
    return err('invalid-input', message, field === '' ? undefined : field);
  }
  try {
    const handler = handlers[channel] as (input: unknown, ctx: CallContext) => unknown;
    return ok(await handler(parsed.data, ctx));
  } catch (e) {
    return { ok: false, error: toErrorShape(e) };
  }
}
