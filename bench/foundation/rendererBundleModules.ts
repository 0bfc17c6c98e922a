import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

/** The modules that end up in the renderer bundle (code rendered into some chunk), by absolute path. */
export async function rendererBundleModules(): Promise<string[]> {
  const ids = new Set<string>();
  await build({
    configFile: 'renderer/vite.config.ts',
    logLevel: 'silent',
    build: { write: false },
    plugins: [
      {
        name: 'collect-bundled-modules',
        generateBundle(_options, bundle) {
          for (const chunk of Object.values(bundle)) {
            if (chunk.type !== 'chunk') continue;
            // A module imported only for what tree-shaking removed renders nothing: it is not shipped.
            for (const [id, info] of Object.entries(chunk.modules)) if (info.renderedLength > 0) ids.add(id);
          }
        },
      },
    ],
  });
  return [...ids].sort();
}

/** A main/api module is schema code when it imports zod (the contract and the *Schemas files). */
function isSchemaModule(id: string): boolean {
  if (!/[\\/]main[\\/]api[\\/][^\\/]+\.ts$/.test(id)) return false;
  return /from ['"]zod['"]/.test(fs.readFileSync(id, 'utf8'));
}

/**
 * ARCHITECTURE.md says the renderer bundles no schema code: it takes types from the contract with
 * `import type`. Throws, naming the modules, when zod or a schema module is in the bundle.
 */
export async function assertRendererHasNoSchemaCode(): Promise<void> {
  const shipped = (await rendererBundleModules()).filter((id) => /[\\/]node_modules[\\/]zod[\\/]/.test(id) || isSchemaModule(id));
  if (shipped.length > 0) {
    const names = [...new Set(shipped.map((id) => (id.includes('node_modules') ? 'zod' : path.relative(process.cwd(), id))))];
    throw new Error(`The renderer bundle contains schema code: ${names.join(', ')}. Import schema modules with \`import type\`; shared constants live in main/api/constants.ts.`);
  }
}
