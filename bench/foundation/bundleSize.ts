import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { assertRendererHasNoSchemaCode } from './rendererBundleModules';

/**
 * Renderer build size: every file raw and gzip, biggest first, plus totals by kind. Fails first
 * when zod or a schema module is in the bundle (they would be counted as the renderer's own size).
 */
export async function bundleSize(): Promise<unknown> {
  await assertRendererHasNoSchemaCode();
  const root = 'dist/renderer';
  if (!fs.existsSync(root)) throw new Error('Run `npm run build` first.');
  const files = (fs.readdirSync(root, { recursive: true }) as string[])
    .map((rel) => path.join(root, rel))
    .filter((f) => fs.statSync(f).isFile() && !f.endsWith('.map'))
    .map((f) => {
      const data = fs.readFileSync(f);
      return { file: path.relative(root, f), bytes: data.length, gzipBytes: zlib.gzipSync(data, { level: 9 }).length };
    })
    .sort((a, b) => b.bytes - a.bytes);
  const sum = (xs: typeof files) => ({ bytes: xs.reduce((n, f) => n + f.bytes, 0), gzipBytes: xs.reduce((n, f) => n + f.gzipBytes, 0) });
  return {
    total: sum(files),
    js: sum(files.filter((f) => f.file.endsWith('.js'))),
    css: sum(files.filter((f) => f.file.endsWith('.css'))),
    fonts: sum(files.filter((f) => /\.(ttf|woff2?)$/.test(f.file))),
    largest: files.slice(0, 8),
  };
}
