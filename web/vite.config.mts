import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { sizeReport } from './size-report.mts';

const root = fileURLToPath(new URL('.', import.meta.url));

// The app is served by Nest under /dashboard/ (see src/dashboard); `dist/web` sits beside the compiled backend.
export default defineConfig({
  root,
  base: '/dashboard/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
  },
  plugins: [sizeReport({ limitKb: 250 })],
});
