// No tracked file cites a path outside the repository (docs/DEVELOPING.md, Citations): a `../`
// that climbs out of it, a document (`*.md`) the repository does not have, a notes folder beside it
// (`shared/<folder>` that is not ours) or an absolute path into someone's machine.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths';

/**
 * Files whose text describes other places on purpose: lint fixtures stand for files elsewhere,
 * the ESLint config's import patterns are relative to the importing file, and captured sessions
 * (a `.logopen` file from the analyst's Windows machine) hold that machine's paths as data.
 */
const EXEMPT = [
  /^eslint\.config\.js$/,
  /^test\/fixtures\/lint\//,
  /^test\/fixtures\/sessions\/[^/]+\.logopen$/,
  /^test\/static\/citations\.test\.ts$/,
  /^package-lock\.json$/,
];
const BINARY = /\.(png|jpe?g|gif|ico|icns|woff2?|ttf|wasm|sqlite3?|node|zip|gz|exe|dll)$/i;

/** `../` runs followed by a path. */
const CLIMB = /(?<![\w./-])((?:\.\.\/)+[\w@.-]+(?:\/[\w@.-]+)*)/g;
/** A cited document: a name ending in `.md`, perhaps with a folder, not part of a URL. */
const DOCUMENT = /(?<![\w/:.-])((?:[\w@.-]+\/)*[\w@-][\w@.-]*\.md)\b/g;
/** A path under `shared/`: its first folder must be one of ours. */
const SHARED_FOLDER = /(?<![\w.-])(?:\.\.\/)*shared\/([\w-]+)\//g;
/** Absolute paths that only exist on somebody's machine. */
const MACHINE_PATH =
  /(?<![\w.-])(\/work\/|\/home\/[\w.-]+\/|\/root\/(?!\.cache\/)|[A-Z]:\\Users\\)/g;

interface Repository {
  readonly files: ReadonlySet<string>;
  readonly basenames: ReadonlySet<string>;
  readonly sharedFolders: ReadonlySet<string>;
}

function repository(files: readonly string[]): Repository {
  const sharedFolders = new Set<string>();
  for (const f of files) {
    const m = /^shared\/([^/]+)\//.exec(f);
    if (m !== null) sharedFolders.add(m[1] as string);
  }
  return {
    files: new Set(files),
    basenames: new Set(files.map((f) => basename(f))),
    sharedFolders,
  };
}

/** Every citation in `text` (the content of repository file `file`) that leaves the repository. */
function outsideCitations(file: string, text: string, repo: Repository): string[] {
  const found: string[] = [];
  const dir = posix.dirname(file);
  for (const m of text.matchAll(CLIMB)) {
    const target = posix.normalize(posix.join(dir, m[1] as string));
    if (target === '..' || target.startsWith('../')) found.push(m[1] as string);
  }
  for (const m of text.matchAll(DOCUMENT)) {
    const cited = m[1] as string;
    // HyperDbg's own files are cited as paths of its repository (docs/hyperdbg-v0.23.md).
    if (cited.startsWith('hyperdbg/')) continue;
    const candidates = [posix.normalize(posix.join(dir, cited)), posix.normalize(cited)];
    const known = cited.includes('/')
      ? candidates.some((c) => repo.files.has(c))
      : repo.basenames.has(cited);
    if (!known) found.push(cited);
  }
  for (const m of text.matchAll(SHARED_FOLDER))
    if (!repo.sharedFolders.has(m[1] as string)) found.push(m[0]);
  for (const m of text.matchAll(MACHINE_PATH)) found.push(m[1] as string);
  return found;
}

function trackedFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f.length > 0);
  } catch {
    // Not a git checkout (an unpacked archive): every file but the generated folders.
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (['node_modules', 'dist', '.git', 'test-artifacts', 'bench-results'].includes(e.name))
          continue;
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else out.push(relative(repoRoot, p).split('\\').join('/'));
      }
    };
    walk(repoRoot);
    return out;
  }
}

describe('citations stay inside the repository', () => {
  const files = trackedFiles();
  const repo = repository(files);

  it('the checker finds each kind of outside citation, and accepts inside ones', () => {
    const r = repository([
      'README.md',
      'docs/hyperdbg-v0.23.md',
      'docs/buffer-records.md',
      'shared/model/record.ts',
      'electron/host/x.ts',
    ]);
    const up = '../';
    expect(
      outsideCitations('README.md', `see \`${up}shared/spec/buffer-records.md\` §1`, r),
    ).toEqual([
      `${up}shared/spec/buffer-records.md`,
      `${up}shared/spec/buffer-records.md`,
      `${up}shared/spec/`,
    ]);
    expect(
      outsideCitations('docs/DEVELOPING.md', `Read with \`${up}shared/design/notes.md\``, r),
    ).toEqual([`${up}shared/design/notes.md`, `${up}shared/design/`]);
    expect(outsideCitations('test/a.test.ts', '// (how-to-create-an-action.md)', r)).toEqual([
      'how-to-create-an-action.md',
    ]);
    expect(outsideCitations('x.ts', `notes in ${'/wo'}rk/shared/spec`, r)).toEqual([`${'/wo'}rk/`]);
    // Inside the repository: imports, docs by path or by name, HyperDbg's files, URLs.
    expect(
      outsideCitations(
        'electron/host/x.ts',
        "import { r } from '../../shared/model/record';\n// spec §5.6 (docs/hyperdbg-v0.23.md, buffer-records.md §2)\n// hyperdbg/CHANGELOG.md; https://example.org/a.md",
        r,
      ),
    ).toEqual([]);
  });

  it('no tracked file cites a path outside the repository', () => {
    const offenders: string[] = [];
    for (const f of files) {
      if (BINARY.test(f) || EXEMPT.some((e) => e.test(f))) continue;
      let text: string;
      try {
        text = readFileSync(join(repoRoot, f), 'utf8');
      } catch {
        continue; // listed by git but deleted in the work tree
      }
      for (const c of outsideCitations(f, text, repo)) offenders.push(`${f}: ${c}`);
    }
    expect(offenders).toEqual([]);
  });
});
