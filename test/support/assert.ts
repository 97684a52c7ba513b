/** Tiny assertions that work the same in Node and in the browser (shared scenarios). */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, message = ''): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message ? `${message}: ` : ''}expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export function deepEqual(actual: unknown, expected: unknown, message = ''): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${e}, got ${a}`);
}

/** Awaits `fn` and checks it rejects with a NunectError of `code` (and a message matching `pattern`). */
export async function rejects(fn: () => Promise<unknown>, code: string, pattern?: RegExp): Promise<Error & { code?: string }> {
  let error: (Error & { code?: string }) | undefined;
  try {
    await fn();
  } catch (err) {
    error = err as Error & { code?: string };
  }
  if (!error) throw new AssertionError(`expected a rejection with code ${code}`);
  if (error.code !== code) throw new AssertionError(`expected code ${code}, got ${error.code}: ${error.message}`);
  if (pattern && !pattern.test(error.message)) throw new AssertionError(`message ${JSON.stringify(error.message)} does not match ${pattern}`);
  return error;
}

export function throws(fn: () => unknown, code: string, pattern?: RegExp): void {
  try {
    fn();
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code !== code) throw new AssertionError(`expected code ${code}, got ${e.code}: ${e.message}`);
    if (pattern && !pattern.test(e.message)) throw new AssertionError(`message ${JSON.stringify(e.message)} does not match ${pattern}`);
    return;
  }
  throw new AssertionError(`expected a throw with code ${code}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it returns truthy or `timeoutMs` passes. */
export async function until<T>(check: () => T | Promise<T>, timeoutMs = 5_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new AssertionError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Awaits `promise` but fails if it has not settled after `boundMs`: a bound far above the expected
 * time (a test that hangs fails with a clear message), never a measurement of speed.
 */
export async function within<T>(promise: Promise<T>, boundMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AssertionError(`${what}: not settled after ${boundMs} ms`)), boundMs);
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}
