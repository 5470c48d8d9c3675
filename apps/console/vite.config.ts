import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Vite 8 compiles JSX itself (Oxc); @vitejs/plugin-react's optional Babel 8 peer conflicts with jest's Babel 7, so
// component edits in dev reload the page instead of hot-swapping components with their state.
export default defineConfig({
  root,
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Mantine marks its modules "use client" for server components; a browser-only bundle has nothing to keep
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    // npm run dev:console: the API runs separately (npm run start:api); the console's calls go to it
    proxy: { '/v1': process.env.EARSHOT_API_URL ?? 'http://127.0.0.1:3000' },
  },
});
