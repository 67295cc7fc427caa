import { describe, expect, it } from 'vitest';
import { relayChunks } from './relay-chunks';

describe('relayChunks', () => {
  const event = (i: number, pad = 0) => ({ i, text: 'x'.repeat(pad) });

  it('keeps every event, in order, each chunk within the bound', () => {
    const events = Array.from({ length: 300 }, (_, i) => event(i, (i * 37) % 400));
    const chunks = relayChunks(events, 2_000);
    expect(chunks.flat()).toEqual(events);
    for (const c of chunks) expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThanOrEqual(2_000);
    expect(chunks.length).toBeLessThan(events.length / 4);
  });

  it('sends an event larger than the bound alone, and nothing for no events', () => {
    const chunks = relayChunks([event(1), event(2, 5_000), event(3)], 1_000);
    expect(chunks.map((c) => c.map((e) => e.i))).toEqual([[1], [2], [3]]);
    expect(relayChunks([], 1_000)).toEqual([]);
  });
});
