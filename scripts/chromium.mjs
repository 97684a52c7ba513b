// Debian's Chromium for tests and benchmarks (never a downloaded browser): its path and the flags
// every launcher passes. As root it needs --no-sandbox; without the networking flags it tries to
// reach Google's hosts and this machine's closed network refuses them (../shared/notes/toolchain.md).
export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/**
 * The flags, plus `--ignore-certificate-errors-spki-list` when `spki` is given (trusts that one
 * certificate key, nothing else) and `--headless=new` when `headless` is true (puppeteer).
 */
export function chromiumArgs({ spki, headless = false } = {}) {
  return [
    '--no-sandbox',
    ...(headless ? ['--headless=new'] : []),
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    ...(spki ? [`--ignore-certificate-errors-spki-list=${spki}`] : []),
  ];
}
