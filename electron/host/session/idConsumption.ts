// Spec §3.1's ID consumption rule: whether an event command that hyperdbg-cli answered used up an
// event ID, and whether it created an event. Host side; pure logic over the command's tokens and
// the error codes the output parser recognised.
import { READER_ERRORS } from '../../../shared/hyperdbg/messages';
import { EVENT_KINDS, type EventKind } from '../../../shared/model/eventKinds';
import { cliTokens } from './commandLine';

/** Spellings hyperdbg-cli also takes for an event command (spec §3.8). */
const ALIASES: Readonly<Record<string, EventKind>> = { '!msread': '!msrread', '!iout': '!ioout' };

/** The event kind a line's command names, or null when it is no event command. */
export function eventKindOfLine(line: string): EventKind | null {
  const first = cliTokens(line)[0]?.toLowerCase();
  if (first === undefined) return null;
  if ((EVENT_KINDS as readonly string[]).includes(first)) return first as EventKind;
  return ALIASES[first] ?? null;
}

/**
 * Token-count checks done before the shared interpreter (spec §3.1 step 1): failing them gives
 * the usage error and uses up no ID.
 */
const MIN_TOKENS: Partial<Record<EventKind, number>> = {
  '!epthook': 2,
  '!epthook2': 2,
  '!monitor': 4,
  '!crwrite': 2,
};

/**
 * Errors raised at steps 2-5 of InterpretGeneralEventAndActionsFields, before the ID is assigned
 * (spec §3.1): script syntax errors, a missing script file, and the output-source checks.
 */
const BEFORE_ID_ERRORS = new Set([
  'script-syntax-line',
  'script-syntax-error',
  'script-undefined-function',
  'script-internal-error',
  'script-undefined-variable-type',
  'script-void-returns-value',
  'script-missing-return',
  'script-unknown-struct',
  'script-incomplete-struct',
  'script-duplicate-struct',
  'script-duplicate-member',
  'script-duplicate-typedef',
  'script-invalid-array-size',
  'script-invalid-float',
  'script-float-range',
  'script-float-operation',
  'script-unknown-error',
  'script-file-missing',
  'output-no-input',
  'output-too-many',
  'output-not-found',
  'output-closed',
]);

export interface EventCommandVerdict {
  /** The command created an event (no error line). */
  readonly created: boolean;
  /** It took the next ID (created, or failed after step 6). */
  readonly usedId: boolean;
}

/**
 * The rule for one answered event command: success takes an ID; any failure after step 6 (the
 * §3.7 errors, command-specific errors, kernel registration errors) takes one too; failures at
 * steps 1-5, the token-count checks, and an unknown command take none.
 */
export function eventCommandVerdict(
  line: string,
  answerCodes: readonly string[],
): EventCommandVerdict {
  const kind = eventKindOfLine(line);
  if (kind === null) return { created: false, usedId: false };
  // The reader's forwarding failures arrive amid any answer; they are not the command's.
  const errorCodes = answerCodes.filter((c) => !READER_ERRORS.has(c));
  if (errorCodes.length === 0) return { created: true, usedId: true };
  if (errorCodes.includes('unknown-command') && !errorCodes.some((c) => c !== 'unknown-command'))
    return { created: false, usedId: false };
  // A script-engine diagnostic alone is InterpretScript failing at step 4. The same diagnostic
  // also comes from SymbolConvertNameOrExprToAddress (an `nt!Name` that does not resolve), which
  // runs after the ID was assigned and is followed by the command's own refusal of the token
  // (`unknown parameter '%s'`, `err, couldn't resolve error at '%s'`): then the ID is used.
  if (errorCodes.every((c) => BEFORE_ID_ERRORS.has(c))) return { created: false, usedId: false };
  const min = MIN_TOKENS[kind];
  if (
    min !== undefined &&
    cliTokens(line).length < min &&
    errorCodes.every((c) => c === 'incorrect-use')
  )
    return { created: false, usedId: false };
  return { created: false, usedId: true };
}
