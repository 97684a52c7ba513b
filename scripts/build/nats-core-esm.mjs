// @nats-io/nats-core 3.x is published as CommonJS whose exports a per-file CJS transform cannot
// see (TypeScript re-export getters). The browser test server therefore serves one ESM bundle of
// it, made with esbuild and naming every export that Node's require() sees.
import { createRequire } from 'node:module';
import { buildSync } from 'esbuild';

const require = createRequire(import.meta.url);
let cached;

/** ESM source of @nats-io/nats-core for the browser (built once per process). */
export function natsCoreEsm() {
  if (cached) return cached;
  const names = Object.keys(require('@nats-io/nats-core')).filter((n) => n !== '__esModule' && n !== 'default');
  const result = buildSync({
    stdin: { contents: `export { ${names.join(', ')} } from '@nats-io/nats-core';`, resolveDir: process.cwd() },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  cached = result.outputFiles[0].text;
  return cached;
}
