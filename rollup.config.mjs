// Builds the npm entry points (dependencies external) and self-contained browser bundles.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

const ts = () => esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' });
const external = (id) => /^(@nats-io\/|lit|@lit\/|ws$|node:)/.test(id);

/**
 * One class entry and one define entry per widget folder: `components/<name>/nunect-<name>.ts`
 * → `dist/components/<name>/nunect-<name>.js` and `components/<name>/define.ts` →
 * `dist/components/<name>/define.js` (package exports `nunect/<name>` and `nunect/<name>/define`).
 */
export function widgetNames() {
  return readdirSync('components', { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`components/${d.name}/define.ts`) && existsSync(`components/${d.name}/nunect-${d.name}.ts`))
    .map((d) => d.name)
    .sort();
}

const componentInputs = Object.fromEntries(
  widgetNames().flatMap((name) => [
    [`components/${name}/nunect-${name}`, `components/${name}/nunect-${name}.ts`],
    [`components/${name}/define`, `components/${name}/define.ts`],
  ]),
);

/**
 * Fails the build when a widget folder is not published: every widget needs its two package
 * exports and an import of its define module in src/index.ts (the all-in-one entry).
 */
function checkWidgetEntries() {
  return {
    name: 'nunect-check-widget-entries',
    buildStart() {
      const exports = JSON.parse(readFileSync('package.json', 'utf8')).exports ?? {};
      const index = readFileSync('src/index.ts', 'utf8');
      const missing = [];
      for (const name of widgetNames()) {
        const cls = `./dist/components/${name}/nunect-${name}.js`;
        const def = `./dist/components/${name}/define.js`;
        if (exports[`./${name}`]?.default !== cls) {
          missing.push(`package.json exports "./${name}": { "types": "./dist/types/components/${name}/nunect-${name}.d.ts", "default": "${cls}" }`);
        }
        if (exports[`./${name}/define`]?.default !== def) {
          missing.push(`package.json exports "./${name}/define": { "types": "./dist/types/components/${name}/define.d.ts", "default": "${def}" }`);
        }
        if (!index.includes(`'../components/${name}/define.js'`)) missing.push(`src/index.ts: import '../components/${name}/define.js' (and export its class)`);
      }
      if (missing.length) this.error(`widgets not published; add:\n  ${missing.join('\n  ')}`);
    },
  };
}

/** npm entry points: ESM, dependencies left to the consumer's bundler; shared code in chunks/. */
const library = {
  input: {
    nunect: 'src/index.ts',
    client: 'client/index.ts',
    'client.node': 'client/node.ts',
    ...componentInputs,
  },
  external,
  output: { dir: 'dist', format: 'esm', sourcemap: true, chunkFileNames: 'chunks/[name]-[hash].js' },
  plugins: [checkWidgetEntries(), ts()],
};

/**
 * tweetnacl's compact build (nacl.js) instead of nacl-fast.js in the browser bundles: the same API
 * and byte-identical keys and signatures, ~14 kB smaller minified; slower, which the one nkey
 * signature per connection never notices (~10 ms).
 */
function compactNacl() {
  const compact = createRequire(import.meta.url).resolve('tweetnacl/nacl.js');
  return {
    name: 'nunect-compact-nacl',
    resolveId(source) {
      return source === 'tweetnacl' ? compact : null;
    },
  };
}

/** Self-contained, minified bundles for a page without a bundler (the manager serves these). */
const browserBundle = (input, file) => ({
  input,
  onwarn(warning, warn) {
    // nkeys (inside nats-core) has harmless import cycles.
    if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => id.includes('node_modules'))) return;
    warn(warning);
  },
  output: { file, format: 'esm', sourcemap: true },
  plugins: [
    compactNacl(),
    nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
    commonjs({ ignore: ['crypto'] }),
    ts(),
    terser({ format: { comments: false } }),
  ],
});

export default [
  library,
  browserBundle('client/index.ts', 'dist/browser/nunect-client.min.js'),
  // Everything: the client, every element (registered), Lit and nats-core.
  browserBundle('src/index.ts', 'dist/browser/nunect.min.js'),
];
