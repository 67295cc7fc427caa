import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where `vite build` (web/) writes the app: `dist/web`. The compiled controller sits in dist/src/dashboard,
 * the TypeScript one (tests) in src/dashboard; both find the same folder.
 */
export function webAppDir(from = __dirname): string {
  const besideSource = join(from, '..', '..', 'dist', 'web');
  return existsSync(besideSource) ? besideSource : join(from, '..', '..', 'web');
}

export interface WebAppFiles {
  /** index.html with the server's settings written into its meta tags, or null when the app is not built. */
  html: string | null;
  assetsDir: string;
  /** The built asset names (content-hashed): nothing else is served from the assets path. */
  assets: Set<string>;
}

export function loadWebApp(settings: { google: boolean; publicUrl: string }, dir = webAppDir()): WebAppFiles {
  const assetsDir = join(dir, 'assets');
  const index = join(dir, 'index.html');
  if (!existsSync(index) || !existsSync(assetsDir)) return { html: null, assetsDir, assets: new Set() };
  return { html: withSettings(readFileSync(index, 'utf8'), settings), assetsDir, assets: new Set(readdirSync(assetsDir)) };
}

export function withSettings(html: string, settings: { google: boolean; publicUrl: string }): string {
  return html
    .replace('<meta name="google-sign-in" content="off" />', `<meta name="google-sign-in" content="${settings.google ? 'on' : 'off'}" />`)
    .replace('<meta name="public-url" content="" />', `<meta name="public-url" content="${escapeAttribute(settings.publicUrl)}" />`);
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
