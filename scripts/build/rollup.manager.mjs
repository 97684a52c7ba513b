// Builds the stock manager page into dist/manager/: index.html, manager.css and one minified
// manager.js holding every element, the client, Lit and nats-core.
import { readFileSync } from 'node:fs';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

/** Copies the page's static files next to the bundle. */
function pageAssets(files) {
  return {
    name: 'nunect-page-assets',
    buildStart() {
      for (const f of files) this.addWatchFile(f);
    },
    generateBundle() {
      for (const f of files) this.emitFile({ type: 'asset', fileName: f.split('/').pop(), source: readFileSync(f) });
    },
  };
}

export default {
  input: 'src/manager/manager.ts',
  output: { file: 'dist/manager/manager.js', format: 'esm', sourcemap: true },
  onwarn(warning, warn) {
    if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => id.includes('node_modules'))) return;
    warn(warning);
  },
  plugins: [
    nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
    commonjs({ ignore: ['crypto'] }),
    esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' }),
    terser({ format: { comments: false } }),
    pageAssets(['src/manager/index.html', 'src/manager/manager.css']),
  ],
};
