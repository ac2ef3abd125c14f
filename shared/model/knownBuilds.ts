// The table of known Windows builds (resources/windows-builds.json): structure offsets an action
// may name symbolically (`EPROCESS.ImageFileName`), per build, with the public sources they come
// from; and how a field path is resolved for a target (its symbols first, then this table). Pure.
import { z } from 'zod';

export const KNOWN_BUILDS_FORMAT = 'hyperdbg-studio/windows-builds';

/**
 * The build whose offsets a saved action's stored bytes use when its source names structure
 * fields: Windows 10 2004, the first of the layout 19041-22631 share. Binding resolves again for
 * the target's own build; the stored bytes only make exports and `library show` concrete.
 */
export const REFERENCE_BUILD = 19041;

/** Longest field path (`STRUCT.Member.Sub`): well past any real nesting. */
export const MAX_FIELD_PATH_LENGTH = 200;
/** A path: a structure name, then one or more member names, dot-separated. */
export const FIELD_PATH_RE = /^_?[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** Build numbers fit in 16 bits today (26100); the table refuses anything past this. */
const MAX_BUILD = 99_999;
const OFFSET_RE = /^0x[0-9a-f]{1,6}$/;

const sourceSchema = z
  .object({ title: z.string().min(1).max(300), url: z.string().url().max(500) })
  .strict();

const buildSchema = z
  .object({
    build: z.number().int().min(1).max(MAX_BUILD),
    release: z.string().min(1).max(80),
    sources: z.array(z.string().min(1).max(60)).min(1).max(10),
    offsets: z.record(
      z.string().regex(FIELD_PATH_RE).max(MAX_FIELD_PATH_LENGTH),
      z.string().regex(OFFSET_RE, 'offsets are lower-case hex strings like 0x5a8'),
    ),
  })
  .strict();

export const knownBuildsFileSchema = z
  .object({
    format: z.literal(KNOWN_BUILDS_FORMAT),
    formatVersion: z.literal(1),
    description: z.string().max(2000),
    sources: z.record(z.string().min(1).max(60), sourceSchema),
    fields: z.record(z.string().regex(FIELD_PATH_RE).max(MAX_FIELD_PATH_LENGTH), z.string()),
    builds: z.array(buildSchema).min(1).max(500),
  })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<number>();
    f.builds.forEach((b, i) => {
      if (seen.has(b.build))
        ctx.addIssue({ code: 'custom', path: ['builds', i, 'build'], message: 'listed twice' });
      seen.add(b.build);
      for (const s of b.sources)
        if (f.sources[s] === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['builds', i, 'sources'],
            message: `source '${s}' is not described under "sources"`,
          });
      for (const path of Object.keys(b.offsets))
        if (f.fields[path] === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['builds', i, 'offsets', path],
            message: `field '${path}' is not described under "fields"`,
          });
    });
  });

export interface KnownBuild {
  readonly build: number;
  readonly release: string;
  readonly sources: readonly {
    readonly id: string;
    readonly title: string;
    readonly url: string;
  }[];
  readonly offsets: ReadonlyMap<string, number>;
}

export interface KnownBuilds {
  readonly builds: readonly KnownBuild[];
  /** Field path -> what it is. */
  readonly fields: ReadonlyMap<string, string>;
}

/** The table from its file's text; an error names what is wrong and where. */
export function parseKnownBuilds(
  text: string,
): { ok: true; value: KnownBuilds } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = knownBuildsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    };
  }
  const f = parsed.data;
  return {
    ok: true,
    value: {
      fields: new Map(Object.entries(f.fields)),
      builds: f.builds
        .map((b) => ({
          build: b.build,
          release: b.release,
          sources: b.sources.map((id) => ({
            id,
            ...(f.sources[id] as z.infer<typeof sourceSchema>),
          })),
          offsets: new Map(Object.entries(b.offsets).map(([k, v]) => [k, Number.parseInt(v, 16)])),
        }))
        .sort((a, b) => a.build - b.build),
    },
  };
}

export function knownBuild(table: KnownBuilds, build: number): KnownBuild | undefined {
  return table.builds.find((b) => b.build === build);
}

/** `Windows 10 1909 (build 18363)`, or `build 20000` for one the table does not know. */
export function describeBuild(table: KnownBuilds | null, build: number): string {
  const k = table === null ? undefined : knownBuild(table, build);
  return k === undefined ? `build ${build}` : `${k.release} (build ${build})`;
}

/**
 * A path as the table spells it: `_EPROCESS.ImageFileName` and `nt!_EPROCESS.ImageFileName`
 * name the same field as `EPROCESS.ImageFileName`. Null when it is not a field path.
 */
export function normalizeFieldPath(text: string): string | null {
  const bare = text.replace(/^nt!/i, '');
  if (bare.length > MAX_FIELD_PATH_LENGTH || !FIELD_PATH_RE.test(bare)) return null;
  return bare.replace(/^_/, '');
}

/** Where a resolved offset came from, in words the listing shows. */
export type FieldOrigin =
  | {
      readonly kind: 'symbols';
      /** The `dt` commands whose answers gave it, e.g. `dt nt!_KTHREAD, dt nt!_KAPC_STATE`. */
      readonly detail: string;
    }
  | {
      readonly kind: 'table';
      readonly build: number;
      readonly release: string;
      readonly sources: readonly string[];
    };

export interface ResolvedField {
  readonly path: string;
  readonly value: number;
  readonly origin: FieldOrigin;
}

/** What a target offers to resolve field paths. */
export interface FieldEnvironment {
  /** The target's Windows build, or null when it is not known. */
  readonly build: number | null;
  /** How the build was learned, for messages (`the debuggee's connect line`, `chosen`). */
  readonly buildSource: string;
  /** Offsets the target's symbols gave (`dt`), by normalized path. */
  readonly symbols: ReadonlyMap<string, { readonly value: number; readonly detail: string }>;
  /** Why symbols could not be asked, when they could not (shown with a table miss). */
  readonly symbolsNote: string | null;
  readonly table: KnownBuilds;
  /** The reference build of saved bytes, not a real target: listings name no target then. */
  readonly reference?: boolean;
}

/** Where a value came from, short: `symbols: dt nt!_EPROCESS`, `table: Windows 10 1909 (build 18363), Vergilius Project`. */
export function originText(o: FieldOrigin): string {
  if (o.kind === 'symbols') return `symbols: ${o.detail}`;
  const first = o.sources[0]?.split(',')[0];
  return `table: ${o.release} (build ${o.build})${first !== undefined ? `, ${first}` : ''}`;
}

/** The offset a path has on the environment's target, or why it has none. */
export function resolveFieldPath(
  env: FieldEnvironment,
  text: string,
): { ok: true; field: ResolvedField } | { ok: false; error: string } {
  const path = normalizeFieldPath(text);
  if (path === null)
    return {
      ok: false,
      error: `'${text}' is not a field path (STRUCT.Member, e.g. EPROCESS.ImageFileName)`,
    };
  const sym = env.symbols.get(path);
  if (sym !== undefined)
    return {
      ok: true,
      field: { path, value: sym.value, origin: { kind: 'symbols', detail: sym.detail } },
    };
  const known = env.table.fields.has(path);
  if (!known) {
    const struct = path.split('.')[0] as string;
    const siblings = [...env.table.fields.keys()]
      .filter((p) => p.startsWith(`${struct}.`))
      .map((p) => p.slice(struct.length + 1));
    const what =
      siblings.length > 0
        ? `the table of known builds has ${struct}: ${siblings.join(', ')}`
        : `the table of known builds has no ${struct} fields (it has ${[...new Set([...env.table.fields.keys()].map((p) => p.split('.')[0]))].join(', ')})`;
    return {
      ok: false,
      error: `${path}: not a field the target's symbols gave${env.symbolsNote !== null ? ` (${env.symbolsNote})` : ''}, and ${what}`,
    };
  }
  if (env.build === null)
    return {
      ok: false,
      error: `${path}: the target's Windows build is not known${env.buildSource !== '' ? ` (${env.buildSource})` : ''}, so its offset cannot be chosen; connect to the target, or choose a build`,
    };
  const b = knownBuild(env.table, env.build);
  if (b === undefined)
    return {
      ok: false,
      error: `${path}: build ${env.build} is not in the table of known Windows builds (${env.table.builds.map((x) => x.build).join(', ')}) and the target's symbols did not give it${env.symbolsNote !== null ? ` (${env.symbolsNote})` : ''}: load the target's symbols (.sym reload) or use a known build`,
    };
  const value = b.offsets.get(path);
  if (value === undefined)
    return {
      ok: false,
      error: `${path}: the table of known builds has no value for ${b.release} (build ${b.build})`,
    };
  return {
    ok: true,
    field: {
      path,
      value,
      origin: {
        kind: 'table',
        build: b.build,
        release: b.release,
        sources: b.sources.map((s) => s.title),
      },
    },
  };
}

/** The structure a path starts from and its members, e.g. `KTHREAD`, [`ApcState`, `Process`]. */
export function splitFieldPath(path: string): { struct: string; members: string[] } {
  const [struct, ...members] = path.split('.');
  return { struct: struct as string, members };
}

/** An environment with the table alone, for a chosen build (no symbols). */
export function tableEnvironment(
  table: KnownBuilds,
  build: number | null,
  buildSource: string,
): FieldEnvironment {
  return { build, buildSource, symbols: new Map(), symbolsNote: null, table };
}

/** The environment in words: `Windows 10 1909 (build 18363), the connected target`. */
export function describeEnvironment(env: FieldEnvironment): string {
  const what = env.build === null ? 'an unknown build' : describeBuild(env.table, env.build);
  return env.buildSource === '' ? what : `${what}, ${env.buildSource}`;
}
