import { ledgerBatchSize } from '../src/metrics/metrics';

/** The `ledger_batch_size` histogram at one moment: cumulative bucket counts by upper bound. */
export interface BatchSizes {
  count: number;
  sum: number;
  buckets: Map<string, number>;
}

/** The histogram of this process (in-process phases). */
export async function localBatchSizes(): Promise<BatchSizes> {
  const { values } = await ledgerBatchSize.get();
  const buckets = new Map<string, number>();
  let count = 0;
  let sum = 0;
  for (const v of values) {
    if (v.metricName === 'ledger_batch_size_bucket') buckets.set(String(v.labels.le), v.value);
    if (v.metricName === 'ledger_batch_size_count') count = v.value;
    if (v.metricName === 'ledger_batch_size_sum') sum = v.value;
  }
  return { count, sum, buckets };
}

/** The histogram of an app process, scraped off its GET /metrics. */
export async function scrapedBatchSizes(baseUrl: string): Promise<BatchSizes> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const buckets = new Map<string, number>();
  let count = 0;
  let sum = 0;
  for (const line of text.split('\n')) {
    const bucket = /^ledger_batch_size_bucket\{le="([^"]+)"\} (\S+)/.exec(line);
    if (bucket) buckets.set(bucket[1], Number(bucket[2]));
    if (line.startsWith('ledger_batch_size_count ')) count = Number(line.split(' ')[1]);
    if (line.startsWith('ledger_batch_size_sum ')) sum = Number(line.split(' ')[1]);
  }
  return { count, sum, buckets };
}

/** What a phase added: batches, entries per batch on average, and batches per size band ("≤ 16": 12). */
export function batchSizesBetween(before: BatchSizes, after: BatchSizes): { batches: number; meanSize: number; bySize: Record<string, number> } {
  const batches = after.count - before.count;
  const bySize: Record<string, number> = {};
  let below = 0;
  for (const [le, n] of after.buckets) {
    const cumulative = n - (before.buckets.get(le) ?? 0);
    if (cumulative - below > 0) bySize[le === '+Inf' ? '> 256' : `≤ ${le}`] = cumulative - below;
    below = cumulative;
  }
  return { batches, meanSize: batches > 0 ? (after.sum - before.sum) / batches : 0, bySize };
}

/** One line for the report's notes. */
export function describeBatchSizes(phase: string, d: ReturnType<typeof batchSizesBetween>): string {
  if (d.batches === 0) return `${phase}: no batches recorded`;
  const bands = Object.entries(d.bySize).map(([band, n]) => `${band}: ${n}`).join(', ');
  return `${phase}: ${d.batches} ledger batches, ${d.meanSize.toFixed(1)} entries each on average (${bands})`;
}
