// Types of nodeVersion.mjs (plain JavaScript so every entry, built or not, can run it first).
export declare const MIN_NODE: readonly [number, number, number];
export declare const RECOMMENDED_NODE_MAJOR: number;
export declare const UNSUPPORTED_NODE_EXIT_CODE: number;
export declare function parseNodeVersion(text: string): [number, number, number] | null;
export declare function isSupportedNode(version: string): boolean;
export declare function nodePackageName(platform: string, arch: string): string;
export declare function unsupportedNodeMessage(
  program: string,
  version: string,
  execPath: string,
  platform: string,
  arch: string,
): string;
export declare function requireSupportedNode(program: string): void;
