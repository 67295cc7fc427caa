import pg from 'pg';

export interface CapturedStatement {
  sql: string;
  params: unknown[];
}

type QueryFn = (this: object, config: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * The statements one service call sends, read off the pg driver while `call` runs: every query
 * of the connection that carried a parameter equal to `marker` (the call's idempotency key),
 * from its START TRANSACTION to its COMMIT. This is what the pgbench ceiling replays, so the
 * ceiling runs exactly the SQL the repository issues, round trips included.
 */
export async function captureStatements(marker: string, call: () => Promise<unknown>): Promise<CapturedStatement[]> {
  const log = await recordStatements(call);
  const owner = log.find((q) => q.params.includes(marker))?.client;
  if (!owner) throw new Error(`no statement carried the marker ${marker}: cannot derive the pgbench script`);
  const own = log.filter((q) => q.client === owner).map(({ sql, params }) => ({ sql, params }));
  const start = own.findIndex((q) => /^\s*(START TRANSACTION|BEGIN)/i.test(q.sql));
  const end = own.findIndex((q, i) => i > start && /^\s*COMMIT/i.test(q.sql));
  if (start < 0 || end < 0) throw new Error('the captured call did not run in one transaction');
  return own.slice(start, end + 1);
}

/** Every query any pg client of this process sends while `call` runs. */
export async function recordStatements(call: () => Promise<unknown>): Promise<Array<{ client: object } & CapturedStatement>> {
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  const log: Array<{ client: object } & CapturedStatement> = [];
  proto.query = function (this: object, config: unknown, values?: unknown, callback?: unknown) {
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    const params = Array.isArray(values) ? values : ((config as { values?: unknown[] } | null)?.values ?? []);
    if (typeof text === 'string') log.push({ client: this, sql: text, params });
    return original.call(this, config, values, callback);
  };
  try {
    await call();
  } finally {
    proto.query = original;
  }
  return log;
}

/**
 * A pgbench script replaying `statements`. Each parameter whose value is a key of `vary` is
 * replaced by that SQL expression over pgbench variables (e.g. the user and the idempotency
 * key); every other parameter becomes a -D variable, so pgbench (-M extended) binds it as an
 * untyped parameter exactly as node-postgres does.
 */
export function pgbenchScript(
  statements: CapturedStatement[],
  vary: Map<unknown, string>,
  prelude: string[],
  prefix: string,
): { script: string; defines: Record<string, string> } {
  const defines: Record<string, string> = {};
  let n = 0;
  const lines = [...prelude];
  for (const statement of statements) {
    if (statement.sql.includes(';')) throw new Error(`a statement holds a semicolon, which pgbench cannot replay: ${statement.sql.slice(0, 80)}`);
    const names = new Map<number, string>();
    const sql = statement.sql.replace(/\$(\d+)/g, (_, index: string) => {
      const value = statement.params[Number(index) - 1];
      const varied = vary.get(value);
      if (varied) return varied;
      if (value === null || value === undefined) return 'NULL';
      if (!names.has(Number(index))) {
        const name = `${prefix}${++n}`;
        defines[name] = literal(value);
        names.set(Number(index), name);
      }
      return `:${names.get(Number(index))}`;
    });
    lines.push(`${sql.trim()};`);
  }
  return { script: `${lines.join('\n')}\n`, defines };
}

function literal(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
