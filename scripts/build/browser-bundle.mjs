// What every self-contained browser bundle shares (dist/browser/*.min.js, dist/manager/manager.js):
// node resolution, CommonJS (nats-core), TypeScript, minification, and two size measures —
// tweetnacl's compact build, and nkeys kept out of the main file (loaded on demand, see client/auth.ts).
import { createRequire } from 'node:module';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

const require = createRequire(import.meta.url);

/**
 * tweetnacl's compact build (nacl.js) instead of nacl-fast.js: the same API and byte-identical keys
 * and signatures, ~14 kB smaller minified; slower, which one signature per connection never notices.
 */
function compactNacl() {
  const compact = require.resolve('tweetnacl/nacl.js');
  return { name: 'nunect-compact-nacl', resolveId: (source) => (source === 'tweetnacl' ? compact : null) };
}

/** Replaces nats-core's own module `./<name>` (CommonJS, so it does not tree-shake) by an ESM stub. */
function natsCoreStub(name, source) {
  const STUB = `\0nunect-nats-core-${name}-stub`;
  return {
    name: `nunect-nats-core-${name}-stub`,
    resolveId(id, importer) {
      if (id === `./${name}` && importer && /@nats-io[\\/]nats-core[\\/]lib[\\/]/.test(importer)) return STUB;
      return null;
    },
    // ESM: virtual modules are not run through the CommonJS transform.
    load: (id) => (id === STUB ? source : null),
  };
}

/**
 * nats-core requires nkeys eagerly for its own nkey/JWT authenticators, which nunect does not use
 * (client/auth.ts signs with a dynamically imported @nats-io/nkeys). Inside nats-core, `./nkeys` is
 * replaced by a stub, so the ed25519 code is a separate chunk loaded only by nkey/JWT/creds logins.
 */
const nkeysOnDemand = () =>
  natsCoreStub(
    'nkeys',
    `const unavailable = () => { throw new Error('nats-core nkeys are not in this bundle: nunect loads @nats-io/nkeys on demand'); };
export const nkeys = { fromSeed: unavailable, fromPublic: unavailable, encode: unavailable, decode: unavailable };`,
  );

/** nats-core's benchmark tool (Bench, Metric: 5.8 kB), which no page uses, stays out of the bundles. */
const noBench = () =>
  natsCoreStub(
    'bench',
    `export class Bench { constructor() { throw new Error('nats-core Bench is not in this bundle'); } }
export class Metric { constructor() { throw new Error('nats-core Metric is not in this bundle'); } }`,
  );

/**
 * Minifies the CSS of our own `css\`…\`` templates (terser leaves template text alone): comments
 * and indentation go, and spaces around braces, semicolons, commas and colons (1.2 kB gzip of the
 * full bundle). Only the text is touched; `${…}` parts stay as they are. (html\`…\`` is left
 * alone: gzip already takes its indentation for almost nothing.)
 */
export function minifyCssTemplates() {
  const own = /[\\/](components|src)[\\/].*\.ts$/;
  const squeeze = (text) =>
    text
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};,])\s*/g, '$1')
      .replace(/:\s+/g, ':')
      .replace(/;}/g, '}')
      .trim();
  return {
    name: 'nunect-minify-css-templates',
    transform(code, id) {
      if (!own.test(id) || !code.includes('css`')) return null;
      const out = code.replace(/\bcss`((?:[^`\\$]|\\.|\$(?!\{)|\$\{[^}]*\})*)`/g, (_all, body) => {
        const parts = body.split(/(\$\{[^}]*\})/);
        return `css\`${parts.map((p) => (p.startsWith('${') ? p : squeeze(p))).join('')}\``;
      });
      return out === code ? null : { code: out, map: null };
    },
  };
}

export function onwarn(warning, warn) {
  // nkeys and nats-core have harmless import cycles.
  if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => id.includes('node_modules'))) return;
  warn(warning);
}

export function browserPlugins() {
  return [
    compactNacl(),
    nkeysOnDemand(),
    noBench(),
    nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
    commonjs({ ignore: ['crypto'] }),
    minifyCssTemplates(),
    esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' }),
    terser({ format: { comments: false } }),
  ];
}
