import { describe, expect, it } from 'vitest';
import { withSettings } from './web-app-files';

const HTML = '<head><meta name="google-sign-in" content="off" />\n<meta name="public-url" content="" /></head>';

describe('withSettings', () => {
  it('turns Google on only when it is configured', () => {
    expect(withSettings(HTML, { google: true, publicUrl: 'https://r.example.com' })).toContain('<meta name="google-sign-in" content="on" />');
    expect(withSettings(HTML, { google: false, publicUrl: 'https://r.example.com' })).toContain('<meta name="google-sign-in" content="off" />');
  });

  it('writes PUBLIC_URL escaped as an attribute value', () => {
    const html = withSettings(HTML, { google: false, publicUrl: 'https://r.example.com/a"b<c' });
    expect(html).toContain('<meta name="public-url" content="https://r.example.com/a&#34;b&#60;c" />');
  });
});
