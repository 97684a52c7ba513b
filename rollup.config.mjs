// Builds the npm entry points (dependencies external) and self-contained browser bundles.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

const ts = () => esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' });
const external = (id) => /^(@nats-io\/|lit|@lit\/|ws$|node:)/.test(id);

/** npm entry points: ESM, dependencies left to the consumer's bundler. */
const library = {
  input: {
    nunect: 'src/index.ts',
    client: 'client/index.ts',
    'client.node': 'client/node.ts',
  },
  external,
  output: { dir: 'dist', format: 'esm', sourcemap: true, chunkFileNames: 'chunks/[name]-[hash].js' },
  plugins: [ts()],
};

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
    nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
    commonjs({ ignore: ['crypto'] }),
    ts(),
    terser({ format: { comments: false } }),
  ],
});

export default [library, browserBundle('client/index.ts', 'dist/browser/nunect-client.min.js')];
