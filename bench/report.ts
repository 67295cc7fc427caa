import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { round } from './stats';

export interface Target {
  /** e.g. '>= 60% of pgbench', '< 20 ms' */
  label: string;
  pass: boolean;
}

/** One line of the table: a median figure, optionally against its baseline and target. */
export interface Row {
  measure: string;
  value: number;
  unit: string;
  baseline?: { label: string; value: number };
  ratio?: number;
  target?: Target;
}

export interface ScenarioReport {
  id: number;
  title: string;
  rows: Row[];
  /** Raw per-round figures and anything else worth keeping in the JSON. */
  details: Record<string, unknown>;
  notes: string[];
}

export function printTable(reports: ScenarioReport[], header: string[]): string {
  const lines: string[][] = [['#', 'measure', 'median', 'baseline (ceiling)', 'ratio', 'target', 'result']];
  for (const r of reports) {
    for (const row of r.rows) {
      lines.push([
        String(r.id),
        row.measure,
        `${fmt(row.value)} ${row.unit}`,
        row.baseline ? `${fmt(row.baseline.value)} ${row.baseline.label}` : '',
        row.ratio !== undefined ? `${round(row.ratio * 100, 1)}%` : '',
        row.target?.label ?? '',
        row.target ? (row.target.pass ? 'PASS' : 'MISS') : '',
      ]);
    }
  }
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  const render = (l: string[]) => l.map((cell, c) => cell.padEnd(widths[c])).join(' | ').trimEnd();
  const out = [...header, '', render(lines[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.slice(1).map(render)];
  for (const r of reports) for (const note of r.notes) out.push(`  [${r.id}] ${note}`);
  return out.join('\n');
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(round(value, 2));
}

export function writeJson(dir: string, startedAt: Date, data: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
