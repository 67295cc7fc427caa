import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');

describe('migrations are written by hand', () => {
  it('package.json has no migration:generate script, and the README says why', () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(Object.keys(scripts)).not.toContain('migration:generate');
    expect(Object.values(scripts).join('\n')).not.toMatch(/typeorm\s+migration:generate/);
    expect(scripts['migration:run']).toBeDefined();
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toMatch(/Migrations are written by hand/);
    expect(readme).not.toMatch(/npm run migration:generate/);
  });
});
