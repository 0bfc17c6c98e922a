// Builds what runs under Node and Electron into dist/node. The renderer is built by Vite
// (renderer/vite.config.ts) into dist/renderer; `npm run build` runs both.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // npm packages stay external: native addons (better-sqlite3) must be loaded from node_modules.
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  loader: { '.sql': 'text' },
};

await Promise.all([
  build({
    ...common,
    format: 'esm',
    entryPoints: {
      cli: 'main/cli/studio.ts',
      jobWorker: 'main/jobs/jobWorker.ts',
      inspectModelWorker: 'main/engine/inspectModelWorker.ts',
      importCommitWorker: 'main/datanets/importCommitWorker.ts',
      'electron-main': 'main/electron/main.ts',
    },
    outdir: 'dist/node',
    outExtension: { '.js': '.mjs' },
  }),
  // Sandboxed preloads must be CommonJS and may only require a few Electron modules.
  build({ ...common, format: 'cjs', entryPoints: { preload: 'main/electron/preload.ts' }, outdir: 'dist/node', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
]);
console.log('built dist/node');
