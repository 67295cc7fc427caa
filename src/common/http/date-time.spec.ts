import { describe, expect, it } from 'vitest';
import { parseDateTime } from './date-time';

describe('parseDateTime', () => {
  it.each(['2026-01-31T12:00:00Z', '2024-02-29T23:59:59.999999+05:30', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59-01:00'])(
    'reads %s',
    (value) => {
      expect(parseDateTime(value)?.getTime()).toBe(Date.parse(value));
    },
  );

  it.each([
    '2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '0000-01-01T00:00:00Z', '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z', '2026-01-01T12:60:00Z', '2026-01-01T12:00:60Z', '2026-01-01T12:00:00', '2026-01-01',
    '2026-01-01T12:00:00+24:00', '2026-01-01T12:00:00.1234567Z', '2026-W05', '+012026-01-01T00:00:00Z', ' 2026-01-01T00:00:00Z', 42,
  ])('refuses %j', (value) => {
    expect(parseDateTime(value)).toBeUndefined();
  });
});
