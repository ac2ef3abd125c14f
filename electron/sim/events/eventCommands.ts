// The event commands of spec §3.8 (extension-commands/*.cpp, v0.23): each command's own argument
// parsing after the shared interpreter, with its exact messages; then kernel registration.
// Simulator side.
import { APPLY_TO_ALL, type EventType } from '../engine/kernelEvents';
import { MODE_BOTH, MODE_KERNEL, MODE_USER } from '../engine/dispatcher';
import type { Session } from '../cli/session';
import { parseUInt64 } from '../protocol/numbers';
import type { Token } from '../protocol/tokenizer';
import { resolveAddressArgument } from './addressArgument';
import { interpretGeneralEventFields, type ParsedEvent } from './eventParser';
import { sendEventToKernel, type EventOptions } from './kernelRegistration';

const ALL = BigInt(APPLY_TO_ALL);

type Parse = (s: Session, p: ParsedEvent, command: Token) => EventOptions | null;

interface EventCommand {
  /** Token-count check before the shared interpreter (no ID used up, spec §3.1 step 1). */
  readonly minTokens?: number;
  /** Help text key printed after this command's usage errors. */
  readonly help: (command: Token) => string;
  readonly parse: Parse;
}

const opts = (type: EventType, p1: bigint, p2 = 0n, p3 = 0n, access = 0): EventOptions => ({
  type,
  p1,
  p2,
  p3,
  access,
});

function unknownParameter(s: Session, t: Token, help: string): null {
  s.print(`unknown parameter '${t.text}'\n\n`);
  s.help(help);
  return null;
}

/** The pattern of !msrread, !cpuid, !ioin, ...: one optional number, `skip` names the command. */
function oneOptionalNumber(
  type: EventType,
  help: string,
  skip: readonly string[],
  check?: (s: Session, v: bigint) => boolean,
): Parse {
  return (s, p) => {
    let value: bigint | null = null;
    for (const t of p.rest) {
      if (skip.includes(t.lower)) continue;
      if (value !== null) return unknownParameter(s, t, help);
      const v = parseUInt64(t.text);
      if (v === null) return unknownParameter(s, t, help);
      if (check !== undefined && !check(s, v)) return null;
      value = v;
    }
    return opts(type, value ?? ALL);
  };
}

/** !tsc, !pmc, !dr, !vmcall: no arguments; extras give the usage error (ID used, spec §3.8). */
function noArguments(type: EventType, help: string): Parse {
  return (s, p, command) => {
    if (p.rest.length > 1) {
      s.usage(command.text, help);
      return null;
    }
    return opts(type, 0n);
  };
}

function hook(type: 'epthook' | 'epthook2', help: string, noAddress: string): Parse {
  return (s, p) => {
    if (p.stage !== 'pre') {
      s.print(
        "the utilization of 'post' or 'all' event calling stages is not meaningful for the hidden hook; therefore, this command does not support them\n",
      );
      return null;
    }
    let address: bigint | null = null;
    for (const t of p.rest) {
      if (t.lower === `!${type}`) continue;
      if (address === null) {
        const a = resolveAddressArgument(s, t.text);
        if (a === null) {
          s.print(`err, couldn't resolve error at '${t.text}'\n\n`);
          s.help(help);
          return null;
        }
        address = a;
      } else return unknownParameter(s, t, help);
    }
    if (address === null || address === 0n) {
      s.print(noAddress);
      return null;
    }
    return opts(type, address);
  };
}

const monitorParse: Parse = (s, p) => {
  const help = '!monitor';
  const attributes: Record<string, number> = {
    r: 1,
    w: 2,
    x: 4,
    rw: 3,
    wr: 3,
    rx: 5,
    xr: 5,
    wx: 6,
    xw: 6,
    rwx: 7,
    rxw: 7,
    wrx: 7,
    wxr: 7,
    xrw: 7,
    xwr: 7,
  };
  let access = 0;
  let from: bigint | null = null;
  let to: bigint | null = null;
  let nextIsLength = false;
  let lengthSet = false;
  let memoryTypeSet = false;
  let physical = false;
  let length = 0;
  for (const t of p.rest) {
    if (t.lower === '!monitor') continue;
    if (nextIsLength) {
      const v = parseUInt64(t.text);
      if (v === null || v > 0xffffffffn) {
        s.print('err, you should enter a valid length\n\n');
        return null;
      }
      length = Number(v);
      nextIsLength = false;
      lengthSet = true;
      continue;
    }
    const a = attributes[t.lower];
    if (a !== undefined && access === 0) {
      access = a;
      continue;
    }
    if (t.lower === 'l' && to === null && !lengthSet) {
      nextIsLength = true;
      continue;
    }
    if ((t.lower === 'va' || t.lower === 'pa') && !memoryTypeSet) {
      memoryTypeSet = true;
      physical = t.lower === 'pa';
      continue;
    }
    if (from === null) {
      from = resolveAddressArgument(s, t.text);
      if (from === null) {
        s.print(`err, couldn't resolve error at '${t.text}'\n\n`);
        s.help(help);
        return null;
      }
    } else if (to === null && !lengthSet) {
      to = resolveAddressArgument(s, t.text);
      if (to === null) {
        s.print(`err, couldn't resolve error at '${t.text}'\n\n`);
        s.help(help);
        return null;
      }
    } else return unknownParameter(s, t, help);
  }
  if (from === null || (to === null && !lengthSet)) {
    s.print("please choose the 'from' or 'to' values or specify the length\n");
    return null;
  }
  // "when the user specifies length, the last byte should be ignored"
  const end = lengthSet ? from + BigInt(length) - 1n : (to as bigint);
  if (from > end) {
    s.print("please choose the 'from' value first, then choose the 'to' value\n");
    return null;
  }
  if (access === 0) {
    s.print(
      'please specify the attribute(s) that you want to monitor (r, w, x, rw, rx, wx, rwx)\n',
    );
    return null;
  }
  return opts('monitor', from, end, physical ? 1n : 0n, access);
};

const crwriteParse: Parse = (s, p) => {
  const help = '!crwrite';
  let cr: bigint | null = null;
  let mask: bigint | null = null;
  for (const t of p.rest) {
    if (t.lower === '!crwrite') continue;
    const v = parseUInt64(t.text);
    if (cr === null) {
      if (v === null) return unknownParameter(s, t, help);
      cr = v;
    } else if (mask === null) {
      if (v === null) return unknownParameter(s, t, help);
      mask = v;
    } else return unknownParameter(s, t, help);
  }
  const target = cr ?? 1n;
  if (target !== 0n && target !== 4n) {
    s.print('please choose either 0 for cr0 or 4 for cr4\n');
    s.help(help);
    return null;
  }
  return opts('crwrite', target, mask ?? 0xffffffffffffffffn);
};

const modeParse: Parse = (s, p, command) => {
  if (p.stage !== 'pre') {
    s.print(
      "the utilization of 'post' or 'all' event calling stages is not meaningful for the mode (user-mode/kernel-mode) change traps; therefore, this command does not support them\n",
    );
    return null;
  }
  if (p.rest.length > 2) {
    s.usage(command.text, '!mode');
    return null;
  }
  let mode: bigint | null = null;
  for (const t of p.rest) {
    if (t.lower === '!mode') continue;
    if (t.lower === 'u' && mode === null) mode = MODE_USER;
    else if (t.lower === 'k' && mode === null) mode = MODE_KERNEL;
    else if ((t.lower === 'uk' || t.lower === 'ku') && mode === null) mode = MODE_BOTH;
    else {
      s.print(`err, couldn't resolve error at '${t.text}'\n\n`);
      s.help('!mode');
      // v0.23 frees the event here and carries on, freeing it again later (spec §3.8: a likely
      // crash). The simulator stops after this error instead of imitating the double free.
      return null;
    }
  }
  if (mode === null) {
    s.print('please specify the mode(s) that you want to intercept their execution (u, k, ku)\n');
    return null;
  }
  if (p.pid === APPLY_TO_ALL) {
    s.print(
      "this event only applies to the selected process(es). please specify the 'pid' or the process id of the target process that you want to trap its execution\n",
    );
    return null;
  }
  return opts('mode', mode);
};

const traceParse: Parse = (s, p, command) => {
  if (p.rest.length > 2) {
    s.usage(command.text, '!trace');
    return null;
  }
  let set = false;
  for (const t of p.rest) {
    if (t.lower === '!trace') continue;
    const known = [
      'step-in',
      'stepin',
      'step',
      'step-out',
      'stepout',
      'step-instrument',
      'instrument-step',
      'instrumentstep',
      'instrument-step-in',
    ];
    if (known.includes(t.lower) && !set) set = true;
    else {
      s.print(`err, couldn't resolve error at '${t.text}'\n\n`);
      s.help('!trace');
      // Same double free as !mode in v0.23 (spec §3.8); the simulator reports and stops.
      return null;
    }
  }
  if (!set) {
    s.print('please specify the trace type\n');
    return null;
  }
  // OptionalParam1 gets the boolean SetTraceType, so every type is stored as 1 (spec §3.8).
  return opts('trace', 1n);
};

const syscallParse: Parse = (s, p, command) => {
  const isSyscall = command.lower === '!syscall' || command.lower === '!syscall2';
  const help = isSyscall ? '!syscall' : '!sysret';
  // !sysret ignores extra tokens: the parse loop only runs for !syscall (spec §3.8).
  if (!isSyscall) return opts('sysret', ALL);
  let number: bigint | null = null;
  for (const t of p.rest) {
    if (['!syscall', '!syscall2', '!sysret', '!sysret2'].includes(t.lower)) continue;
    if (number !== null) return unknownParameter(s, t, help);
    const v = resolveAddressArgument(s, t.text);
    if (v === null) return unknownParameter(s, t, help);
    number = v;
  }
  return opts('syscall', number ?? ALL);
};

/** Keyed by the v0.23 handler name (commandTable.ts). */
export const EVENT_COMMANDS: Readonly<Record<string, EventCommand>> = {
  CommandSyscallAndSysret: {
    help: (c) => (c.lower.startsWith('!syscall') ? '!syscall' : '!sysret'),
    parse: syscallParse,
  },
  CommandEptHook: {
    minTokens: 2,
    help: () => '!epthook',
    parse: hook(
      'epthook',
      '!epthook',
      'please choose an address to put the hidden breakpoint on it\n',
    ),
  },
  CommandEptHook2: {
    minTokens: 2,
    help: () => '!epthook2',
    parse: hook('epthook2', '!epthook2', 'please choose an address to put the hook on it\n'),
  },
  CommandMonitor: { minTokens: 4, help: () => '!monitor', parse: monitorParse },
  CommandMsrread: {
    help: () => '!msrread',
    parse: oneOptionalNumber('rdmsr', '!msrread', ['!msrread', '!msread']),
  },
  CommandMsrwrite: {
    help: () => '!msrwrite',
    parse: oneOptionalNumber('wrmsr', '!msrwrite', ['!msrwrite']),
  },
  CommandCpuid: {
    help: () => '!cpuid',
    parse: (s, p, c) => {
      const o = oneOptionalNumber('cpuid', '!cpuid', ['!cpuid'])(s, p, c);
      return o === null ? null : o.p1 === ALL ? opts('cpuid', 0n) : opts('cpuid', 1n, o.p1);
    },
  },
  CommandException: {
    help: () => '!exception',
    parse: oneOptionalNumber('exception', '!exception', ['!exception'], (s, v) => {
      // The code tests `>= 31` although the message says 0x1f is allowed (spec §3.8, §9.14).
      if (v < 31n) return true;
      s.print("the entry should be between 0x0 to 0x1f or first 32 entries'\n\n");
      s.help('!exception');
      return false;
    }),
  },
  CommandInterrupt: {
    help: () => '!interrupt',
    parse: (s, p, c) => {
      const o = oneOptionalNumber('interrupt', '!interrupt', ['!interrupt'], (s2, v) => {
        if (v >= 32n && v <= 0xffn) return true;
        s2.print('the entry should be between 0x20 to 0xFF or the entries between 32 to 255\n\n');
        s2.help('!interrupt');
        return false;
      })(s, p, c);
      if (o === null) return null;
      if (o.p1 === ALL) {
        s.print(
          "please specify an interrupt index to monitor, HyperDbg doesn't support to trigger events on all interrupts because it's not reasonable and make the system unresponsive\n",
        );
        s.help('!interrupt');
        return null;
      }
      return o;
    },
  },
  CommandIoin: { help: () => '!ioin', parse: oneOptionalNumber('in', '!ioin', ['!ioin']) },
  // Only "!ioout" is skipped, so "!iout" reads itself as an unknown parameter (v0.23 quirk).
  CommandIoout: { help: () => '!ioout', parse: oneOptionalNumber('out', '!ioout', ['!ioout']) },
  CommandTsc: { help: () => '!tsc', parse: noArguments('tsc', '!tsc') },
  CommandPmc: { help: () => '!pmc', parse: noArguments('pmc', '!pmc') },
  CommandDr: { help: () => '!dr', parse: noArguments('dr', '!dr') },
  CommandVmcall: { help: () => '!vmcall', parse: noArguments('vmcall', '!vmcall') },
  CommandCrwrite: { minTokens: 2, help: () => '!crwrite', parse: crwriteParse },
  CommandXsetbv: {
    help: () => '!xsetbv',
    parse: (s, p, c) => {
      const o = oneOptionalNumber('xsetbv', '!xsetbv', ['!xsetbv'])(s, p, c);
      return o === null ? null : o.p1 === ALL ? opts('xsetbv', 0n) : opts('xsetbv', 1n, o.p1);
    },
  },
  CommandMode: { help: () => '!mode', parse: modeParse },
  CommandTrace: { help: () => '!trace', parse: traceParse },
};

/** Runs one event command end to end. */
export function runEventCommand(s: Session, handler: string, tokens: readonly Token[]): void {
  const spec = EVENT_COMMANDS[handler];
  const command = tokens[0];
  if (spec === undefined || command === undefined) return;
  if (spec.minTokens !== undefined && tokens.length < spec.minTokens) {
    s.usage(command.text, spec.help(command));
    return;
  }
  const parsed = interpretGeneralEventFields(s, tokens);
  if (parsed === null) return;
  const options = spec.parse(s, parsed, command);
  if (options === null) return;
  sendEventToKernel(s, parsed, options);
}
