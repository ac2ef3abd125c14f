// The built CLI (dist/cli/index.mjs): `asm` prints what a code { } block takes or errors with line
// numbers and exit 2, `disasm` prints the annotated listing, `library` works on a data folder
// (a fresh one gets the built-ins; a hostile import or a corrupt database changes nothing).
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distDir, tempDir } from '../../helpers/paths';

const CLI = join(distDir, 'cli/index.mjs');

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SEED_IMAGE_NAME =
  'mov    rax,QWORD PTR gs:0x188\nmov    rax,QWORD PTR [rax+0xb8]\nadd    rax,0x450\nret';

describe('hyperdbg-studio asm', () => {
  it('prints the seed bytes for the seed listing, from an argument and from stdin', () => {
    const fromArg = cli(['asm', SEED_IMAGE_NAME]);
    expect(fromArg).toMatchObject({
      code: 0,
      stdout: '65488B042588010000488B80B8000000480550040000C3\n',
    });
    const fromStdin = cli(['asm', '-'], SEED_IMAGE_NAME);
    expect(fromStdin.stdout).toBe(fromArg.stdout);
    expect(cli(['asm'], SEED_IMAGE_NAME).stdout).toBe(fromArg.stdout);
  });

  it('exits 2 with the failing lines on stderr and nothing on stdout', () => {
    const r = cli(['asm', '-'], 'nop\nfoo rax\nmov rax, [rcx+]\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/line 2: error: .*mnemonic/i);
  });

  it('reports a syntax error with its line', () => {
    const r = cli(['asm', '-'], 'nop\nnop\nmov rax, [rcx+]\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 3: error/);
  });

  it('prints lint warnings on stderr and still the bytes', () => {
    const r = cli([
      'asm',
      '--buffer',
      '18',
      '--target',
      'sim',
      'mov qword ptr [rcx+0x18], rax\nret',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('48894118C3\n');
    expect(r.stderr).toMatch(/line 1: warning: .*outside the 0x18-byte safe buffer/);
  });

  it('refuses bad options with exit 2', () => {
    expect(cli(['asm', '--event', 'nope', 'ret']).code).toBe(2);
    expect(cli(['asm', '--buffer', '3e8', 'ret']).code).toBe(2);
    expect(cli(['asm', '--bogus', 'ret']).code).toBe(2);
  });
});

describe('hyperdbg-studio disasm', () => {
  it('prints the annotated seed-style listing', () => {
    const r = cli([
      'disasm',
      '--event',
      'epthook2',
      '488B5A404881FB484442477402EB0848C7424048444232C3',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^0: {2}48 8b 5a 40 {13}mov {4}rbx,QWORD PTR \[rdx\+0x40\] .*Regs->r8/,
    );
    expect(r.stdout).toContain("0x47424448 = 'HDBG'");
  });

  it('annotates condition code with its registers (--condition) and takes spaced hex on stdin', () => {
    const r = cli(['disasm', '--condition', '--event', '!cpuid', '-'], '48 83 79 40 55 48 89 D0\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[rcx+0x40] = Regs->r8');
    expect(r.stdout).toContain('Context (!cpuid)');
  });

  it('prints source that assembles back (--source)', () => {
    const r = cli(['disasm', '--source', '65488B042588010000C3']);
    expect(r.stdout).toBe('mov rax, qword ptr gs:[0x188]\nret\n');
    expect(cli(['asm', r.stdout]).stdout).toBe('65488B042588010000C3\n');
  });

  it('refuses an odd number of hex digits with exit 2', () => {
    const r = cli(['disasm', '909']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a whole number of bytes/);
  });
});

describe('hyperdbg-studio library', () => {
  it('gives a fresh data folder the built-ins, shows one, exports and imports', () => {
    const dir = tempDir();
    const list = cli(['library', 'list', '--data-dir', dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('Rewrite pool tag HDBG to HDB2');
    expect(list.stdout).toContain('built-in pristine');
    expect(list.stdout.trim().split('\n')).toHaveLength(8);

    const show = cli(['library', 'show', 'rewrite pool tag hdbg to hdb2', '--data-dir', dir]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Code bytes: 488B5A404881FB484442477402EB0848C7424048444232C3');
    expect(show.stdout).toContain('[rdx+0x40] = Regs->r8');

    const out = join(dir, 'export.json');
    expect(
      cli(['library', 'export', 'Per-core event counter', '--out', out, '--data-dir', dir]).code,
    ).toBe(0);
    const other = tempDir();
    const imported = cli(['library', 'import', out, '--data-dir', other]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/skipped Per-core event counter: already in the library/);
  });

  it('refuses a hostile import with exit 2 and leaves the library as it was', () => {
    const dir = tempDir();
    const file = join(dir, 'evil.json');
    writeFileSync(
      file,
      '{"format":"hyperdbg-studio/actions","formatVersion":1,"actions":[{"__proto__":{}}]',
    );
    const r = cli(['library', 'import', file, '--data-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/evil\.json: .*nothing was imported/);
    expect(cli(['library', 'list', '--data-dir', dir]).stdout.trim().split('\n')).toHaveLength(8);
  });

  it('imports a HyperDbg script file as log actions', () => {
    const dir = tempDir();
    const file = join(dir, 'trace.hds');
    writeFileSync(file, '# trace\n!cpuid script { printf("%x\\n", $context); }\n');
    const r = cli(['library', 'import', file, '--data-dir', dir]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/imported trace: !cpuid/);
  });

  it('refuses a file that is not valid UTF-8, saying where, instead of replacing characters', () => {
    const dir = tempDir();
    const file = join(dir, 'latin1.ds');
    // "café" in Latin-1 on line 2: 0xE9 followed by a newline is not UTF-8.
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('# trace\n!cpuid script { printf("caf'),
        Buffer.from([0xe9]),
        Buffer.from('\\n"); }\n'),
      ]),
    );
    const before = cli(['library', 'list', '--data-dir', dir]).stdout;
    const r = cli(['library', 'import', file, '--data-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/latin1\.ds: not valid UTF-8 at line 2, column 28 \(byte 35: 0xe9\)/);
    // Nothing was imported.
    expect(cli(['library', 'list', '--data-dir', dir]).stdout).toBe(before);
  });

  it('refuses a foreign SQLite file instead of migrating it, and leaves it byte-identical', () => {
    const dir = tempDir();
    const db = join(dir, 'library.sqlite3');
    const foreign = new Database(db);
    foreign.exec('CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)');
    foreign.exec("INSERT INTO moz_places (url) VALUES ('https://example.org/')");
    foreign.close();
    const before = readFileSync(db);
    const r = cli(['library', 'list', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/library\.sqlite3 is not a HyperDbg Studio library.*moz_places/);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('refuses a corrupt database with exit 1 and leaves it byte-identical', () => {
    const dir = tempDir();
    const db = join(dir, 'library.sqlite3');
    writeFileSync(db, 'definitely not sqlite '.repeat(100));
    const before = readFileSync(db);
    const r = cli(['library', 'list', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a readable SQLite database/);
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});
