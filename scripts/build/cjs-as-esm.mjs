// @nats-io/nats-core 3.x and @nats-io/nkeys are published as CommonJS whose exports a per-file CJS
// transform cannot see (TypeScript re-export getters). The browser test server therefore serves
// each as one ESM bundle, made with esbuild and naming every export that Node's require() sees.
import { createRequire } from 'node:module';
import { buildSync } from 'esbuild';

const require = createRequire(import.meta.url);
const cache = new Map();

/**
 * Packages served as re-exports of another's bundle, so both share one copy of their modules:
 * nats-core's public entry re-exports (the same values) from its `internal` entry, whose shared
 * `TD` decoder the client tunes (client/utf8.ts). Two bundles would hold two decoders.
 */
const REEXPORTS = { '@nats-io/nats-core': '@nats-io/nats-core/internal' };

/** The CommonJS packages (and entry points) the browser code imports. */
export const CJS_PACKAGES = ['@nats-io/nats-core', '@nats-io/nats-core/internal', '@nats-io/nkeys'];

/**
 * ESM source of a CommonJS package for the browser (built once per process).
 * @param urlOf where the server serves a package of CJS_PACKAGES (for re-exports).
 */
export function cjsAsEsm(pkg, urlOf) {
  if (cache.has(pkg)) return cache.get(pkg);
  const names = Object.keys(require(pkg)).filter((n) => n !== '__esModule' && n !== 'default');
  const base = REEXPORTS[pkg];
  const code = base
    ? `export { ${names.join(', ')} } from '${urlOf(base)}';\n`
    : buildSync({
        stdin: { contents: `export { ${names.join(', ')} } from '${pkg}';`, resolveDir: process.cwd() },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        logLevel: 'warning',
      }).outputFiles[0].text;
  cache.set(pkg, code);
  return code;
}
