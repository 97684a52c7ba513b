/**
 * Fails a test when Lit (in dev mode, as in every test) warns: a property changed during an
 * update, a class field shadowing a reactive property, a missing polyfill, … Every browser test
 * file imports this first (web-test-runner.config.mjs adds the import), so no test can pass while
 * Lit complains. "Lit is in dev mode" itself is expected and ignored.
 */
const LIT_WARNING = /See https:\/\/lit\.dev\/msg\/([a-z0-9-]+)/;
const IGNORED = new Set(['dev-mode']);

type Marked = typeof console.warn & { nunectLitWarnings?: string[] };
const seen: string[] = [];

if (!(console.warn as Marked).nunectLitWarnings) {
  const original = console.warn.bind(console);
  const watching: Marked = Object.assign(
    (...args: unknown[]) => {
      const text = args.map(String).join(' ');
      const code = LIT_WARNING.exec(text)?.[1];
      if (code && !IGNORED.has(code)) seen.push(text);
      original(...args);
    },
    { nunectLitWarnings: seen },
  );
  console.warn = watching;
}

/** Lit warnings since the last check; clears them. */
export function takeLitWarnings(): string[] {
  return seen.splice(0);
}

// Root-level hooks (outside any describe) apply to every test of the file.
beforeEach(() => {
  takeLitWarnings();
});
afterEach(function () {
  const warnings = takeLitWarnings();
  // A failing afterEach fails the test run (and names the test): Lit must never warn.
  if (warnings.length) throw new Error(`Lit warned during "${this.currentTest?.fullTitle() ?? 'the test'}":\n${warnings.join('\n')}`);
});
