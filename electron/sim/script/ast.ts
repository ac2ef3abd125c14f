// The compiled form of a script action: statements and expressions the simulator's evaluator
// runs against a guest. Pure types.

export type Expr =
  | { readonly k: 'num'; readonly v: bigint }
  | { readonly k: 'str'; readonly v: string; readonly wide: boolean }
  | { readonly k: 'reg'; readonly name: string }
  | { readonly k: 'pseudo'; readonly name: string }
  | { readonly k: 'local'; readonly name: string }
  | { readonly k: 'global'; readonly name: string }
  | { readonly k: 'unary'; readonly op: string; readonly e: Expr }
  | { readonly k: 'bin'; readonly op: string; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly Expr[] };

export type LValue =
  | { readonly k: 'reg'; readonly name: string }
  | { readonly k: 'local'; readonly name: string }
  | { readonly k: 'global'; readonly name: string }
  | { readonly k: 'deref'; readonly e: Expr };

/** One printf conversion the compiler recognised (spec §5.1), with its position in the format. */
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
  | { readonly k: 'assign'; readonly target: LValue; readonly op: string; readonly e: Expr | null }
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
      readonly cond: Expr | null;
      readonly step: Stmt | null;
      readonly body: readonly Stmt[];
    }
  | { readonly k: 'break' }
  | { readonly k: 'continue' };

export interface CompiledScript {
  readonly source: string;
  readonly statements: readonly Stmt[];
}
