/**
 * Splits the events of one commit into the fewest relay messages whose JSON stays under `maxBytes`,
 * in order. One message per commit instead of one per event is what keeps a batch of a hundred
 * awards from costing a hundred round trips to the cluster adapter; the bound keeps each under
 * what the adapter can NOTIFY inline. An event larger than the bound travels alone.
 */
export function relayChunks<T>(events: readonly T[], maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 2;
  for (const e of events) {
    const size = Buffer.byteLength(JSON.stringify(e)) + 1;
    if (chunk.length > 0 && bytes + size > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 2;
    }
    chunk.push(e);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
