import { describe, expect, it } from 'vitest';
import { DEMO_CONTRIBUTOR_ADDRESSES } from '../../../api/constants';
import { demoContributors } from '../demoContributorKeys';

describe('DEMO_CONTRIBUTOR_ADDRESSES', () => {
  it('is the demo contributors’ derived addresses, in order (the renderer labels by it)', () => {
    expect([...DEMO_CONTRIBUTOR_ADDRESSES]).toEqual(demoContributors().map((a) => a.address));
  });
});
