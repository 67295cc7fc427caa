import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getMetadataArgsStorage } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { cliEntities } from './cli-entities';

const src = join(__dirname, '..');

function entityFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return entityFiles(p);
    return name.endsWith('.entity.ts') ? [p] : [];
  });
}

async function entitiesIn(file: string): Promise<Array<{ name: string; target: unknown }>> {
  const exports = (await import(file)) as Record<string, unknown>;
  const tables = new Set(getMetadataArgsStorage().tables.map((t) => t.target));
  return Object.entries(exports)
    .filter(([, value]) => tables.has(value as never))
    .map(([name, target]) => ({ name, target }));
}

describe('entities', () => {
  it('the CLI lists every entity of src/', async () => {
    const files = entityFiles(src);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      for (const { name, target } of await entitiesIn(file)) {
        expect(cliEntities, `${name} (${relative(src, file)})`).toContain(target);
      }
    }
  });

  it('each entity is registered by a module of its own folder (TypeOrmModule.forFeature)', async () => {
    for (const file of entityFiles(src)) {
      const feature = relative(src, file).split('/')[0];
      const modules = readdirSync(join(src, feature), { recursive: true, encoding: 'utf8' })
        .filter((p) => p.endsWith('.module.ts'))
        .map((p) => readFileSync(join(src, feature, p), 'utf8'));
      for (const { name } of await entitiesIn(file)) {
        const registered = modules.some((text) => new RegExp(`forFeature\\(\\[[^\\]]*\\b${name}\\b`).test(text));
        expect(registered, `${name} is registered in a ${feature}/ module`).toBe(true);
      }
    }
  });
});
