import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseUrl } from '../../src/database/embedded-database';

/** A fresh database cloned from the migrated template; retried while another clone holds the template. */
export async function cloneTemplate(adminUrl: string, template: string, prefix: string): Promise<string> {
  const name = `${prefix}${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return databaseUrl(adminUrl, name);
      } catch (error) {
        if (attempt >= 50 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  } finally {
    await admin.end();
  }
}

export async function dropDatabases(adminUrl: string, prefix: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
