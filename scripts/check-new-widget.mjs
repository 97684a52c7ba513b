#!/usr/bin/env node
// A check of `npm run new:widget`: in a scratch clone of this checkout (node_modules linked),
// makes a widget `demo-list` (a hyphenated name) and proves that it is in the house style (prettier, eslint, types), passes
// its tests (the shared widget suite included), builds (rollup, types, manifest) and shows in
// Storybook. Run by `npm test`; prints one line per step, exits non-zero on the first failure.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './versions.mjs';

const dir = mkdtempSync(join(tmpdir(), 'nunect-new-widget-'));
const run = (what, cmd, args) => {
  try {
    execFileSync(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' } });
    console.log(`ok   ${what}`);
  } catch (err) {
    console.log(`FAIL ${what}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    throw err;
  }
};
try {
  // The working tree as it is (a clone would miss uncommitted work a developer is checking).
  execFileSync('git', ['clone', '-q', '--no-hardlinks', ROOT, dir]);
  execFileSync('bash', [
    '-c',
    `cd "${ROOT}" && git ls-files -m -o --exclude-standard | while IFS= read -r f; do [ -e "$f" ] && cp --parents "$f" "${dir}"; done; true`,
  ]);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  run('npm run new:widget demo-list', 'node', ['scripts/new-widget.mjs', 'demo-list']);
  run('prettier', 'npx', ['prettier', '--check', 'components/demo-list', 'stories/demo-list.stories.ts', 'package.json', 'src/index.ts']);
  run('eslint', 'npx', ['eslint', 'components/demo-list', 'stories/demo-list.stories.ts', 'src/index.ts']);
  run('type check', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  run('its tests (shared widget suite)', 'node', ['scripts/test.mjs', '--unit', '--files', 'components/demo-list/nunect-demo-list.test.ts']);
  run('build (rollup, types, manifest)', 'npm', ['run', 'build', '--silent']);
  const manifest = JSON.parse(readFileSync(join(dir, 'custom-elements.json'), 'utf8'));
  if (!JSON.stringify(manifest).includes('"nunect-demo-list"')) throw new Error('nunect-demo-list is not in custom-elements.json');
  if (!existsSync(join(dir, 'dist/components/demo-list/define.js'))) throw new Error('no dist/components/demo-list/define.js');
  run('in the manifest and the package', 'true', []);
  run('Storybook build', 'npx', ['storybook', 'build', '-o', 'storybook-static', '--quiet']);
  const index = readFileSync(join(dir, 'storybook-static/index.json'), 'utf8');
  if (!/"widgets-demo-list--ready"/.test(index)) throw new Error('no Demo list stories in storybook-static/index.json');
  console.log('ok   its stories are in Storybook');
  console.log('1 passed, 0 failed');
} catch (err) {
  console.log(`new:widget check failed: ${err.message.split('\n')[0]}`);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
