import { NunectError } from './errors.js';

const DOT = 46,
  STAR = 42,
  GT = 62;

function isSpace(code: number): boolean {
  // space, tab, CR, LF, FF, VT, NUL: the NATS protocol separates fields with whitespace.
  return code <= 32 || code === 127;
}

function fail(kind: string, subject: unknown, why: string): never {
  const shown = typeof subject === 'string' ? JSON.stringify(subject.length > 80 ? `${subject.slice(0, 80)}…` : subject) : String(subject);
  throw new NunectError('INVALID_SUBJECT', `invalid ${kind} ${shown}: ${why}`);
}

/**
 * Checks a subject, token by token. `wildcards` allows `*` tokens and a final `>` token
 * (subscriptions); without it they are refused (publish subjects).
 */
function check(kind: string, subject: unknown, wildcards: boolean): void {
  if (typeof subject !== 'string' || subject.length === 0) fail(kind, subject, 'it is empty');
  let tokenStart = 0;
  const n = subject.length;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? DOT : subject.charCodeAt(i);
    if (c === DOT) {
      const len = i - tokenStart;
      if (len === 0) fail(kind, subject, 'it has an empty token (leading, trailing or double dot)');
      if (len === 1) {
        const t = subject.charCodeAt(tokenStart);
        if (t === STAR || t === GT) {
          if (!wildcards) fail(kind, subject, 'wildcards (* and >) are only allowed when subscribing');
          if (t === GT && i !== n) fail(kind, subject, '> must be the last token');
        }
      }
      tokenStart = i + 1;
    } else if (isSpace(c)) {
      fail(kind, subject, 'it contains whitespace or control characters');
    }
  }
}

/** Anything a publish subject must not contain: empty, `*` or `>` tokens, whitespace, controls. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const BAD_PUBLISH = /(?:^|\.)[*>]?(?:\.|$)|[\x00-\x20\x7f]/;

/** Throws an `INVALID_SUBJECT` {@link NunectError} unless `subject` is a literal subject. */
export function assertPublishSubject(subject: unknown): asserts subject is string {
  // One regex for the common, valid case; the token walk only to explain a failure.
  if (typeof subject === 'string' && subject.length > 0 && !BAD_PUBLISH.test(subject)) return;
  check('publish subject', subject, false);
}

/** Throws an `INVALID_SUBJECT` {@link NunectError} unless `subject` is a valid subscription subject. */
export function assertSubscribeSubject(subject: unknown): asserts subject is string {
  check('subscription subject', subject, true);
}

/** Throws unless `token` is one literal subject token (no dots, wildcards or whitespace). */
export function assertToken(kind: string, token: unknown): asserts token is string {
  check(kind, token, false);
  if ((token as string).includes('.')) fail(kind, token, 'it must be a single token without dots');
}

/** Throws unless `queue` is a valid queue group name. */
export function assertQueueName(queue: unknown): asserts queue is string {
  if (typeof queue !== 'string' || queue.length === 0) fail('queue group', queue, 'it is empty');
  for (let i = 0; i < queue.length; i++) {
    if (isSpace(queue.charCodeAt(i))) fail('queue group', queue, 'it contains whitespace or control characters');
  }
}

/** True when `subject` matches the subscription `pattern` (`*` one token, `>` the rest). */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
