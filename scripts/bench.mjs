// `npm run bench [-- filter]`: bundles each test/bench/*.bench.ts, runs it in its own Node
// process (with --expose-gc), collects its BENCH_RESULT lines, prints a table and writes
// bench-results/latest.json. Every result carries its own same-run baseline.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const filter = process.argv[2];
const files = readdirSync(`${root}/test/bench`)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filter || f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`bench: no test/bench/*.bench.ts matches ${filter ?? '(all)'}`);
  process.exit(2);
}
const outDir = `${root}/dist/bench`;
mkdirSync(outDir, { recursive: true });
mkdirSync(`${root}/bench-results`, { recursive: true });

const results = [];
for (const file of files) {
  const outfile = `${outDir}/${file.replace(/\.ts$/, '.mjs')}`;
  await build({
    entryPoints: [`${root}/test/bench/${file}`],
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
          console.log(
            `  ${r.goalMet ? 'MET ' : 'MISS'} ${r.name}: ${r.measured.label} ${fmt(r.measured)} vs ${r.baseline.label} ${fmt(r.baseline)} -> ratio ${r.ratio.toFixed(3)} (${r.ratioMeaning}); goal: ${r.goal}`,
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
  if (code !== 0) results.push({ file, name: `${file} crashed (exit ${code})`, goalMet: false });
}

function fmt(m) {
  const v = Math.abs(m.value) >= 100 ? m.value.toFixed(0) : m.value.toPrecision(4);
  return `${v} ${m.unit}`;
}

const out = { date: new Date().toISOString(), node: process.version, results };
writeFileSync(`${root}/bench-results/latest.json`, JSON.stringify(out, null, 2));
const missed = results.filter((r) => !r.goalMet).length;
console.log(
  `\nbench: ${results.length} results, ${results.length - missed} goals met, ${missed} missed; bench-results/latest.json`,
);
