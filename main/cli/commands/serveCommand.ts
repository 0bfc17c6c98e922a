import path from 'node:path';
import { StudioCore } from '../../core/studioCore';
import { serveStudio } from '../../server/serveStudio';
import { UsageError, type Command } from '../command';

export const DEFAULT_PORT = 4870;

export const serveCommand: Command = {
  path: ['serve'],
  usage: 'studio serve [--port N] [--model DIR] [--workspace NAME] [--json]',
  summary: 'Run the workbench for a browser on 127.0.0.1 (prints the URL with its launch token)',
  // --model: the base the playground and the OpenAI-compatible /v1 endpoint serve (else the
  // workspace's playground.model setting).
  options: { port: { type: 'string' }, model: { type: 'string' } },
  daemon: true,
  async run(ctx) {
    const requested = ctx.values.port === undefined ? DEFAULT_PORT : Number(ctx.values.port);
    if (!Number.isInteger(requested) || requested < 0 || requested > 65535) throw new UsageError(`--port must be 0..65535, got ${ctx.values.port}`);
    const core = StudioCore.open({ home: ctx.home, mode: 'serve', ...(ctx.values.workspace ? { workspace: String(ctx.values.workspace) } : {}) });
    if (ctx.values.model) core.setPlaygroundModel(path.resolve(String(ctx.values.model)));
    let server;
    try {
      server = await serveStudio(core, { port: requested });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' && ctx.values.port === undefined) {
        ctx.info(`Port ${DEFAULT_PORT} is in use; picking a free one.`);
        server = await serveStudio(core, { port: 0 });
      } else {
        await core.close();
        throw err;
      }
    }
    const running = server;
    const v1 = `http://127.0.0.1:${running.port}/v1`;
    if (ctx.json) process.stdout.write(JSON.stringify({ url: running.url, port: running.port, workspace: core.workspace.name, openaiBaseUrl: v1 }) + '\n');
    else {
      process.stdout.write(`Attribution Studio is serving workspace "${core.workspace.name}" at:\n\n    ${running.url}\n\n`);
      process.stdout.write(`OpenAI-compatible endpoint: ${v1} (API key: the launch token in the URL)\n`);
      process.stdout.write('Open that URL in a browser. Press Ctrl+C to stop.\n');
    }
    const stop = async (signal: string) => {
      ctx.info(`Received ${signal}; stopping.`);
      await running.close();
      await core.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    await new Promise(() => {});
  },
};
