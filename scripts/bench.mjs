// `npm run bench [-- filter]`: bundles each test/bench/*.bench.ts, runs it in its own Node
// process (with --expose-gc), collects its BENCH_RESULT lines, prints a table and writes
// bench-results/latest.json. Every result carries its own same-run baseline; each goal is judged
// by one result. Exits 1 when a goal is missed or a benchmark crashed, so a run cannot flatter.
// `--benches DIR --results FILE` run other bench files (the runner's own test uses them).
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const { values: opts, positionals } = parseArgs({
  options: { benches: { type: 'string' }, results: { type: 'string' } },
  allowPositionals: true,
});
const filter = positionals[0];
const benchDir = resolve(root, opts.benches ?? 'test/bench');
const resultsFile = resolve(root, opts.results ?? 'bench-results/latest.json');
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filter || f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`bench: no ${benchDir}/*.bench.ts matches ${filter ?? '(all)'}`);
  process.exit(2);
}
// Beside the results, not in dist/: what dist/ holds is what ships, and benches are test code.
const outDir = `${root}/bench-results/bundles`;
mkdirSync(outDir, { recursive: true });
mkdirSync(dirname(resultsFile), { recursive: true });

const results = [];
const crashed = [];
for (const file of files) {
  const outfile = `${outDir}/${file.replace(/\.ts$/, '.mjs')}`;
  await build({
    entryPoints: [`${benchDir}/${file}`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['electron', 'playwright-core', ...Object.keys(pkg.dependencies ?? {})],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'warning',
  });
  console.log(`\n== ${file}`);
  const runner = `const m = await import(${JSON.stringify(outfile)}); const rs = await m.default(); for (const r of rs) process.stdout.write('BENCH_RESULT ' + JSON.stringify(r) + '\\n');`;
  const code = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=4096', '--input-type=module', '-e', runner],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('BENCH_RESULT ')) {
          const r = JSON.parse(line.slice(13));
          results.push({ file, ...r });
          const verdict = r.goal === null ? 'INFO' : r.goal.met ? 'MET ' : 'MISS';
          console.log(
            `  ${verdict} ${r.name}: ${r.measured.label} ${fmt(r.measured)} vs ${r.baseline.label} ${fmt(r.baseline)} -> ratio ${r.ratio.toFixed(3)} (${r.ratioMeaning})${r.goal === null ? '' : `; goal: ${r.goal.text}`}`,
          );
          if (r.spread)
            console.log(
              `       ${r.goal === null ? 'the' : 'judged on the'} median of ${r.spread.runs} runs; range ${fmtNumber(r.spread.min)} .. ${fmtNumber(r.spread.max)}`,
            );
          if (r.extra)
            console.log(
              `       ${Object.entries(r.extra)
                .map(([k, v]) => `${k}=${v}`)
                .join('  ')}`,
            );
        } else if (line.trim() !== '') console.log(`  ${line}`);
      }
    });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  if (code !== 0) crashed.push(`${file} (exit ${code})`);
}

function fmtNumber(v) {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(4);
}
function fmt(m) {
  return `${fmtNumber(m.value)} ${m.unit}`;
}

/** Why a result cannot be counted: a malformed goal, or a goal a second result judges again. */
function problems(all) {
  const out = [];
  const seen = new Set();
  for (const r of all) {
    if (r.goal === undefined || (r.goal !== null && typeof r.goal.met !== 'boolean'))
      out.push(`${r.file}: "${r.name}" has no goal: { text, met } (or null for an informing row)`);
    else if (r.goal !== null) {
      const key = `${r.file}\0${r.goal.text}`;
      if (seen.has(key)) out.push(`${r.file}: goal "${r.goal.text}" is judged by two results`);
      seen.add(key);
    }
  }
  return out;
}

const invalid = problems(results);
const goals = results.filter((r) => r.goal !== null && r.goal !== undefined);
const missed = goals.filter((r) => !r.goal.met);
const out = {
  date: new Date().toISOString(),
  node: process.version,
  results,
  goals: goals.length,
  missed: missed.map((r) => r.name),
  crashed,
  invalid,
};
writeFileSync(resultsFile, JSON.stringify(out, null, 2));
for (const c of crashed) console.log(`bench: CRASHED ${c}`);
for (const p of invalid) console.log(`bench: INVALID ${p}`);
for (const r of missed) console.log(`bench: MISSED ${r.name} (goal: ${r.goal.text})`);
console.log(
  `\nbench: ${goals.length} goals, ${goals.length - missed.length} met, ${missed.length} missed` +
    `${crashed.length > 0 ? `, ${crashed.length} benchmarks crashed` : ''}` +
    ` (${results.length} results); ${resultsFile}`,
);
process.exitCode = missed.length > 0 || crashed.length > 0 || invalid.length > 0 ? 1 : 0;
