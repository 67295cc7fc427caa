import { describe, expect, it } from 'vitest';
import { canonicalEmail, maskEmail } from './email-canonical';

describe('canonicalEmail', () => {
  it('lower-cases and trims', () => expect(canonicalEmail('  Jane@Example.COM ')).toBe('jane@example.com'));
  it('drops a +tag', () => expect(canonicalEmail('jane+promo@example.com')).toBe('jane@example.com'));
  it('drops Gmail dots and folds googlemail.com', () => {
    expect(canonicalEmail('J.a.n.e+x@googlemail.com')).toBe('jane@gmail.com');
  });
  it('keeps dots for other domains', () => expect(canonicalEmail('j.ane@example.com')).toBe('j.ane@example.com'));
});

describe('maskEmail', () => {
  it('keeps the first letter and the domain', () => expect(maskEmail('jane@example.com')).toBe('j***@example.com'));
});
