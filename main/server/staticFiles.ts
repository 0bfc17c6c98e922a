import fs from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves the renderer build. Paths are resolved inside `root` and anything escaping it is a
 * 404; unknown paths fall back to index.html (client-side routes).
 */
export function serveStatic(root: string, urlPath: string, res: ServerResponse, headers: Record<string, string>): void {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    res.writeHead(400, headers).end('Bad path');
    return;
  }
  const file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(404, headers).end('Not found');
    return;
  }
  let target = file;
  if (!fs.existsSync(target) || fs.statSync(target).isDirectory()) {
    if (path.extname(rel)) {
      res.writeHead(404, headers).end('Not found');
      return;
    }
    target = path.join(root, 'index.html');
  }
  if (!fs.existsSync(target)) {
    res.writeHead(500, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end(
      `The renderer build is missing (${target}). Run "npm run build" first.`,
    );
    return;
  }
  const ext = path.extname(target);
  res.writeHead(200, {
    ...headers,
    'content-type': mimeTypes[ext] ?? 'application/octet-stream',
    // Hashed asset names may be cached; index.html must not be, so new builds are picked up.
    'cache-control': ext === '.html' ? 'no-store' : 'private, max-age=31536000, immutable',
  });
  // A file removed or unreadable mid-stream ends this response, not the process.
  fs.createReadStream(target)
    .on('error', () => res.destroy())
    .pipe(res);
}
