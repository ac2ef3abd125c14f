// SymbolConvertNameOrExprToAddress (spec §3.8): a number, else a symbol (`nt!Foo`, or a bare name
// found in nt), else `formats(<text>);` evaluated by the script engine with zero registers, whose
// diagnostic is printed when it fails. Simulator side.
import { GUEST_REG_COUNT } from '../../../shared/model/guestRegs';
import { resolveNtSymbol } from '../emulator/kernelImage';
import type { Session } from '../cli/session';
import { parseUInt64 } from '../protocol/numbers';
import { runScript, ScriptExecutionLimit, ScriptRuntimeError } from '../script/evaluator';
import { compileScript, ScriptSyntaxError } from '../script/parser';

/** A global name no script can spell (scripts' globals start with '.' and a letter). */
const RESULT_SLOT = '.0result';

export function resolveAddressArgument(s: Session, text: string): bigint | null {
  const n = parseUInt64(text);
  if (n !== null) return n;
  const symbol = resolveNtSymbol(text);
  if (symbol !== null) return symbol;
  let script;
  try {
    script = compileScript(`formats(${text});`, (name) => resolveNtSymbol(name));
  } catch (e) {
    if (!(e instanceof ScriptSyntaxError)) throw e;
    s.print(`${e.report}\n`);
    return null;
  }
  const first = script.statements[0];
  if (
    script.statements.length !== 1 ||
    first?.k !== 'expr' ||
    first.e.k !== 'call' ||
    first.e.fn !== 'formats'
  )
    return null;
  const arg = first.e.args[0];
  if (arg === undefined) return null;
  const globals = new Map<string, bigint>();
  try {
    // ScriptEngineEvalUInt64StyleExpressionWrapper: "In VMI-mode we'll form all registers as zero".
    runScript(
      {
        source: text,
        statements: [{ k: 'assign', target: { k: 'global', name: RESULT_SLOT }, op: '=', e: arg }],
      },
      {
        memory: s.guest.memory,
        regs: new BigUint64Array(GUEST_REG_COUNT),
        special: () => 0n,
        pseudo: () => 0n,
        globals,
        emit: () => undefined,
      },
    );
  } catch (e) {
    if (e instanceof ScriptRuntimeError) {
      s.print(`err, ScriptEngineExecute, function = ${e.functionName}\n`);
      return null;
    }
    if (e instanceof ScriptExecutionLimit) return null;
    throw e;
  }
  return globals.get(RESULT_SLOT) ?? 0n;
}
