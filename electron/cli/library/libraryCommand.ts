// `library list|show|import|export [--data-dir DIR]`: the action library from the command line,
// through the same service as the app (a fresh data folder gets the built-in actions).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/contract/result';
import type { Action, ActionSummary } from '../../../shared/model/action';
import { printBufferSchema } from '../../../shared/model/bufferSchema';
import { MAX_IMPORT_BYTES } from '../../../shared/model/actionExport';
import { decodeImportBytes } from '../../../shared/model/importText';
import { assembleAction } from '../../host/asm/asmService';
import { formatListing } from '../../host/asm/listing';
import { LibraryService } from '../../host/library/libraryService';
import { defaultDataDir } from '../../host/paths';
import { StoreOpenError } from '../../host/store/database';
import { EXIT_INPUT, EXIT_UNAVAILABLE, formatDiagnostic, UsageError } from './cliSupport';

const USAGE = `usage: hyperdbg-studio library <list|show|import|export> [options] [--data-dir DIR]
  list [--deleted] [--json]           the saved actions
  show NAME|ID [--json]               one action: source, bytes, listing, schema
  import FILE...                      exchange files (.json) or HyperDbg scripts (.ds, .hds, .txt);
                                      each file is imported whole or not at all
  export [NAME|ID...] [--out FILE]    the named actions, or the whole library, as an exchange file
  --data-dir DIR                      where the library lives (default: the app's data folder)
`;

const write = (s: string) => process.stdout.write(s);

export async function runLibrary(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        deleted: { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    process.stderr.write(`hyperdbg-studio library: ${(e as Error).message}\n\n${USAGE}`);
    return EXIT_INPUT;
  }
  const { values, positionals } = parsed;
  const [sub, ...args] = positionals;
  if (values.help || sub === undefined) {
    (values.help ? process.stdout : process.stderr).write(USAGE);
    return values.help ? 0 : EXIT_INPUT;
  }
  const library = new LibraryService({
    dataDir: values['data-dir'] ?? defaultDataDir(),
    generator: 'HyperDbg Studio CLI',
  });
  try {
    switch (sub) {
      case 'list':
        return await list(library, values.json, values.deleted);
      case 'show':
        return await show(library, args, values.json);
      case 'import':
        return await importFiles(library, args);
      case 'export':
        return await exportActions(library, args, values.out);
      default:
        throw new UsageError(`unknown subcommand '${sub}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`hyperdbg-studio library: ${e.message}\n\n${USAGE}`);
      return EXIT_INPUT;
    }
    if (e instanceof StoreOpenError || (e instanceof AppError && e.code === 'unavailable')) {
      process.stderr.write(`hyperdbg-studio library: ${e.message}\n`);
      return EXIT_UNAVAILABLE;
    }
    if (e instanceof AppError) {
      process.stderr.write(`hyperdbg-studio library: ${e.message}\n`);
      return EXIT_INPUT;
    }
    throw e;
  } finally {
    await library.close();
  }
}

async function list(library: LibraryService, json: boolean, deleted: boolean): Promise<number> {
  const actions = await library.list(deleted);
  if (json) {
    write(`${JSON.stringify(actions, null, 2)}\n`);
    return 0;
  }
  const rows = actions.map((a: ActionSummary) => [
    a.name,
    a.kind,
    a.eventKinds.length === 0 ? 'any' : a.eventKinds.join(','),
    String(a.version),
    [
      a.builtin === null ? '' : `built-in ${a.builtin.state}`,
      a.assembled ? '' : 'does not assemble',
      a.deletedAt === null ? '' : 'deleted',
    ]
      .filter((x) => x !== '')
      .join(', '),
    a.id,
  ]);
  const header = ['NAME', 'KIND', 'EVENTS', 'VER', 'STATE', 'ID'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  for (const r of [header, ...rows])
    write(
      `${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ')}\n`,
    );
  return 0;
}

async function show(
  library: LibraryService,
  args: readonly string[],
  json: boolean,
): Promise<number> {
  if (args.length !== 1) throw new UsageError('show takes one action name or id');
  const action = await library.find(args[0] as string);
  if (action === undefined)
    throw new AppError('not-found', `no action named or with id '${args[0]}'`);
  if (json) {
    write(`${JSON.stringify(action, null, 2)}\n`);
    return 0;
  }
  write(describe(action));
  if (action.kind === 'code') {
    const eventKind = action.eventKinds[0] ?? null;
    for (const [role, block] of [
      ['code', action.code],
      ['condition', action.condition],
    ] as const) {
      if (block === null) continue;
      write(`\n${role === 'code' ? 'Code' : 'Condition'} source:\n${indent(block.source)}\n`);
      write(
        `${role === 'code' ? 'Code' : 'Condition'} bytes: ${block.bytesHex ?? '(does not assemble)'}\n`,
      );
      const result = await assembleAction(block.source, {
        role,
        eventKind,
        bufferSize: action.bufferSize,
        target: 'auto',
      });
      write(`\n${formatListing(result.listing)}\n`);
      for (const d of result.diagnostics) write(`${formatDiagnostic(d)}\n`);
    }
  }
  return 0;
}

function describe(a: Action): string {
  const lines = [
    `${a.name}  (${a.kind}, version ${a.version}, id ${a.id})`,
    ...(a.description === '' ? [] : ['', a.description]),
    '',
    `Events: ${a.eventKinds.length === 0 ? 'any' : a.eventKinds.join(', ')}`,
    ...(a.tags.length === 0 ? [] : [`Tags: ${a.tags.join(', ')}`]),
    ...(a.windowsBuilds === null
      ? []
      : [
          `Windows builds: ${a.windowsBuilds.minBuild ?? 'any'} .. ${a.windowsBuilds.maxBuild ?? 'any'}${a.windowsBuilds.note === '' ? '' : ` (${a.windowsBuilds.note})`}`,
        ]),
    ...(a.builtin === null ? [] : [`Built-in: ${a.builtin.key}, revision ${a.builtin.revision}`]),
  ];
  if (a.kind !== 'break') {
    lines.push(`Buffer: 0x${a.bufferSize.toString(16)} bytes`);
    if (a.bufferSchema.length > 0) lines.push('Schema:', indent(printBufferSchema(a.bufferSchema)));
  }
  if (a.kind === 'log') lines.push('', 'Script:', indent(a.script));
  return `${lines.join('\n')}\n`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

async function importFiles(library: LibraryService, files: readonly string[]): Promise<number> {
  if (files.length === 0) throw new UsageError('import takes one or more files');
  let refused = 0;
  for (const file of files) {
    let content: string;
    try {
      const buf = readFileSync(file);
      if (buf.length > MAX_IMPORT_BYTES)
        throw new AppError(
          'invalid-input',
          `${file} is ${buf.length} bytes; at most ${MAX_IMPORT_BYTES}`,
        );
      // Strict UTF-8: a byte that is not would otherwise become U+FFFD without a word.
      const decoded = decodeImportBytes(buf);
      if (!decoded.ok) throw new AppError('invalid-input', `${basename(file)}: ${decoded.message}`);
      content = decoded.text;
      const report = await library.importFile(file, content);
      for (const a of report.imported)
        write(
          `imported ${a.name}${a.renamedFrom === null ? '' : ` (renamed from '${a.renamedFrom}')`}  ${a.id}\n`,
        );
      for (const s of report.skipped) write(`skipped ${s.name}: ${s.reason}\n`);
    } catch (e) {
      if (e instanceof StoreOpenError) throw e;
      if (!(e instanceof AppError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
      refused++;
      process.stderr.write(`hyperdbg-studio library import: ${(e as Error).message}\n`);
    }
  }
  return refused === 0 ? 0 : EXIT_INPUT;
}

async function exportActions(
  library: LibraryService,
  names: readonly string[],
  out: string | undefined,
): Promise<number> {
  let ids: string[] | undefined;
  if (names.length > 0) {
    ids = [];
    for (const n of names) {
      const a = await library.find(n);
      if (a === undefined) throw new AppError('not-found', `no action named or with id '${n}'`);
      ids.push(a.id);
    }
  }
  const file = await library.exportActions(ids);
  if (out === undefined) write(file.content);
  else {
    writeFileSync(out, file.content);
    process.stderr.write(`exported ${file.count} action(s) to ${out}\n`);
  }
  return 0;
}
