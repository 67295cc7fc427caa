import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = join(__dirname, '..', 'scripts', 'check-structure.mjs');
const trees: string[] = [];

/** A source tree of the given files (path under src/ → text). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'check-structure-'));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(root: string, ...flags: string[]): { code: number | null; findings: string[]; summary: string } {
  const run = spawnSync(process.execPath, [script, root, ...flags], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const lines = run.stdout.trim().split('\n');
  return { code: run.status, findings: lines.slice(0, -1), summary: lines.at(-1)! };
}

const clean = {
  'common/clock.ts': `export const now = () => new Date();\n`,
  'database/unit.ts': `import { now } from '../common/clock';\nimport { CreateUsers } from '../../migrations/create-users';\nexport const x = [now, CreateUsers];\n`,
  'users/entities/user.entity.ts': `@Entity('users')\nexport class UserEntity {}\n`,
  'users/users.module.ts': `@Module({ imports: [TypeOrmModule.forFeature([UserEntity])] })\nexport class UsersModule {}\n`,
  'users/users.repository.ts': [
    'export class UsersRepository {',
    '  async promote(id: string) {',
    "    await this.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [id]);",
    '  }',
    '  async begin(id: string) {',
    "    // UPDATE points SET x = 1 in a comment writes nothing; metadata->>'key' in a comment reads nothing",
    '    const row = await this.db.query(`SELECT * FROM users WHERE id = $1 FOR UPDATE`, [id]);',
    '    return row.metadata?.note ?? (row.metadata ? row.metadata.note : null);',
    '  }',
    '}',
  ].join('\n'),
  'points/points-ledger.repository.ts': [
    'export class PointsLedgerRepository {',
    '  async add(userId: string) {',
    '    await this.db.query(`INSERT INTO point_transactions (user_id) VALUES ($1) ON CONFLICT (user_id) DO UPDATE SET amount = 1`, [userId]);',
    '    await this.db.query(`SELECT u.id FROM users u WHERE u.id = $1 FOR NO KEY UPDATE`, [userId]);',
    '    await this.db.query(`SELECT metadata FROM point_transactions WHERE user_id = $1`, [userId]);',
    '  }',
    '  login() {}',
    '}',
  ].join('\n'),
  'auth/core/token.service.ts': `import { isUuid } from '../../common/uuid';\nimport { AuthUser } from './auth-user';\nexport class TokenService {}\n`,
  'auth/accounts/auth.service.ts': `import { UsersService } from '../../users/users.service';\nexport class AuthService {}\n`,
  'users/users.service.spec.ts': `await db.query(\`UPDATE point_transactions SET amount = 0\`);\n`,
};

describe('scripts/check-structure.mjs', () => {
  afterAll(() => trees.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('passes a tree that keeps every wall (FOR UPDATE, DO UPDATE SET, comments, specs and ?. are not findings)', () => {
    const run = check(tree(clean));
    expect(run.findings).toEqual([]);
    expect(run.summary).toMatch(/^check-structure: 0 finding\(s\) in 8 files \(2 tables written\)$/);
    expect(run.code).toBe(0);
  });

  it('finds a table written in SQL by two modules', () => {
    const run = check(
      tree({
        ...clean,
        'levels/seed-levels.ts': 'export const RELEVEL = `UPDATE users SET level = 2`;\nexport const PURGE = "DELETE FROM level_configs";\n',
      }),
    );
    expect(run.findings).toEqual([
      'shared-writes users: written by levels (SQL in levels/seed-levels.ts), users (entity UserEntity in users/entities/user.entity.ts)',
    ]);
    expect(run.code).toBe(1);
  });

  it('counts an entity and its forFeature registration as writes of its table', () => {
    const run = check(
      tree({
        ...clean,
        'referrals/referrals.module.ts': `@Module({ imports: [TypeOrmModule.forFeature([ReferralEntity, UserEntity])] })\nexport class ReferralsModule {}\n`,
        'referrals/entities/referral.entity.ts': `@Entity({ name: 'referrals' })\nexport class ReferralEntity {}\n`,
        'points/referral-counts.ts': 'export const SQL = `INSERT INTO "referrals" (id) VALUES ($1)`;\n',
      }),
    );
    expect(run.findings).toEqual([
      'shared-writes referrals: written by points (SQL in points/referral-counts.ts), referrals (entity ReferralEntity in referrals/entities/referral.entity.ts)',
      'shared-writes users: written by referrals (forFeature(UserEntity) in referrals/referrals.module.ts), users (entity UserEntity in users/entities/user.entity.ts)',
    ]);
  });

  it.each([
    ["t.metadata->>'purchaseId' = $1"],
    ["metadata -> 'award' IS NOT NULL"],
    ["metadata ? 'heldUntil'"],
    ['metadata @> $1::jsonb'],
    ["\"metadata\" #>> '{a,b}'"],
  ])('finds SQL reading keys of a metadata column: %s', (condition) => {
    const run = check(tree({ ...clean, 'admin/review.repository.ts': `export const SQL = \`SELECT id FROM point_transactions t WHERE ${condition}\`;\n` }));
    expect(run.findings).toEqual(['metadata-keys admin/review.repository.ts: SQL reads keys of a metadata column']);
    expect(run.code).toBe(1);
  });

  it('finds common/, config/ and database/ importing a feature module, and auth core importing one', () => {
    const run = check(
      tree({
        ...clean,
        'database/prepare-database.ts': `import { seedLevels } from '../levels/seed-levels';\nimport { DataSource } from 'typeorm';\n`,
        'database/entities.ts': `export { UserEntity } from '../users/entities/user.entity';\n`,
        'config/app-config.ts': `const rules = await import('../purchases/reward-rules');\n`,
        'common/http/roles.ts': `import type { UserRole } from '../../users/entities/user.entity';\n`,
        'auth/core/auth-user.ts': `import { UserRole } from '../../users/entities/user.entity';\nimport { SignUpDto } from '../accounts/dto/sign-up.dto';\n`,
      }),
    );
    expect(run.findings.sort()).toEqual([
      'upward-import auth/core/auth-user.ts imports auth/accounts/',
      'upward-import auth/core/auth-user.ts imports users/',
      'upward-import common/http/roles.ts imports users/',
      'upward-import config/app-config.ts imports purchases/',
      'upward-import database/entities.ts imports users/',
      'upward-import database/prepare-database.ts imports levels/',
    ]);
  });

  it('finds a method or function with an …In twin', () => {
    const run = check(
      tree({
        ...clean,
        'points/points.service.ts': [
          'export class PointsService {',
          '  addPoints(',
          '    userId: string,',
          '  ): Promise<void> {',
          '    return this.commit((m) => this.addPointsIn(m, userId));',
          '  }',
          '  async addPointsIn(m: EntityManager, userId: string): Promise<void> {}',
          '  private async spend(userId: string) {}',
          '}',
        ].join('\n'),
        'purchases/settle.ts': 'export function settle(id: string) {}\nexport const settleIn = async (m: EntityManager) => undefined;\n',
      }),
    );
    expect(run.findings).toEqual(['in-twin points/points.service.ts: addPoints() and addPointsIn()', 'in-twin purchases/settle.ts: settle() and settleIn()']);
  });

  it('with --report prints the findings and exits 0', () => {
    const run = check(tree({ ...clean, 'levels/seed.ts': 'export const SQL = `UPDATE users SET level = 1`;\n' }), '--report');
    expect(run.findings).toHaveLength(1);
    expect(run.summary).toMatch(/1 finding\(s\).*\(report only\)$/);
    expect(run.code).toBe(0);
  });
});
