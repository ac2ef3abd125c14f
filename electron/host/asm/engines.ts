// Loads Keystone (keystone-wasm) and iced-x86 once, on first use, so hosts that never assemble
// pay nothing. iced-x86's npm build reads its wasm with `fs`: Node only. Host side.
import type * as IcedModule from 'iced-x86';
import type { Keystone } from 'keystone-wasm';

export type Iced = typeof IcedModule;

export interface Engines {
  /** One x86-64 Keystone instance; calls are synchronous, so one instance serves everyone. */
  readonly keystone: Keystone;
  readonly iced: Iced;
}

let loading: Promise<Engines> | undefined;

export function loadEngines(): Promise<Engines> {
  loading ??= (async () => {
    const [ks, iced] = await Promise.all([import('keystone-wasm'), import('iced-x86')]);
    await ks.loadKeystone();
    const keystone = new ks.Keystone(ks.Const.KS_ARCH_X86, ks.Const.KS_MODE_64);
    keystone.setOption(ks.Const.KS_OPT_SYNTAX, ks.Const.KS_OPT_SYNTAX_INTEL);
    return { keystone, iced: normalizeCjs(iced) };
  })();
  loading.catch(() => {
    // A failed load may be retried (e.g. after a missing wasm file is restored).
    loading = undefined;
  });
  return loading;
}

/** A CommonJS module imported from ESM: its exports may sit on `default`. */
function normalizeCjs(m: Iced & { default?: Iced }): Iced {
  return typeof m.Decoder === 'function' ? m : (m.default as Iced);
}
