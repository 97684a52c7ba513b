// Builds the stock manager page into dist/manager/: index.html, manager.css, manager.js (the page's
// wiring) and nunect.js (every element, the client, Lit and nats-core, for other dashboards to load
// cross-origin: NATS_MANAGER_CORS_ORIGINS). Shared code and nkeys (key-based logins only) are chunks.
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
  input: { manager: 'src/manager/manager.ts', nunect: 'src/index.ts' },
  output: { dir: 'dist/manager', format: 'esm', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  onwarn,
  // Shared code may stay in the entry file, which the on-demand nkeys chunk then imports from.
  preserveEntrySignatures: 'allow-extension',
  plugins: [...browserPlugins(), pageAssets(['src/manager/index.html', 'src/manager/units.html', 'src/manager/data.html', 'src/manager/manager.css'])],
};
