import { describe, expect, it } from 'vitest';
import { proposalTitle } from '../governanceReads';
import { defaultDescription, paramRange } from '../governanceWrites';

describe('proposal text', () => {
  it('titles a proposal by its first non-empty line, without Markdown heading marks', () => {
    expect(proposalTitle('\n\n## Raise the threshold\n\nBecause…')).toBe('Raise the threshold');
    expect(proposalTitle('Plain first line\nsecond')).toBe('Plain first line');
    expect(proposalTitle('   \n')).toBe('(no description)');
    expect(proposalTitle(`# ${'x'.repeat(300)}`)).toHaveLength(200);
  });

  it('writes a default description whose title names the parameter and both values', () => {
    const d = defaultDescription('slashRatio', '4000', '5000');
    expect(proposalTitle(d)).toBe('Set the slash ratio (treasury share of a slashed stake) to 4000');
    expect(d).toContain('from 5000 to 4000');
  });

  it('states each parameter range with the contract error that enforces it', () => {
    expect(paramRange('attributionThreshold')).toMatch(/BpsOutOfRange/);
    expect(paramRange('modelOwnerFee')).toMatch(/FeeSplitTooLarge/);
    expect(paramRange('treasury')).toMatch(/ZeroTreasury/);
  });
});
