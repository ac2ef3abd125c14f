// Types of electronBinary.mjs (a plain script module, also read by tests).
export type ElectronBinary =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly reason: 'no-package' | 'no-binary' };
export declare function findElectronBinary(
  electronDir: string,
  env?: Readonly<Record<string, string | undefined>>,
): ElectronBinary;
export declare function missingElectronMessage(reason: 'no-package' | 'no-binary'): string;
