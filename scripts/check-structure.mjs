#!/usr/bin/env node
// The module walls of ARCHITECTURE.md "Shape", checked on the source tree:
//   shared-writes  a table written (SQL INSERT/UPDATE/DELETE/MERGE/TRUNCATE, or an entity declared or
//                  registered with forFeature) by more than one module
//   metadata-keys  SQL that reads keys of a `metadata` column (->, ->>, #>, #>>, ?, ?|, ?&, @>)
//   upward-import  common/, config/ or database/ importing a feature module; auth/core importing
//                  anything but those and itself
//   in-twin        a method or function `x` next to an `xIn` in the same file
// Usage: node scripts/check-structure.mjs [root=src] [--report]
// One line per finding, then a summary. Exit 1 on any finding; with --report, exit 0 (findings
// still printed), while the last of them are being fixed.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const BASE = new Set(['common', 'config', 'database']);
const CORE = 'auth/core';
const NOT_TABLES = new Set(['set', 'only', 'of', 'nowait', 'skip']);

/** The `.ts` files under root, specs left out: they are not a module's code. */
function sourceFiles(root) {
  const files = [];
  (function walk(dir) {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !/\.(e2e-)?spec\.ts$/.test(name)) files.push(path);
    }
  })(root);
  return files;
}

/** Splits TypeScript into its string/template literal texts and its code, comments dropped. */
function scan(text) {
  const strings = [];
  let code = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let body = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\') {
          body += text[j + 1] ?? '';
          j += 2;
        } else {
          body += text[j++];
        }
      }
      strings.push(body);
      code += `${c}${body}${c}`;
      i = j + 1;
    } else {
      code += c;
      i++;
    }
  }
  return { strings, code };
}

const WRITE = /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?((?:"?[A-Za-z_][A-Za-z0-9_]*"?\.)?"?[A-Za-z_][A-Za-z0-9_]*"?)/g;
const METADATA_KEYS = /\bmetadata"?\s*(->>?|#>>?|\?[|&]?|@>)/;

/** Tables a piece of SQL writes. `FOR UPDATE`, `DO UPDATE SET` and `FOR NO KEY UPDATE` write nothing by themselves. */
function writtenTables(sql) {
  const tables = [];
  for (const m of sql.matchAll(WRITE)) {
    const before = sql.slice(0, m.index).trimEnd();
    if (m[1] === 'UPDATE' && /\b(FOR|DO|KEY)$/.test(before)) continue;
    const table = m[2].replaceAll('"', '').toLowerCase();
    if (!NOT_TABLES.has(table)) tables.push(table);
  }
  return tables;
}

/** The module a file belongs to: its first folder under root (auth/core and auth/accounts count as auth). */
function moduleOf(root, file) {
  const parts = relative(root, file).split(sep);
  return parts.length > 1 ? parts[0] : '(root)';
}

function importsOf(code) {
  const specs = [];
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm)) specs.push(m[2]);
  return specs;
}

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'constructor', 'super', 'await', 'typeof', 'new']);

/** Names of the methods and functions a file declares. */
function declaredNames(code) {
  const names = new Set();
  const method = /^[ \t]+(?:(?:public|private|protected|static|async|override|readonly)\s+)*(?:get\s+|set\s+)?([A-Za-z_$][\w$]*)\s*(?:<[^>()]*>)?\s*\(([^;\n]*)$/gm;
  for (const m of code.matchAll(method)) {
    // A call at the start of a line (`foo(x);`) has its `;` on the line and is not matched.
    if (!KEYWORDS.has(m[1])) names.add(m[1]);
  }
  for (const m of code.matchAll(/\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>()]*>)?\s*\(/g)) names.add(m[1]);
  for (const m of code.matchAll(/^[ \t]*(?:export\s+)?(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>/gm)) names.add(m[1]);
  for (const m of code.matchAll(/^[ \t]+(?:(?:public|private|protected|static|readonly)\s+)*([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>/gm)) names.add(m[1]);
  return names;
}

export function checkStructure(root) {
  const files = sourceFiles(root);
  const findings = [];
  const writers = new Map();
  const write = (table, mod, why) => {
    if (!writers.has(table)) writers.set(table, new Map());
    const mods = writers.get(table);
    if (!mods.has(mod)) mods.set(mod, why);
  };
  const entityTables = new Map();
  const sources = files.map((file) => ({ file, rel: relative(root, file).split(sep).join('/'), mod: moduleOf(root, file), ...scan(readFileSync(file, 'utf8')) }));

  for (const { code } of sources) {
    for (const m of code.matchAll(/@Entity\(\s*(?:'([^']+)'|"([^"]+)"|\{[^}]*\bname:\s*['"]([^'"]+)['"][^}]*\})?\s*\)\s*(?:export\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/g)) {
      entityTables.set(m[4], (m[1] ?? m[2] ?? m[3] ?? m[4]).toLowerCase());
    }
  }

  for (const { rel, mod, strings, code } of sources) {
    for (const sql of strings) for (const table of writtenTables(sql)) write(table, mod, `SQL in ${rel}`);
    for (const m of code.matchAll(/@Entity\(\s*(?:'([^']+)'|"([^"]+)"|\{[^}]*\bname:\s*['"]([^'"]+)['"][^}]*\})?\s*\)\s*(?:export\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/g)) {
      write(entityTables.get(m[4]), mod, `entity ${m[4]} in ${rel}`);
    }
    for (const m of code.matchAll(/forFeature\(\s*\[([^\]]*)\]/g)) {
      for (const name of m[1].split(',').map((s) => s.trim()).filter(Boolean)) {
        if (entityTables.has(name)) write(entityTables.get(name), mod, `forFeature(${name}) in ${rel}`);
      }
    }

    if (strings.some((sql) => METADATA_KEYS.test(sql))) findings.push(`metadata-keys ${rel}: SQL reads keys of a metadata column`);

    const base = BASE.has(mod);
    const core = rel.startsWith(`${CORE}/`);
    if (base || core) {
      for (const spec of importsOf(code)) {
        const target = relative(root, join(dirname(join(root, rel)), spec)).split(sep).join('/');
        if (target.startsWith('..')) continue;
        const top = target.split('/')[0];
        if (BASE.has(top) || (core && target.startsWith(`${CORE}/`))) continue;
        findings.push(`upward-import ${rel} imports ${core && top === 'auth' ? target.split('/').slice(0, 2).join('/') : top}/`);
      }
    }

    const names = declaredNames(code);
    for (const name of [...names].sort()) {
      if (name.length > 2 && name.endsWith('In') && names.has(name.slice(0, -2))) {
        findings.push(`in-twin ${rel}: ${name.slice(0, -2)}() and ${name}()`);
      }
    }
  }

  for (const [table, mods] of [...writers].sort(([a], [b]) => a.localeCompare(b))) {
    if (mods.size > 1) {
      const by = [...mods].sort(([a], [b]) => a.localeCompare(b)).map(([mod, why]) => `${mod} (${why})`);
      findings.push(`shared-writes ${table}: written by ${by.join(', ')}`);
    }
  }
  return { findings, files: files.length, tables: writers.size };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const args = process.argv.slice(2);
  const report = args.includes('--report');
  const root = args.find((a) => !a.startsWith('--')) ?? 'src';
  const { findings, files, tables } = checkStructure(root);
  for (const finding of findings) process.stdout.write(`${finding}\n`);
  process.stdout.write(`check-structure: ${findings.length} finding(s) in ${files} files (${tables} tables written)${report && findings.length ? ' (report only)' : ''}\n`);
  process.exit(findings.length && !report ? 1 : 0);
}
