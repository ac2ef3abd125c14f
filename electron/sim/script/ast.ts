// The compiled form of a script: typed expressions, statements, user-defined functions and the
// frame sizes the kernel's stack buffer must hold. Pure types.
import type { IntType, PointerType, ScriptType } from './types';

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '<<'
  | '>>'
  | '&'
  | '|'
  | '^'
  | '=='
  | '!='
  | '<'
  | '>'
  | '<='
  | '>=';

export type Expr =
  | { readonly k: 'num'; readonly v: bigint; readonly type: ScriptType }
  | { readonly k: 'str'; readonly v: string; readonly wide: boolean; readonly type: PointerType }
  | { readonly k: 'reg'; readonly name: string; readonly type: IntType }
  | { readonly k: 'pseudo'; readonly name: string; readonly type: IntType }
  | { readonly k: 'local'; readonly slot: number; readonly type: ScriptType }
  | { readonly k: 'param'; readonly index: number; readonly type: IntType }
  | { readonly k: 'global'; readonly index: number; readonly type: ScriptType }
  /** `&local`, or an array used as a value: the slot's address in the core's stack buffer. */
  | { readonly k: 'localAddr'; readonly slot: number; readonly type: PointerType }
  /** `&.name`: the global's address in g_ScriptGlobalVariables. */
  | { readonly k: 'globalAddr'; readonly index: number; readonly type: PointerType }
  /** An array element read (FUNC_TYPED_LOAD): `width` bytes at `address`, extended per `type`. */
  | { readonly k: 'load'; readonly address: Expr; readonly type: IntType }
  | {
      readonly k: 'unary';
      readonly op: '-' | '~' | '!' | '*';
      readonly e: Expr;
      readonly type: ScriptType;
      /** For - and ~: the promoted integer type the typed operation computes in. */
      readonly computeAs: IntType | null;
    }
  | {
      readonly k: 'bin';
      readonly op: BinaryOp;
      readonly a: Expr;
      readonly b: Expr;
      readonly type: ScriptType;
      /** The common integer type of a typed operation, or null for the untyped 64-bit one. */
      readonly computeAs: IntType | null;
      /** Pointers compare unsigned (SCRIPT_SCALAR_TYPE_POINTER). */
      readonly pointerCompare: boolean;
    }
  | {
      readonly k: 'logic';
      readonly op: '&&' | '||';
      readonly a: Expr;
      readonly b: Expr;
      readonly type: IntType;
    }
  /** Pointer plus or minus an integer scaled by the pointee size. */
  | {
      readonly k: 'ptrAdd';
      readonly pointer: Expr;
      readonly offset: Expr;
      readonly scale: number;
      readonly subtract: boolean;
      readonly type: PointerType;
    }
  | {
      readonly k: 'ptrDiff';
      readonly a: Expr;
      readonly b: Expr;
      readonly scale: number;
      readonly type: IntType;
    }
  | { readonly k: 'cast'; readonly e: Expr; readonly type: ScriptType }
  | {
      readonly k: 'call';
      readonly fn: string;
      readonly args: readonly Expr[];
      readonly type: IntType;
    }
  | {
      readonly k: 'userCall';
      readonly fn: number;
      readonly args: readonly Expr[];
      readonly type: ScriptType;
    };

export type LValue =
  | { readonly k: 'reg'; readonly name: string; readonly type: IntType }
  | { readonly k: 'local'; readonly slot: number; readonly type: ScriptType }
  | { readonly k: 'param'; readonly index: number; readonly type: IntType }
  | { readonly k: 'global'; readonly index: number; readonly type: ScriptType }
  /** `*x = v` (@DEREFERENCE): 8 bytes written at the address x holds. */
  | { readonly k: 'deref'; readonly address: Expr; readonly type: IntType }
  /** An array element (FUNC_TYPED_STORE): the element's width at `address`. */
  | { readonly k: 'store'; readonly address: Expr; readonly type: IntType };

/** One printf conversion the compiler recognised, with the index of its `%` in the format. */
export interface FormatSpec {
  readonly at: number;
  readonly text: string;
}

export type Stmt =
  | {
      readonly k: 'printf';
      readonly format: string;
      readonly specs: readonly FormatSpec[];
      readonly args: readonly Expr[];
    }
  | { readonly k: 'expr'; readonly e: Expr }
  | {
      readonly k: 'assign';
      /** Right to left: `a = b = e` stores e in b, then in a. */
      readonly targets: readonly LValue[];
      readonly op: string;
      readonly e: Expr | null;
    }
  | {
      readonly k: 'if';
      readonly branches: readonly { readonly cond: Expr; readonly body: readonly Stmt[] }[];
      readonly otherwise: readonly Stmt[] | null;
    }
  | { readonly k: 'while'; readonly cond: Expr; readonly body: readonly Stmt[] }
  | { readonly k: 'do'; readonly body: readonly Stmt[]; readonly cond: Expr }
  | {
      readonly k: 'for';
      readonly init: Stmt | null;
      readonly cond: Expr;
      readonly step: Stmt | null;
      readonly body: readonly Stmt[];
    }
  | { readonly k: 'break' }
  | { readonly k: 'continue' }
  | { readonly k: 'return'; readonly e: Expr | null }
  /** An array declaration: every element written in order, the rest zeroed (@ARRAY_DECLARITION). */
  | {
      readonly k: 'arrayInit';
      readonly slot: number;
      readonly element: IntType;
      readonly values: readonly Expr[];
      readonly elements: number;
    };

export interface UserFunction {
  readonly name: string;
  readonly params: number;
  readonly returnType: ScriptType;
  readonly body: readonly Stmt[];
  /** Temporaries plus locals: the slots the function's frame takes in the stack buffer. */
  readonly frameSlots: number;
  /** The temporaries come first; locals follow them (script-engine.c adds MaxTempNumber). */
  readonly temps: number;
}

export interface CompiledScript {
  readonly source: string;
  readonly statements: readonly Stmt[];
  readonly functions: readonly UserFunction[];
  /** The top level's frame (MaxTempNumber + LocalVariableNumber of "main"). */
  readonly frameSlots: number;
  readonly temps: number;
}
