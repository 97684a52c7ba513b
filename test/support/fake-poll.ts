/**
 * The polling loop of the fake sources (units, logs): asks `fetch` every `every` ms, hands each
 * answer to `apply`, reports a failure (or its end) through `problem`; `stop()` ends it.
 */
import { toNunectError } from '../../client/errors.js';
import type { NunectError } from '../../client/index.js';

export function pollFake<T>(
  every: number,
  fetch: () => Promise<T>,
  apply: (answer: T) => void,
  problem: (error: NunectError | undefined) => void,
): { stop(): void } {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    try {
      apply(await fetch());
      problem(undefined);
    } catch (err) {
      problem(toNunectError(err));
    }
    if (!stopped) timer = setTimeout(() => void tick(), every);
  };
  timer = setTimeout(() => void tick(), every);
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
