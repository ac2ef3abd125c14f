// Contract entries of the `session` domain (debugger session, events, records, terminal).
// Owned by the session engine; filled as that part is built.
export const sessionMethods = {} as const;
export const sessionStreams = {} as const;
