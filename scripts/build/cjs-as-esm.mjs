// @nats-io/nats-core 3.x and @nats-io/nkeys are published as CommonJS whose exports a per-file CJS
// transform cannot see (TypeScript re-export getters). The browser test server therefore serves
// each as one ESM bundle, made with esbuild and naming every export that Node's require() sees.
import { createRequire } from 'node:module';
import { buildSync } from 'esbuild';

const require = createRequire(import.meta.url);
const cache = new Map();

/** ESM source of a CommonJS package for the browser (built once per process). */
export function cjsAsEsm(pkg) {
  if (cache.has(pkg)) return cache.get(pkg);
  const names = Object.keys(require(pkg)).filter((n) => n !== '__esModule' && n !== 'default');
  const result = buildSync({
    stdin: { contents: `export { ${names.join(', ')} } from '${pkg}';`, resolveDir: process.cwd() },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  cache.set(pkg, code);
  return code;
}

/** The CommonJS packages the browser code imports. */
export const CJS_PACKAGES = ['@nats-io/nats-core', '@nats-io/nkeys'];
