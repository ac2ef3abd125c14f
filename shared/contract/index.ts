// The one contract between the renderer and the host (Electron main or the web host).
// Each domain keeps its entries in its own file; this module merges them and derives the types
// every transport uses. Pure.
import type { z } from 'zod';
import { appMethods, appStreams } from './app';
import type { MethodDef, StreamDef } from './define';
import { libraryMethods, libraryStreams } from './library';
import { logMethods, logStreams } from './log';
import { sessionMethods, sessionStreams } from './session';
import { sessionsMethods, sessionsStreams } from './sessions';
import { targetMethods } from './target';

export const contract = {
  methods: {
    ...appMethods,
    ...sessionMethods,
    ...libraryMethods,
    ...logMethods,
    ...sessionsMethods,
    ...targetMethods,
  },
  streams: {
    ...appStreams,
    ...sessionStreams,
    ...libraryStreams,
    ...logStreams,
    ...sessionsStreams,
  },
} as const;

export type Contract = typeof contract;
export type Methods = Contract['methods'];
export type Streams = Contract['streams'];
export type MethodName = keyof Methods & string;
export type StreamName = keyof Streams & string;

/** What a caller passes (before schema defaults and transforms). */
export type MethodInput<C extends MethodName> = z.input<Methods[C]['input']>;
/** What a handler receives (after the schema parsed it). */
export type MethodParsedInput<C extends MethodName> = z.output<Methods[C]['input']>;
export type MethodOutput<C extends MethodName> =
  Methods[C] extends MethodDef<z.ZodType, infer O> ? O : never;
export type StreamPayload<S extends StreamName> = Streams[S] extends StreamDef<infer P> ? P : never;

export const methodNames = Object.keys(contract.methods) as MethodName[];
export const streamNames = Object.keys(contract.streams) as StreamName[];

export function isMethodName(x: unknown): x is MethodName {
  return typeof x === 'string' && Object.hasOwn(contract.methods, x);
}
export function isStreamName(x: unknown): x is StreamName {
  return typeof x === 'string' && Object.hasOwn(contract.streams, x);
}

export * from './result';
export * from './define';
export type { AppInfo, Heartbeat } from './app';
