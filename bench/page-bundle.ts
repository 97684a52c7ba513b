/**
 * A bench page: a script bundled with esbuild (production Lit, as a user would ship it) next to an
 * index.html, served by node:http on a free port. Each bench writes its own page script.
 */
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface PageOptions {
  /** The page's script (imports resolve from bench/). */
  entry: string;
  /** Its file name in stack traces, e.g. `tail-page.js`. */
  sourcefile: string;
  title: string;
  /** `ts` when the script is TypeScript (default `js`). */
  loader?: 'js' | 'ts';
  /** Default true; false keeps names readable in profiles. */
  minify?: boolean;
  /** CSS for the page's `<head>`. */
  style?: string;
}

/** Writes `bench.js` and `index.html` into `dir`. */
export async function bundlePage(dir: string, o: PageOptions): Promise<void> {
  await build({
    stdin: { contents: o.entry, resolveDir: join(ROOT, 'bench'), sourcefile: o.sourcefile, loader: o.loader ?? 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: o.minify ?? true,
    conditions: ['browser', 'production'],
    tsconfig: join(ROOT, 'tsconfig.json'),
    outfile: join(dir, 'bench.js'),
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${o.title}</title><link rel="icon" href="data:,">${o.style ? `<style>${o.style}</style>` : ''}</head>` +
      `<body></body><script type="module" src="/bench.js"></script></html>`,
  );
}

/** Serves the files of `dir` (one level, plain names only) on 127.0.0.1. */
export function servePage(dir: string): Promise<{ server: Server; url: string }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] === '/' ? '/index.html' : (req.url ?? '').split('?')[0]!;
    if (!/^\/[\w.-]+$/.test(path)) return void res.writeHead(404).end();
    try {
      res.writeHead(200, { 'content-type': types[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream' }).end(readFileSync(join(dir, path)));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })));
}
