import 'reflect-metadata';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseOptions } from './bench-options';
import { startDatabaseServer, takeLedgerChecks, withClient } from './bench-database';
import { pgbenchVersion } from './pgbench';
import { printTable, ScenarioReport, writeJson } from './report';
import { Scenario } from './scenario';
import { hotUser } from './scenarios/hot-user';
import { purchaseEvents } from './scenarios/purchase-events';
import { reads } from './scenarios/reads';
import { shortLinks } from './scenarios/short-links';
import { uncontendedAwards } from './scenarios/uncontended-awards';
import { webhookOutbox } from './scenarios/webhook-outbox';

const SCENARIOS: Record<number, { title: string; run: Scenario }> = {
  1: { title: 'uncontended awards', run: uncontendedAwards },
  2: { title: 'hot user', run: hotUser },
  3: { title: 'purchase events', run: purchaseEvents },
  4: { title: 'reads', run: reads },
  5: { title: 'short links', run: shortLinks },
  6: { title: 'webhook outbox', run: webhookOutbox },
};

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const t0 = performance.now();
  const log = (message: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
  const pgbench = await pgbenchVersion();
  const server = await startDatabaseServer();
  const reports: ScenarioReport[] = [];
  const failures: Array<{ id: number; error: string }> = [];
  let postgres = '';
  try {
    postgres = await withClient(server.adminUrl, async (c) => (await c.query('SHOW server_version')).rows[0].server_version);
    log(`PostgreSQL ${postgres} (${server.source}), ${pgbench}, ${availableParallelism()} cores`);
    for (const id of options.only) {
      const scenario = SCENARIOS[id];
      log(`scenario ${id}: ${scenario.title}`);
      try {
        const report = await scenario.run({ server, options, log: (m) => log(`  [${id}] ${m}`) });
        const problems = takeLedgerChecks().flatMap((c) => c.problems);
        report.rows.push({ measure: 'ledger:verify after the scenario: problems', value: problems.length, unit: '', target: { label: '0', pass: problems.length === 0 } });
        report.details.ledgerProblems = problems.slice(0, 20);
        reports.push(report);
        if (problems.length > 0) failures.push({ id, error: `ledger:verify found ${problems.length} problems: ${problems[0].problem}` });
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`scenario ${id} failed: ${message}`);
        takeLedgerChecks();
        failures.push({ id, error: message });
      }
    }
  } finally {
    await server.stop();
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const machine = {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres,
    databaseSource: server.source,
    pgbench,
  };
  const header = [
    `Benchmarks ${startedAt.toISOString()}: ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, PostgreSQL ${postgres} (${server.source})`,
    `medians of ${options.rounds} rounds of ${options.duration} s; wall time ${wallSeconds.toFixed(0)} s`,
  ];
  process.stdout.write(`${printTable(reports, header)}\n`);
  for (const f of failures) process.stdout.write(`scenario ${f.id} FAILED: ${f.error.split('\n')[0]}\n`);
  const file = writeJson(join(__dirname, '..', '..', 'bench', 'results'), startedAt, {
    startedAt: startedAt.toISOString(),
    wallSeconds,
    machine,
    options,
    scenarios: reports,
    failures,
  });
  process.stdout.write(`results written to ${file}\n`);
  if (failures.length > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
