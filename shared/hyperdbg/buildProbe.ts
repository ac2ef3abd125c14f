// The Windows build probe: a script action that prints KUSER_SHARED_DATA.NtBuildNumber behind a
// marker the session finds in the output. VMI mode has no `connected to debuggee ... (OS Build N)`
// line, and `?` there evaluates nothing on the system (eval.cpp), so a one-shot event runs it in
// the kernel. Pure.
import type { EventBinding } from '../model/eventBinding';

/** KUSER_SHARED_DATA's kernel address: fixed on every x64 Windows (WDM.H, KI_USER_SHARED_DATA). */
export const KUSER_SHARED_DATA_KERNEL = 0xfffff78000000000n;
/** NtBuildNumber: a ULONG, the build undecorated with the 0xF... flags (phnt ntexapi.h). */
export const KUSER_NT_BUILD_NUMBER_OFFSET = 0x260;
/**
 * Build numbers fit in 16 bits (26100 today); the mask also keeps a decorated value (the kernel
 * variable NtBuildNumber carries 0xF0000000 on free builds) from reading as a huge number.
 */
const BUILD_MASK = 0xffff;

export const BUILD_PROBE_MARKER = 'hyperdbg-studio build probe: NtBuildNumber =';

/** The script: numbers in HyperDbg scripts are hex unless written otherwise; `%d` prints decimal. */
export const BUILD_PROBE_SCRIPT = `printf("${BUILD_PROBE_MARKER} %d\\n", dd(0x${(KUSER_SHARED_DATA_KERNEL + BigInt(KUSER_NT_BUILD_NUMBER_OFFSET)).toString(16)}) & 0x${BUILD_MASK.toString(16)});`;

/**
 * The probe prints once: a fast `!syscall` fires hundreds of times before the clear command
 * lands, and on v0.23 each print is a packet its reader takes 30 ms to pass on, ahead of every
 * later record (80 packets, 2.5 s of delay, measured at 2,000 triggers/s). A global flag, named
 * afresh per probe because globals keep their values for the CLI's life (spec §5.1), lets only
 * the first trigger print (one per core at worst, when cores trigger at the same instant).
 */
export function buildProbeScript(tag: string): string {
  if (!/^[a-z0-9]{1,8}$/.test(tag)) throw new Error(`probe tag '${tag}' must be 1-8 of [a-z0-9]`);
  const flag = `.hbp${tag}`;
  return `if (0) { ${flag} = 0; } if (${flag} == 0) { ${flag} = 1; ${BUILD_PROBE_SCRIPT} }`;
}

/** `!syscall` triggers within milliseconds on a running Windows: the probe needs one trigger. */
export function buildProbeBinding(tag: string): EventBinding {
  return { kind: '!syscall', script: buildProbeScript(tag) };
}

/** What the event list says the probe event is. */
export const BUILD_PROBE_NAME = "HyperDbg Studio's Windows build probe";

const LINE_RE = new RegExp(
  `${BUILD_PROBE_MARKER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (\\d{1,5})\\b`,
);

/** The build a probe line reports, or null when the line is not one. */
export function parseBuildProbeLine(text: string): number | null {
  const m = LINE_RE.exec(text);
  if (m === null) return null;
  const build = Number(m[1]);
  return build > 0 ? build : null;
}
