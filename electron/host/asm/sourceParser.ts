// Reads assembly source the way the action editor writes it (Intel syntax, one instruction per
// line, `label:` lines, `;` comments) into instructions with typed operands, and prints each one
// back in the canonical form handed to Keystone: numbers this module computed, absolute memory
// operands in the SIB form `[riz*1+disp]` (never RIP-relative, never moffs). Structure fields
// named symbolically (`EPROCESS.ImageFileName`) become the offsets a resolver gives for the
// target, and each use is recorded with where its value came from. Host side, pure.
import { normalizeFieldPath, type ResolvedField } from '../../../shared/model/knownBuilds';
import { evaluate, ExprError, hexLiteral, tokenize, type Token } from './expression';
import { gprFamily, gprSize, isRegisterName, SEGMENT_REGISTERS } from './registers';

export const SIZE_KEYWORDS: Readonly<Record<string, number>> = {
  byte: 1,
  word: 2,
  dword: 4,
  fword: 6,
  qword: 8,
  tbyte: 10,
  tword: 10,
  oword: 16,
  xmmword: 16,
  ymmword: 32,
  zmmword: 64,
};

const PREFIXES = new Set(['lock', 'rep', 'repe', 'repz', 'repne', 'repnz']);
const DIRECTIVES = new Set(['db', 'dw', 'dd', 'dq', 'dt', 'times', 'equ', 'org', 'align', 'bits']);
/** Mnemonics whose operand is a branch target rather than an immediate. */
const BRANCH_MNEMONIC =
  /^(jmp|call|j(n?[abcegloprsz]|n?[abgl]e|p[eo]|[er]?cxz)|loop(n?[ez])?|xbegin)$/;

/** 32-bit signed range of a disp32 / imm32 in 64-bit code. */
const INT32_MIN = -(1n << 31n);
const INT32_MAX = (1n << 31n) - 1n;
const U64 = 1n << 64n;

export type Operand =
  | { readonly kind: 'reg'; readonly name: string }
  | { readonly kind: 'imm'; readonly value: bigint }
  | { readonly kind: 'branch'; readonly label: string | null; readonly target: bigint | null }
  | MemOperand;

export interface MemOperand {
  readonly kind: 'mem';
  /** `qword` etc., when the source says `... ptr`. */
  readonly size: string | null;
  readonly segment: string | null;
  readonly base: string | null;
  readonly index: string | null;
  readonly scale: 1 | 2 | 4 | 8;
  /** Signed displacement (for `[rip+...]`, the offset from the next instruction or the label). */
  readonly disp: bigint;
  readonly rip: boolean;
  readonly label: string | null;
}

export interface Instruction {
  readonly prefixes: readonly string[];
  readonly mnemonic: string;
  readonly operands: readonly Operand[];
}

export interface SourceLine {
  /** 1-based line number in the source. */
  readonly line: number;
  readonly label: string | null;
  readonly instruction: Instruction | null;
  /** The trimmed text without its comment, as written. */
  readonly text: string;
}

export interface ParseError {
  readonly line: number;
  readonly message: string;
}

export interface ParsedSource {
  readonly lines: readonly SourceLine[];
  readonly errors: readonly ParseError[];
  readonly labels: ReadonlyMap<string, number>;
  /** Every structure field the source names, by line, with the value it resolved to. */
  readonly fields: readonly FieldUse[];
}

/** A symbolic structure field on a source line and what it resolved to. */
export interface FieldUse {
  readonly line: number;
  readonly field: ResolvedField;
}

/** The offset of a field path on the target, or why it has none (a message naming the path). */
export type FieldResolver = (
  path: string,
) =>
  | { readonly ok: true; readonly field: ResolvedField }
  | { readonly ok: false; readonly error: string };

/** Resolves nothing: for callers that have no target (a field then is an error on its line). */
export const NO_FIELDS: FieldResolver = (path) => ({
  ok: false,
  error: `${path}: symbolic structure fields need a target build to resolve them`,
});

/** The field paths a source names (`EPROCESS.ImageFileName`), in order, without resolving them. */
export function fieldPathsIn(source: string): string[] {
  const out: string[] = [];
  for (const raw of source.split(/\r\n|\r|\n/)) {
    const semi = raw.indexOf(';');
    const text = semi < 0 ? raw : raw.slice(0, semi);
    for (const m of text.matchAll(/[A-Za-z0-9_.$@?]+/g)) {
      const path = m[0].includes('.') ? normalizeFieldPath(m[0]) : null;
      if (path !== null && !out.includes(path)) out.push(path);
    }
  }
  return out;
}

const LABEL = /^([A-Za-z_][A-Za-z0-9_]*)\s*:(?!:)(.*)$/;

/** Parses the whole source; every line's problems are collected, not just the first. */
export function parseSource(source: string, fields: FieldResolver = NO_FIELDS): ParsedSource {
  const lines: SourceLine[] = [];
  const errors: ParseError[] = [];
  const labels = new Map<string, number>();
  const uses: FieldUse[] = [];
  source.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = i + 1;
    const semi = raw.indexOf(';');
    let text = (semi < 0 ? raw : raw.slice(0, semi)).trim();
    if (text === '') return;
    let label: string | null = null;
    const m = LABEL.exec(text);
    if (m !== null && !SEGMENT_REGISTERS.has((m[1] as string).toLowerCase())) {
      label = m[1] as string;
      text = (m[2] as string).trim();
      const problem = labelProblem(label);
      if (problem !== undefined) {
        errors.push({ line, message: problem });
        return;
      }
      const first = labels.get(label.toLowerCase());
      if (first !== undefined) {
        errors.push({ line, message: `label '${label}' is already defined on line ${first}` });
        return;
      }
      labels.set(label.toLowerCase(), line);
    }
    if (text === '') {
      lines.push({ line, label, instruction: null, text: '' });
      return;
    }
    try {
      const resolve = (path: string): bigint => {
        const r = fields(path);
        if (!r.ok) throw new ExprError(r.error);
        if (!uses.some((u) => u.line === line && u.field.path === r.field.path))
          uses.push({ line, field: r.field });
        return BigInt(r.field.value);
      };
      lines.push({ line, label, instruction: parseInstruction(text, resolve), text });
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      errors.push({ line, message: e.message });
    }
  });
  // Labels are case-insensitive here so that `Return` and `return` cannot both exist; a
  // reference must match a definition.
  for (const l of lines)
    for (const op of l.instruction?.operands ?? []) {
      const ref = op.kind === 'branch' ? op.label : op.kind === 'mem' ? op.label : null;
      if (ref !== null && !labels.has(ref.toLowerCase()))
        errors.push({ line: l.line, message: `label '${ref}' is not defined` });
    }
  return { lines, errors: errors.sort((a, b) => a.line - b.line), labels, fields: uses };
}

function labelProblem(label: string): string | undefined {
  const l = label.toLowerCase();
  if (isRegisterName(l) || l in SIZE_KEYWORDS || l === 'ptr' || l === 'riz' || PREFIXES.has(l))
    return `'${label}' cannot be a label: it is a register or keyword`;
  return undefined;
}

const INSTRUCTION = /^((?:(?:lock|rep|repe|repz|repne|repnz)\s+)*)(\S+)(?:\s+(.*))?$/i;

/** Replaces field-path identifiers by their resolved offsets (as numbers Keystone is handed). */
function substituteFields(tokens: Token[], resolve: (path: string) => bigint): Token[] {
  return tokens.map((t) => {
    if (t.t !== 'id' || !t.text.includes('.')) return t;
    const path = normalizeFieldPath(t.text);
    if (path === null)
      throw new ExprError(
        `'${t.text}' is not a structure field (write STRUCT.Member, e.g. EPROCESS.ImageFileName)`,
      );
    return { t: 'num', value: resolve(t.text), text: t.text };
  });
}

function parseInstruction(text: string, resolve: (path: string) => bigint): Instruction {
  const m = INSTRUCTION.exec(text) as RegExpExecArray;
  const prefixes = (m[1] as string)
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((p) => p !== '');
  const head = (m[2] as string).toLowerCase();
  if (head.startsWith('.') || DIRECTIVES.has(head))
    throw new ExprError(`'${head}': directives are not supported; write one instruction per line`);
  if (!/^[a-z][a-z0-9]*$/.test(head)) throw new ExprError(`'${m[2]}' is not an instruction`);
  const rest = (m[3] ?? '').trim();
  const operandTexts = rest === '' ? [] : splitOperands(rest);
  const branch = BRANCH_MNEMONIC.test(head);
  const operands = operandTexts.map((t, k) => {
    try {
      return parseOperand(t, branch && operandTexts.length === 1, resolve);
    } catch (e) {
      if (e instanceof ExprError)
        throw new ExprError(`operand ${k + 1} ('${t.trim()}'): ${e.message}`);
      throw e;
    }
  });
  return { prefixes, mnemonic: head, operands };
}

function splitOperands(rest: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of rest) {
    if (c === '[' || c === '(') depth++;
    if (c === ']' || c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  if (parts.some((p) => p.trim() === '')) throw new ExprError('an operand is empty');
  return parts;
}

function parseOperand(text: string, branch: boolean, resolve: (path: string) => bigint): Operand {
  const trimmed = text.trim();
  const st = /^st(?:\s*\(\s*([0-7])\s*\))?$/i.exec(trimmed);
  if (st !== null) return { kind: 'reg', name: `st${st[1] ?? '0'}` };
  let tokens = substituteFields(tokenize(trimmed), resolve);
  let size: string | null = null;
  const first = tokens[0];
  if (first?.t === 'id' && first.text.toLowerCase() in SIZE_KEYWORDS) {
    const ptr = tokens[1];
    if (ptr?.t !== 'id' || ptr.text.toLowerCase() !== 'ptr')
      throw new ExprError(`write '${first.text.toLowerCase()} ptr'`);
    size = first.text.toLowerCase();
    tokens = tokens.slice(2);
  }
  const hasBracket = tokens.some((t) => t.t === 'op' && t.text === '[');
  const segPrefixed =
    tokens[0]?.t === 'id' &&
    SEGMENT_REGISTERS.has(tokens[0].text.toLowerCase()) &&
    tokens[1]?.t === 'op' &&
    tokens[1].text === ':';
  if (hasBracket || segPrefixed || size !== null) return parseMemory(tokens, size);
  if (tokens.length === 1 && tokens[0]?.t === 'id' && isRegisterName(tokens[0].text))
    return { kind: 'reg', name: tokens[0].text.toLowerCase() };
  if (tokens.some((t) => t.t === 'id' && t.text.toLowerCase() === 'riz'))
    throw new ExprError("'riz' is not available in the source; write the address alone, [0x188]");
  if (branch) {
    if (tokens.length === 1 && tokens[0]?.t === 'id')
      return { kind: 'branch', label: tokens[0].text, target: null };
    return { kind: 'branch', label: null, target: evaluate(tokens) };
  }
  if (tokens.some((t) => t.t === 'id' && isRegisterName(t.text)))
    throw new ExprError('registers can only be added inside [ ]');
  return { kind: 'imm', value: evaluate(tokens) };
}

function parseMemory(tokens: Token[], size: string | null): MemOperand {
  let segment: string | null = null;
  let rest = tokens;
  const takeSegment = () => {
    const a = rest[0];
    const b = rest[1];
    if (
      a?.t === 'id' &&
      SEGMENT_REGISTERS.has(a.text.toLowerCase()) &&
      b?.t === 'op' &&
      b.text === ':'
    ) {
      if (segment !== null) throw new ExprError('two segment overrides');
      segment = a.text.toLowerCase();
      rest = rest.slice(2);
    }
  };
  takeSegment();
  let inner: Token[];
  if (rest[0]?.t === 'op' && rest[0].text === '[') {
    const close = rest.findIndex((t) => t.t === 'op' && t.text === ']');
    if (close < 0) throw new ExprError("missing ']'");
    if (close !== rest.length - 1)
      throw new ExprError("nothing may follow ']' (write the whole address inside [ ])");
    inner = rest.slice(1, close);
    rest = inner;
    takeSegment();
    inner = rest;
  } else if (rest.some((t) => t.t === 'op' && (t.text === '[' || t.text === ']'))) {
    throw new ExprError('write the whole address inside [ ]');
  } else inner = rest;
  if (inner.length === 0) throw new ExprError('the address is empty');
  return { kind: 'mem', size, segment, ...parseAddress(inner) };
}

type Address = Omit<MemOperand, 'kind' | 'size' | 'segment'>;

function parseAddress(tokens: Token[]): Address {
  // Split at top-level + and - into signed terms.
  const terms: { sign: 1n | -1n; tokens: Token[] }[] = [];
  let depth = 0;
  let cur: Token[] = [];
  let sign: 1n | -1n = 1n;
  for (const t of tokens) {
    if (t.t === 'op' && t.text === '(') depth++;
    if (t.t === 'op' && t.text === ')') depth--;
    if (depth === 0 && t.t === 'op' && (t.text === '+' || t.text === '-')) {
      if (cur.length > 0) terms.push({ sign, tokens: cur });
      else if (t.text === '-') {
        sign = sign === 1n ? -1n : 1n;
        continue;
      }
      cur = [];
      sign = t.text === '-' ? -1n : 1n;
      continue;
    }
    if (t.t === 'op' && ['[', ']', ':'].includes(t.text))
      throw new ExprError(`unexpected '${t.text}' in the address`);
    cur.push(t);
  }
  if (cur.length === 0) throw new ExprError('the address ends with an operator');
  terms.push({ sign, tokens: cur });

  const regs: { name: string; scale: bigint }[] = [];
  let disp = 0n;
  let rip = false;
  let label: string | null = null;
  for (const term of terms) {
    const ids = term.tokens.filter((t) => t.t === 'id');
    const reg = ids.find((t) => isRegisterName(t.text) || t.text.toLowerCase() === 'riz');
    if (reg !== undefined) {
      const name = reg.text.toLowerCase();
      if (name === 'riz') throw new ExprError("'riz' is not available in the source");
      if (term.sign < 0n) throw new ExprError(`a register cannot be subtracted ('-${name}')`);
      const others = term.tokens.filter((t) => t !== reg);
      let scale = 1n;
      if (others.length > 0) {
        const idx = term.tokens.indexOf(reg);
        const mul =
          idx === 0
            ? others[0]
            : idx === term.tokens.length - 1
              ? others[others.length - 1]
              : undefined;
        if (mul === undefined || mul.t !== 'op' || mul.text !== '*')
          throw new ExprError(`cannot read '${term.tokens.map((t) => t.text).join('')}'`);
        scale = evaluate(idx === 0 ? others.slice(1) : others.slice(0, -1));
      }
      if (name === 'rip' || name === 'eip') {
        if (scale !== 1n || name === 'eip')
          throw new ExprError('write [rip+offset] or [rip+label]');
        rip = true;
        continue;
      }
      if (gprFamily(name) === undefined || (gprSize(name) ?? 0) < 4)
        throw new ExprError(`'${name}' cannot address memory (use a 64-bit register)`);
      regs.push({ name, scale });
      continue;
    }
    if (term.tokens.length === 1 && term.tokens[0]?.t === 'id') {
      if (label !== null) throw new ExprError('only one label per address');
      if (term.sign < 0n) throw new ExprError('a label cannot be subtracted');
      label = term.tokens[0].text;
      continue;
    }
    disp += term.sign * evaluate(term.tokens);
  }

  if (label !== null && !rip)
    throw new ExprError(
      `the address of '${label}' is not fixed (the code runs wherever HyperDbg puts it): write [rip+${label}]`,
    );
  if (rip && regs.length > 0) throw new ExprError('[rip+...] takes no other register');

  let base: string | null = null;
  let index: string | null = null;
  let scale: 1 | 2 | 4 | 8 = 1;
  for (const r of regs) {
    if (![1n, 2n, 4n, 8n].includes(r.scale))
      throw new ExprError(`scale ${r.scale} is not 1, 2, 4 or 8`);
    if (r.scale === 1n && base === null) base = r.name;
    else if (index === null) {
      index = r.name;
      scale = Number(r.scale) as 1 | 2 | 4 | 8;
    } else throw new ExprError('an address has at most two registers');
  }
  if (index !== null && gprFamily(index) === 'rsp') {
    if (scale !== 1 || base === null || gprFamily(base) === 'rsp')
      throw new ExprError('rsp cannot be an index register');
    [base, index] = [index, base];
  }
  if (base !== null && index !== null && gprSize(base) !== gprSize(index))
    throw new ExprError('base and index registers must have the same width');

  // Displacements are 32-bit signed; a 64-bit two's-complement spelling of a negative one
  // (0xfffffffffffffff8) means the same address.
  if (disp >= U64 + INT32_MIN && disp < U64) disp -= U64;
  if (disp < INT32_MIN || disp > INT32_MAX)
    throw new ExprError(
      base === null && index === null && !rip
        ? `absolute address ${hexLiteral(disp)} does not fit in a signed 32-bit displacement; load it with mov r64, imm64 and use [r64]`
        : `displacement ${hexLiteral(disp)} does not fit in 32 bits`,
    );
  return { base, index, scale, disp, rip, label };
}

/** A label reference case-folded to the spelling of its definition. */
export type LabelSpelling = (name: string) => string;

/**
 * How absolute memory operands are handed to Keystone: `sib` (always) or `as-written`, which
 * exists only so tests can show what the verifier catches when Keystone gets them raw.
 */
export type AbsoluteForm = 'sib' | 'as-written';

/** The canonical text of an instruction, as handed to Keystone. */
export function canonicalText(
  insn: Instruction,
  spell: LabelSpelling = (n) => n,
  absolute: AbsoluteForm = 'sib',
): string {
  const ops = insn.operands.map((op) => canonicalOperand(op, spell, absolute));
  const head = [...insn.prefixes, insn.mnemonic].join(' ');
  return ops.length === 0 ? head : `${head} ${ops.join(', ')}`;
}

function canonicalOperand(op: Operand, spell: LabelSpelling, absolute: AbsoluteForm): string {
  switch (op.kind) {
    case 'reg':
      return /^st\d$/.test(op.name) ? `st(${op.name.slice(2)})` : op.name;
    case 'imm':
      return hexLiteral(op.value);
    case 'branch':
      return op.label !== null ? spell(op.label) : hexLiteral(op.target as bigint);
    case 'mem': {
      const parts: string[] = [];
      if (op.rip) parts.push('rip');
      if (op.label !== null) parts.push(spell(op.label));
      if (op.base !== null) parts.push(op.base);
      if (op.index !== null) parts.push(`${op.index}*${op.scale}`);
      // No base, no index, not RIP-relative: an absolute address. `riz*1` makes Keystone use
      // the SIB form instead of RIP-relative or the 64-bit moffs form (written as is, Keystone
      // silently encodes `gs:[0x188]` RIP-relative).
      if (!op.rip && op.base === null && op.index === null && absolute === 'sib')
        parts.push('riz*1');
      let inner = parts.join('+');
      const absoluteSib = parts.length === 1 && parts[0] === 'riz*1';
      if (parts.length === 0) inner = hexLiteral(op.disp);
      else if (op.disp !== 0n || absoluteSib)
        inner += op.disp < 0n ? hexLiteral(op.disp) : `+${hexLiteral(op.disp)}`;
      const size = op.size !== null ? `${op.size} ptr ` : '';
      const seg = op.segment !== null ? `${op.segment}:` : '';
      return `${size}${seg}[${inner}]`;
    }
  }
}
