import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

interface Chunk {
  type: 'chunk';
  isEntry: boolean;
  imports: string[];
  dynamicImports: string[];
  code: string;
  viteMetadata?: { importedCss: Set<string> };
}
interface Asset {
  type: 'asset';
  source: string | Uint8Array;
}
type Bundle = Record<string, Chunk | Asset>;

/** A chunk, its static imports and their CSS: what the browser fetches before that code runs. */
function closure(bundle: Bundle, start: string, into = new Set<string>()): Set<string> {
  const chunk = bundle[start];
  if (into.has(start) || !chunk || chunk.type !== 'chunk') return into;
  into.add(start);
  for (const css of chunk.viteMetadata?.importedCss ?? []) into.add(css);
  for (const name of chunk.imports) closure(bundle, name, into);
  return into;
}

function gzipKb(bundle: Bundle, files: Set<string>): number {
  let bytes = 0;
  for (const name of files) {
    const file = bundle[name];
    const body = file.type === 'chunk' ? file.code : file.source;
    bytes += gzipSync(typeof body === 'string' ? Buffer.from(body) : body).length;
  }
  return bytes / 1024;
}

/**
 * Prints the gzip size of a first load: the entry with its static imports, and for a page loaded on demand
 * (the admin console) that plus the page's own chunks. Fails the build when one reaches the limit.
 */
export function sizeReport(options: { limitKb: number }): Plugin {
  return {
    name: 'first-load-size',
    apply: 'build',
    generateBundle(_options, output) {
      const bundle = output as unknown as Bundle;
      const lines: string[] = [];
      let worst = 0;
      for (const [name, file] of Object.entries(bundle)) {
        if (file.type !== 'chunk' || !file.isEntry) continue;
        const base = closure(bundle, name);
        const baseKb = gzipKb(bundle, base);
        worst = Math.max(worst, baseKb);
        lines.push(`  ${name}: ${baseKb.toFixed(1)} KB`);
        for (const lazy of file.dynamicImports) {
          const kb = gzipKb(bundle, closure(bundle, lazy, new Set(base)));
          worst = Math.max(worst, kb);
          lines.push(`  ${name} + ${lazy}: ${kb.toFixed(1)} KB`);
        }
      }
      const summary = `first-load JS+CSS (gzip), limit ${options.limitKb} KB:\n${lines.join('\n')}`;
      process.stdout.write(`\n${summary}\n`);
      if (worst >= options.limitKb) this.error(summary);
    },
  };
}
