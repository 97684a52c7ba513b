// Builds the npm entry points (dependencies external) and self-contained browser bundles.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import esbuild from 'rollup-plugin-esbuild';
import { browserPlugins, onwarn } from './scripts/build/browser-bundle.mjs';

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
    guardian: 'client/guardian.ts',
    'guardian.node': 'client/guardian-node.ts',
    'units-model': 'client/units.ts',
    'nunect-guardian': 'scripts/nunect-guardian.ts',
    ...componentInputs,
  },
  external,
  output: { dir: 'dist', format: 'esm', sourcemap: true, chunkFileNames: 'chunks/[name]-[hash].js' },
  plugins: [checkWidgetEntries(), ts(), shebang('nunect-guardian.js')],
};

/** The command-line entry (package.json `bin`) starts with `#!/usr/bin/env node`. */
function shebang(file) {
  return {
    name: 'nunect-shebang',
    renderChunk(code, chunk) {
      return chunk.fileName === file ? { code: `#!/usr/bin/env node\n${code}`, map: null } : null;
    },
  };
}

/** Self-contained, minified bundles for a page without a bundler (the manager serves these). */
const browserBundle = (input, name) => ({
  input,
  onwarn,
  // Shared code may stay in the entry file, which the on-demand nkeys chunk then imports from.
  preserveEntrySignatures: 'allow-extension',
  output: { dir: 'dist/browser', format: 'esm', sourcemap: true, entryFileNames: name, chunkFileNames: 'chunks/[name]-[hash].min.js' },
  plugins: browserPlugins(),
});

export default [
  library,
  browserBundle('client/index.ts', 'nunect-client.min.js'),
  // Everything: the client, every element (registered), Lit and nats-core.
  browserBundle('src/index.ts', 'nunect.min.js'),
];
