#!/usr/bin/env node
// `npm run new:widget NAME`: a new widget that follows the house rules, ready to build, test and
// show in Storybook: components/NAME/ (class, styles, define.ts, test running the shared widget
// suite), stories/NAME.stories.ts (every state), and its entries in package.json exports and
// src/index.ts. The files come from scripts/templates/widget/ (`__name__`, `__Name__`, `__Title__`
// are replaced). NAME: lower-case words joined by hyphens, e.g. `stream-list`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './versions.mjs';

const name = process.argv[2];
const fail = (msg) => {
  console.error(`new:widget: ${msg}`);
  process.exit(1);
};
if (!name || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) fail('usage: npm run new:widget NAME (lower-case words joined by "-", e.g. stream-list)');
const words = name.split('-');
const Name = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
// (an identifier: `stream-list` → `streamList`)
const nameCamel = Name[0].toLowerCase() + Name.slice(1);
const Title = words.join(' ').replace(/^./, (c) => c.toUpperCase());
const dir = join(ROOT, 'components', name);
if (existsSync(dir)) fail(`components/${name} exists already`);

const fill = (text) => text.replaceAll('__nameCamel__', nameCamel).replaceAll('__name__', name).replaceAll('__Name__', Name).replaceAll('__Title__', Title);
const templates = join(ROOT, 'scripts/templates/widget');
const written = [];
mkdirSync(dir, { recursive: true });
for (const file of readdirSync(templates)) {
  const target = file === 'story.ts.tpl' ? join(ROOT, 'stories', `${name}.stories.ts`) : join(dir, fill(file.replace(/\.tpl$/, '')));
  writeFileSync(target, fill(readFileSync(join(templates, file), 'utf8')));
  written.push(target.slice(ROOT.length));
}

// package.json: the class and the define entry, next to the others (kept in alphabetical order).
const pkgFile = join(ROOT, 'package.json');
const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
// Widget entries (`./x`, `./x/define`) stay sorted, where the first of them stands.
const isWidget = (key) => key.startsWith('./') && !['./client', './browser/*', './custom-elements.json', './package.json'].includes(key);
const entries = Object.entries(pkg.exports);
const widgets = [
  ...entries.filter(([k]) => isWidget(k)),
  [`./${name}`, { types: `./dist/types/components/${name}/nunect-${name}.d.ts`, default: `./dist/components/${name}/nunect-${name}.js` }],
  [`./${name}/define`, { types: `./dist/types/components/${name}/define.d.ts`, default: `./dist/components/${name}/define.js` }],
].sort(([a], [b]) => a.localeCompare(b));
const at = entries.findIndex(([k]) => isWidget(k));
const others = entries.filter(([k]) => !isWidget(k));
pkg.exports = Object.fromEntries([...others.slice(0, at), ...widgets, ...others.slice(at)]);
writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
written.push('/package.json (exports)');

// src/index.ts: register it with the others.
const indexFile = join(ROOT, 'src/index.ts');
const index = readFileSync(indexFile, 'utf8');
const line = `export { Nunect${Name} } from '../components/${name}/define.js';`;
const lines = index.split('\n');
const defines = lines.map((l, i) => [l, i]).filter(([l]) => /^export \{ Nunect\w+ \} from '\.\.\/components\/.*\/define\.js';$/.test(l));
const after = defines.filter(([l]) => l.localeCompare(line) < 0).pop() ?? defines[0];
lines.splice(after[1] + (after[0].localeCompare(line) < 0 ? 1 : 0), 0, line);
writeFileSync(indexFile, lines.join('\n'));
written.push('/src/index.ts');

// In the house style (npm test checks it).
execFileSync('npx', ['prettier', '--log-level', 'warn', '--write', ...written.map((f) => f.replace(/^\//, '').replace(/ \(exports\)$/, ''))], {
  cwd: ROOT,
  stdio: 'inherit',
});

console.log(`new:widget: <nunect-${name}> (Nunect${Name})`);
for (const f of written) console.log(`  ${f.replace(/^\//, '')}`);
console.log(
  `Next: edit components/${name}/nunect-${name}.ts, then npm run test:unit -- --files components/${name}/nunect-${name}.test.ts and npm run storybook.`,
);
