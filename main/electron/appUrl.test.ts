import { describe, expect, it } from 'vitest';
import { isAppUrl } from './appUrl';

describe('isAppUrl (navigation and redirect guard of the desktop window)', () => {
  it('accepts the app page only', () => {
    expect(isAppUrl('app://studio/index.html')).toBe(true);
    expect(isAppUrl('app://studio/')).toBe(true);
    for (const url of ['app://studio.evil/', 'app://studio@evil/', 'app://x:y@studio/', 'app://studio', 'https://studio/', 'file:///etc/passwd', 'http://127.0.0.1:4870/', 'javascript:alert(1)', 'not a url', '']) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});
