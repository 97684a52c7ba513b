// No import of the check here on purpose: web-test-runner.config.mjs adds it to every test file.
import { expect } from '@open-wc/testing';

describe('the Lit warning check is in every test file', () => {
  it('has been installed without an import of its own', () => {
    expect((console.warn as typeof console.warn & { nunectLitWarnings?: unknown }).nunectLitWarnings).to.be.an('array');
  });
});
