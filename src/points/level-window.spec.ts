import { describe, expect, it } from 'vitest';
import { addMonths, evaluationDropping, nextEvaluation, windowStart } from './level-window';

const at = (iso: string) => new Date(iso);

describe('level window time', () => {
  it('moves by calendar months in UTC, clamping a day past a shorter month’s end', () => {
    expect(addMonths(at('2027-03-31T10:00:00Z'), -1).toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(addMonths(at('2028-03-31T10:00:00Z'), -1).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(addMonths(at('2027-01-31T00:00:00Z'), 13).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(windowStart(at('2027-06-15T12:00:00Z'), 12).toISOString()).toBe('2026-06-15T12:00:00.000Z');
  });

  it('evaluates daily at 00:50 UTC, strictly after the given time', () => {
    expect(nextEvaluation(at('2027-06-15T00:49:59Z')).toISOString()).toBe('2027-06-15T00:50:00.000Z');
    expect(nextEvaluation(at('2027-06-15T00:50:00Z')).toISOString()).toBe('2027-06-16T00:50:00.000Z');
    expect(nextEvaluation(at('2027-12-31T23:00:00Z')).toISOString()).toBe('2028-01-01T00:50:00.000Z');
  });

  it('names the first evaluation whose window no longer holds a point', () => {
    const earned = at('2027-01-31T12:00:00Z');
    const drop = evaluationDropping(earned, 1);
    expect(windowStart(drop, 1) >= earned).toBe(true);
    const dayBefore = new Date(drop.getTime() - 86_400_000);
    expect(windowStart(dayBefore, 1) < earned).toBe(true);
    expect(evaluationDropping(at('2027-05-10T08:00:00Z'), 12).toISOString()).toBe('2028-05-11T00:50:00.000Z');
  });
});
