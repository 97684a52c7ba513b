// Builds the stock manager page into dist/manager/: index.html, manager.css and manager.js holding
// every element, the client, Lit and nats-core (nkeys in a chunk loaded only by key-based logins).
import { readFileSync } from 'node:fs';
import { browserPlugins, onwarn } from './browser-bundle.mjs';

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
  output: { dir: 'dist/manager', format: 'esm', sourcemap: true, entryFileNames: 'manager.js', chunkFileNames: 'chunks/[name]-[hash].js' },
  onwarn,
  // Shared code may stay in the entry file, which the on-demand nkeys chunk then imports from.
  preserveEntrySignatures: 'allow-extension',
  plugins: [...browserPlugins(), pageAssets(['src/manager/index.html', 'src/manager/manager.css'])],
};
