/**
 * The polling loop of the fake sources (units, logs, KV watches): asks `fetch` every `every` ms,
 * hands each answer to `apply`, reports a failure (or its end) through `problem`; `stop()` ends
 * it, and an answer that comes after it is dropped.
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
      const answer = await fetch();
      if (stopped) return;
      apply(answer);
      problem(undefined);
    } catch (err) {
      if (!stopped) problem(toNunectError(err));
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
