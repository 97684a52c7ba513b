import { expect } from '@open-wc/testing';
import { takeLitWarnings } from '../support/lit-warnings.js';

describe('the Lit warning check', () => {
  it('records a Lit dev-mode warning (which fails the test that caused it) and ignores others', () => {
    console.warn('Element x scheduled an update after an update completed. See https://lit.dev/msg/change-in-update for more information.');
    console.warn('Lit is in dev mode. Not recommended for production! See https://lit.dev/msg/dev-mode for more information.');
    console.warn('an unrelated warning');
    const warnings = takeLitWarnings();
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('change-in-update');
  });
});
