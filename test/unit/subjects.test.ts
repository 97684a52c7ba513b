import { expect } from '@open-wc/testing';
import { assertPublishSubject, assertSubscribeSubject, subjectMatches } from '../../client/index.js';
import { assertQueueName, assertToken } from '../../client/subjects.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('subject validation', () => {
  it('accepts literal publish subjects', () => {
    for (const s of ['a', 'ops.log.info.unit-1', '$SYS.REQ.SERVER.PING', '_INBOX.abc', 'a*b.c>d']) {
      expect(
        codeOf(() => assertPublishSubject(s)),
        s,
      ).to.equal(undefined);
    }
  });

  it('refuses empty tokens, whitespace and wildcards in publish subjects with clear messages', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['', /empty/],
      ['a..b', /empty token/],
      ['.a', /empty token/],
      ['a.', /empty token/],
      ['a b', /whitespace/],
      ['a\tb', /whitespace/],
      ['a\r\nPUB x 1', /whitespace/],
      ['a.*', /only allowed when subscribing/],
      ['a.>', /only allowed when subscribing/],
      [undefined, /empty/],
      [42, /empty/],
    ];
    for (const [s, pattern] of cases) {
      let error: Error | undefined;
      try {
        assertPublishSubject(s);
      } catch (err) {
        error = err as Error;
      }
      expect(error, String(s)).to.be.instanceOf(Error);
      expect((error as { code?: string }).code).to.equal('INVALID_SUBJECT');
      expect(error!.message).to.match(pattern);
    }
  });

  it('accepts wildcards when subscribing, with > only at the end', () => {
    for (const s of ['a.*', '*', '>', 'a.*.c', 'a.>', '$SYS.ACCOUNT.*.CONNECT']) {
      expect(
        codeOf(() => assertSubscribeSubject(s)),
        s,
      ).to.equal(undefined);
    }
    expect(codeOf(() => assertSubscribeSubject('a.>.c'))).to.equal('INVALID_SUBJECT');
    expect(codeOf(() => assertSubscribeSubject('a. b'))).to.equal('INVALID_SUBJECT');
    expect(codeOf(() => assertSubscribeSubject('a..*'))).to.equal('INVALID_SUBJECT');
  });

  it('validates queue names and single tokens', () => {
    expect(codeOf(() => assertQueueName('workers'))).to.equal(undefined);
    expect(codeOf(() => assertQueueName('two words'))).to.equal('INVALID_SUBJECT');
    expect(codeOf(() => assertQueueName(''))).to.equal('INVALID_SUBJECT');
    expect(codeOf(() => assertToken('unit ID', 'unit-1'))).to.equal(undefined);
    expect(codeOf(() => assertToken('unit ID', 'a.b'))).to.equal('INVALID_SUBJECT');
    expect(codeOf(() => assertToken('unit ID', '*'))).to.equal('INVALID_SUBJECT');
  });

  it('matches subjects against wildcard patterns', () => {
    expect(subjectMatches('a.*.c', 'a.b.c')).to.equal(true);
    expect(subjectMatches('a.*.c', 'a.b.d')).to.equal(false);
    expect(subjectMatches('a.>', 'a.b.c')).to.equal(true);
    expect(subjectMatches('a.>', 'a')).to.equal(false);
    expect(subjectMatches('a.b', 'a.b.c')).to.equal(false);
    expect(subjectMatches('*', 'a')).to.equal(true);
  });
});
