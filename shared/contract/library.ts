// Contract entries of the `library` and `asm` domains (saved actions, assembler, listings).
// Owned by the action library; filled as that part is built.
export const libraryMethods = {} as const;
export const libraryStreams = {} as const;
