import PgBoss from 'pg-boss';
import { Client } from 'pg';

/** The schema version this pg-boss (10.x) creates and migrates to; a higher one was made by a newer pg-boss. */
export const JOB_SCHEMA_VERSION = 24;

/** Where a newer pg-boss's schema waits, inside the carry-over transaction, while its jobs move. */
const MOVING_SCHEMA_SUFFIX = '_newer';

/** Job states worth keeping: work not done yet (active means its worker is gone) and failures someone may retry. */
const CARRIED_STATES = ['created', 'retry', 'active', 'failed'];
const POLICIES = ['standard', 'short', 'singleton', 'stately'];

/**
 * pg-boss 10 leaves a schema of a higher version untouched and then runs its own SQL against it,
 * which fails on the first send or fetch. A schema left by pg-boss 12 (version 43) is therefore
 * set aside, a version-24 schema is created under the same name, the old queues and their
 * unfinished and failed jobs (ids, payloads, retry counts, start times, singleton keys) are copied
 * in, schedules too, and the old schema is dropped, all in one transaction under pg-boss's
 * schema lock: any error leaves the old schema as it was. Returns the number of jobs carried over.
 */
export async function carryOverNewerJobSchema(url: string | undefined, schema: string): Promise<number> {
  const client = new Client({ connectionString: url, application_name: 'referral-points-jobs-upgrade' });
  await client.connect();
  try {
    if (!((await schemaVersion(client, schema)) > JOB_SCHEMA_VERSION)) return 0;
    await client.query('BEGIN');
    try {
      await client.query(`SELECT pg_advisory_xact_lock(('x' || encode(sha224((current_database() || '.pgboss.' || $1)::bytea), 'hex'))::bit(64)::bigint)`, [schema]);
      // Another instance may have carried it over while this one waited for the lock.
      if (!((await schemaVersion(client, schema)) > JOB_SCHEMA_VERSION)) {
        await client.query('COMMIT');
        return 0;
      }
      const moved = await carryOver(client, schema);
      await client.query('COMMIT');
      return moved;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  } finally {
    await client.end();
  }
}

async function schemaVersion(client: Client, schema: string): Promise<number> {
  const { rows } = await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [`${schema}.version`]);
  if (!rows[0].present) return 0;
  const version = await client.query(`SELECT max(version::int) AS version FROM ${schema}.version`);
  return version.rows[0].version ?? 0;
}

async function carryOver(client: Client, schema: string): Promise<number> {
  const old = `${schema}${MOVING_SCHEMA_SUFFIX}`;
  await client.query(`ALTER SCHEMA ${schema} RENAME TO ${old}`);
  await client.query(constructionSql(schema));
  const queues = (
    await client.query(`SELECT name, policy, retry_limit, retry_delay, retry_backoff, expire_seconds, retention_seconds, dead_letter FROM ${old}.queue ORDER BY name`)
  ).rows;
  for (const q of queues) {
    const options = {
      policy: POLICIES.includes(q.policy) ? q.policy : 'standard',
      retryLimit: q.retry_limit,
      retryDelay: q.retry_delay,
      retryBackoff: q.retry_backoff,
      expireInSeconds: q.expire_seconds,
      retentionMinutes: Math.ceil(q.retention_seconds / 60),
    };
    await client.query(`SELECT ${schema}.create_queue($1, $2::json)`, [q.name, JSON.stringify(options)]);
  }
  // Dead-letter queues reference each other, so they are linked once every queue exists.
  await client.query(`UPDATE ${schema}.queue q SET dead_letter = o.dead_letter FROM ${old}.queue o WHERE o.name = q.name AND o.dead_letter IS NOT NULL`);
  const moved = await client.query(
    `INSERT INTO ${schema}.job (id, name, priority, data, state, retry_limit, retry_count, retry_delay, retry_backoff, start_after, started_on,
                                singleton_key, singleton_on, expire_in, created_on, completed_on, keep_until, output, dead_letter, policy)
     SELECT j.id, j.name, j.priority, j.data,
            (CASE j.state::text WHEN 'active' THEN 'retry' ELSE j.state::text END)::${schema}.job_state,
            j.retry_limit, j.retry_count, j.retry_delay, j.retry_backoff,
            CASE WHEN j.state::text = 'active' THEN now() ELSE j.start_after END, j.started_on,
            j.singleton_key, j.singleton_on, make_interval(secs => j.expire_seconds), j.created_on, j.completed_on,
            greatest(j.keep_until, now() + interval '1 day'), j.output, j.dead_letter, q.policy
     FROM ${old}.job j JOIN ${schema}.queue q ON q.name = j.name
     WHERE j.state::text = ANY($1)`,
    [CARRIED_STATES],
  );
  await client.query(
    `INSERT INTO ${schema}.schedule (name, cron, timezone, data, options)
     SELECT DISTINCT ON (s.name) s.name, s.cron, s.timezone, s.data, s.options FROM ${old}.schedule s
     JOIN ${schema}.queue q ON q.name = s.name WHERE s.cron IS NOT NULL ORDER BY s.name, s.created_on`,
  );
  await client.query(`DROP SCHEMA ${old} CASCADE`);
  return moved.rowCount ?? 0;
}

/** pg-boss's own construction SQL, which brackets itself in BEGIN/COMMIT: here it runs inside the carry-over's transaction. */
function constructionSql(schema: string): string {
  const plan = PgBoss.getConstructionPlans(schema);
  const brackets = /^\s*(BEGIN|COMMIT);\s*$/gm;
  if ((plan.match(brackets) ?? []).length !== 2) throw new Error('pg-boss construction plan has an unexpected shape');
  return plan.replace(brackets, '');
}
