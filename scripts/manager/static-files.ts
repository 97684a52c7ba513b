/** Resolves request paths to files inside one root, refusing anything that could leave it. */
import { realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export type Resolved = { ok: true; file: string; size: number; mtime: Date; type: string } | { ok: false; status: 400 | 404; reason: string };

/**
 * Maps a URL path to a file under `root`. Refused: malformed or NUL/backslash-bearing paths, dot
 * segments (encoded or not), paths that resolve outside the root, symlinks pointing outside it,
 * hidden files, and types not in {@link MIME}. A directory serves its index.html.
 */
export function resolveStatic(root: string, rawPath: string): Resolved {
  const realRoot = realpathSync(root);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'malformed path encoding' };
  }
  if (path.includes('\0') || path.includes('\\')) return { ok: false, status: 400, reason: 'forbidden character in path' };
  if (!path.startsWith('/')) return { ok: false, status: 400, reason: 'path must be absolute' };
  const segments = path.split('/');
  if (segments.some((s) => s === '..' || s === '.' || (s.startsWith('.') && s.length > 0))) {
    return { ok: false, status: 404, reason: 'dot segments and hidden files are not served' };
  }
  let candidate = resolve(realRoot, `.${path}`);
  if (candidate !== realRoot && !candidate.startsWith(realRoot + sep)) return { ok: false, status: 404, reason: 'outside the root' };
  try {
    let st = statSync(candidate);
    if (st.isDirectory()) {
      candidate = join(candidate, 'index.html');
      st = statSync(candidate);
    }
    const real = realpathSync(candidate);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return { ok: false, status: 404, reason: 'symlink out of the root' };
    if (!st.isFile()) return { ok: false, status: 404, reason: 'not a file' };
    const type = MIME[extname(real).toLowerCase()];
    if (!type) return { ok: false, status: 404, reason: 'type not served' };
    return { ok: true, file: real, size: st.size, mtime: st.mtime, type };
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
}
