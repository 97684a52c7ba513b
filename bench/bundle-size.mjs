#!/usr/bin/env node
// Bundle sizes: minified and gzip sizes of the self-contained browser bundles (dist/browser/*.min.js,
// built by rollup when missing or older than the sources), of @nats-io/nats-core alone (with its
// dependencies nkeys, nuid and tweetnacl's compact build, as in the bundles), and what
// the full bundle is made of (per package and the largest modules, from an esbuild metafile of the
// same entry: sizes after minification, before gzip).
// Usage: node bench/bundle-size.mjs [--build] [--json]   (npm run bench:bundle)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const TARGET_GZIP = 70 * 1024; // the full bundle (client + every element + Lit + nats-core)
const FULL = 'dist/browser/nunect.min.js';
// As rollup.config.mjs does for the browser bundles: tweetnacl's compact build.
const COMPACT_NACL = { tweetnacl: 'tweetnacl/nacl.js' };
const BUNDLES = ['dist/browser/nunect-client.min.js', FULL];

/** Newest modification time of the sources that go into the bundles. */
function newestSource() {
  let newest = statSync(join(root, 'package.json')).mtimeMs;
  for (const dir of ['client', 'src', 'components']) {
    for (const f of readdirSync(join(root, dir), { recursive: true })) {
      if (!/\.ts$/.test(f) || /\.(test|stories)\.ts$/.test(f)) continue;
      newest = Math.max(newest, statSync(join(root, dir, f)).mtimeMs);
    }
  }
  return newest;
}

function ensureBuilt() {
  const stale = BUNDLES.some((b) => !existsSync(join(root, b)) || statSync(join(root, b)).mtimeMs < newestSource());
  if (!stale && !args.has('--build')) return;
  console.error('Building the bundles (rollup -c)…');
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/rollup/dist/bin/rollup'), '-c', '--silent'], { cwd: root, stdio: 'inherit' });
  } catch {
    console.error('The build failed (see above); no sizes.');
    process.exit(1);
  }
}

function sizes(bytes) {
  return {
    min: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const kB = (n) => `${(n / 1024).toFixed(1)} kB`;

/** The package a bundled file belongs to (`nunect` for the project's own files). */
function packageOf(path) {
  const m = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  return m ? m[1] : `nunect/${path.split('/')[0]}`;
}

async function metafileOf(entry) {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['browser', 'production'],
    tsconfig: join(root, 'tsconfig.json'),
    external: ['crypto'],
    alias: COMPACT_NACL,
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const [output] = Object.values(result.metafile.outputs);
  const modules = Object.entries(output.inputs).map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }));
  return { modules, code: result.outputFiles[0].contents };
}

ensureBuilt();

const report = { bundles: {}, natsCore: undefined, breakdown: undefined, targetGzip: TARGET_GZIP };
for (const b of BUNDLES) report.bundles[b] = sizes(readFileSync(join(root, b)));
// Chunks loaded on demand (the nkeys code, for nkey/JWT/creds logins only).
for (const f of readdirSync(join(root, 'dist/browser/chunks')).filter((f) => f.endsWith('.js'))) {
  report.bundles[`dist/browser/chunks/${f} (on demand)`] = sizes(readFileSync(join(root, 'dist/browser/chunks', f)));
}

// nats-core alone, as nunect uses it (what client/ imports), and the whole package.
const natsOnly = await build({
  stdin: { contents: `export * from '@nats-io/nats-core';`, resolveDir: root },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  external: ['crypto'],
  alias: COMPACT_NACL,
  write: false,
  logLevel: 'error',
});
const full = await metafileOf('src/index.ts');
const byPackage = new Map();
for (const m of full.modules) byPackage.set(packageOf(m.path), (byPackage.get(packageOf(m.path)) ?? 0) + m.bytes);
report.natsCore = {
  wholePackage: sizes(natsOnly.outputFiles[0].contents),
  inFullBundle: byPackage.get('@nats-io/nats-core') ?? 0,
};
report.breakdown = {
  esbuildTotal: sizes(full.code),
  packages: [...byPackage].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => ({ name, bytes })),
  largestModules: full.modules
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, Number(process.env.NUNECT_TOP ?? 15))
    .map((m) => ({ path: relative(root, join(root, m.path)), bytes: m.bytes })),
};

// The stock manager pages (dist/manager, `npm run build:manager`): what each page loads — manager.js
// and its static imports (the monitoring page), plus the on-demand elements of the units and data
// pages, and the JetStream/KV/services libraries those load when first used.
function managerPages() {
  const dir = join(root, 'dist/manager');
  const entry = join(dir, 'manager.js');
  if (!existsSync(entry)) return undefined;
  const read = (f) => readFileSync(join(dir, f), 'utf8');
  const staticImports = (code) => [...code.matchAll(/(?:^|[;}\s])import\s*(?:[^"'()]*?from\s*)?["']\.\/(?:chunks\/)?([^"']+)["']/g)].map((m) => m[1]);
  const dynamicImports = (code) => [...code.matchAll(/import\(["']\.\/(?:chunks\/)?([^"']+)["']\)/g)].map((m) => m[1]);
  const path = (f) => (f === 'manager.js' ? f : `chunks/${f}`);
  /** Every file loaded with `files` (their static imports, transitively). */
  const closure = (files, seen = new Set()) => {
    for (const f of files) {
      if (seen.has(f)) continue;
      seen.add(f);
      closure(staticImports(read(path(f))), seen);
    }
    return seen;
  };
  const gz = (set) => [...set].reduce((n, f) => n + gzipSync(readFileSync(join(dir, path(f))), { level: 9 }).length, 0);
  const monitoring = closure(['manager.js']);
  const onDemand = Object.fromEntries([...read('manager.js').matchAll(/"(nunect-[a-z-]+)":\(\)=>import\("\.\/chunks\/([^"]+)"\)/g)].map((m) => [m[1], m[2]]));
  const page = (tags) => {
    const set = closure(tags.map((t) => onDemand[t]).filter(Boolean), new Set(monitoring));
    const lazy = closure(
      [...set].flatMap((f) => dynamicImports(read(path(f)))).filter((f) => !set.has(f)),
      new Set(set),
    );
    return { gzip: gz(set), withLibraries: gz(lazy) };
  };
  return {
    monitoring: { gzip: gz(monitoring), withLibraries: gz(monitoring) },
    units: page(['nunect-units', 'nunect-log-tail']),
    data: page(['nunect-streams', 'nunect-kv', 'nunect-tail', 'nunect-publish', 'nunect-services']),
  };
}
report.managerPages = managerPages();

if (args.has('--json')) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log('Browser bundles (rollup + terser)               minified      gzip    brotli');
  for (const [b, s] of Object.entries(report.bundles)) {
    console.log(`  ${b.padEnd(44)} ${kB(s.min).padStart(10)} ${kB(s.gzip).padStart(9)} ${kB(s.brotli).padStart(9)}`);
  }
  const w = report.natsCore.wholePackage;
  console.log(`  ${'@nats-io/nats-core + deps alone (esbuild)'.padEnd(44)} ${kB(w.min).padStart(10)} ${kB(w.gzip).padStart(9)} ${kB(w.brotli).padStart(9)}`);
  console.log(`\nWhat ${FULL} is made of (esbuild, minified bytes before gzip; total ${kB(report.breakdown.esbuildTotal.min)}):`);
  for (const p of report.breakdown.packages) console.log(`  ${p.name.padEnd(44)} ${kB(p.bytes).padStart(10)}`);
  console.log('\nLargest modules:');
  for (const m of report.breakdown.largestModules) console.log(`  ${m.path.padEnd(70)} ${kB(m.bytes).padStart(10)}`);
  const gz = report.bundles[FULL].gzip;
  console.log(
    `\n${FULL}: ${kB(gz)} gzip loaded by every page — target ≤ ${kB(TARGET_GZIP)}: ${gz <= TARGET_GZIP ? 'within' : `OVER by ${kB(gz - TARGET_GZIP)}`}`,
  );
  console.log('(a key-based login — nkey, JWT or .creds — also loads the nkeys chunk listed above)');
  if (report.managerPages) {
    console.log('\nThe manager pages (dist/manager), gzip: what the page loads · with the libraries its widgets load when used');
    for (const [name, p] of Object.entries(report.managerPages))
      console.log(`  ${name.padEnd(12)} ${kB(p.gzip).padStart(9)} · ${kB(p.withLibraries).padStart(9)}`);
  } else {
    console.log('\n(npm run build:manager for the sizes of the manager pages)');
  }
}
