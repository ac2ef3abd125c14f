// SymbolConvertNameOrExprToAddress (spec §3.8): a number, else a symbol (`nt!Foo`, or a bare name
// found in nt), else `formats(<text>);` evaluated by the script engine with zero registers, whose
// diagnostic is printed when it fails. Simulator side.
import { GUEST_REG_COUNT } from '../../../shared/model/guestRegs';
import type { Session } from '../cli/session';
import { parseUInt64 } from '../protocol/numbers';
import {
  runScript,
  ScriptExecutionLimit,
  ScriptRuntimeError,
  ScriptStackOverflow,
} from '../script/evaluator';
import { compileScript, ScriptSyntaxError } from '../script/parser';

const LIMITS_LINK =
  '(more information: https://docs.hyperdbg.org/tips-and-tricks/misc/customize-build/change-script-engine-limitations)';

/** g_CurrentExprEvalResult: the last value `formats` handed the CLI, never reset between runs. */
const lastResult = new WeakMap<Session, bigint>();

export function resolveAddressArgument(s: Session, text: string): bigint | null {
  const n = parseUInt64(text);
  if (n !== null) return n;
  const symbol = s.symbols.resolve(text);
  if (symbol !== null) return symbol;
  let script;
  try {
    script = compileScript(`formats(${text});`, (name) => s.symbols.resolve(name), s.scriptNames);
  } catch (e) {
    if (!(e instanceof ScriptSyntaxError)) throw e;
    s.print(`${e.report}\n`);
    return null;
  }
  try {
    // ScriptEngineEvalUInt64StyleExpressionWrapper: "In VMI-mode we'll form all registers as
    // zero"; the CLI's own engine runs the script, and `formats` stores its value.
    runScript(script, {
      memory: s.guest.memory,
      regs: new BigUint64Array(GUEST_REG_COUNT),
      special: () => 0n,
      pseudo: () => 0n,
      pools: s.cliScriptPools,
      core: 0,
      emit: (message) => s.print(message),
      formats: (value) => lastResult.set(s, value),
    });
  } catch (e) {
    if (e instanceof ScriptRuntimeError) {
      s.print(`err, ScriptEngineExecute, function = ${e.functionName}\n`);
      return null;
    }
    if (e instanceof ScriptStackOverflow) {
      s.print(`err, stack buffer overflow ${LIMITS_LINK}\n`);
      return null;
    }
    if (e instanceof ScriptExecutionLimit) {
      s.print(`err, exceeding the max execution count ${LIMITS_LINK}\n`);
      return null;
    }
    throw e;
  }
  return lastResult.get(s) ?? 0n;
}
