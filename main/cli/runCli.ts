import { parseArgs } from 'node:util';
import { toApiError } from '../api/apiError';
import { studioHome } from '../workspace/studioHome';
import { UsageError, type Command, type OptionSpec } from './command';
import { commands } from './commands/index';

const globalOptions: OptionSpec = {
  json: { type: 'boolean', default: false },
  workspace: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
};

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'Attribution Studio: build small language models from community data and show whose data shaped each answer.',
    '',
    'Usage:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Global options: --json (one JSON document on stdout), --workspace NAME (default: demo), -h/--help.',
    'Workspaces live under $STUDIO_HOME when set, else the OS application-data folder.',
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  const words = argv.filter((a) => !a.startsWith('-'));
  let best: Command | null = null;
  for (const c of commands) {
    if (c.path.every((p, i) => words[i] === p) && (!best || c.path.length > best.path.length)) best = c;
  }
  if (!best) return null;
  const rest = [...argv];
  for (const p of best.path) rest.splice(rest.indexOf(p), 1);
  return { command: best, rest };
}

/**
 * Runs the CLI and returns the exit code: 0 success, 1 failure, 2 usage error. Under --json
 * stdout carries exactly one JSON document (the result, or `{ "error": {...} }`).
 */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const json = argv.includes('--json');
  const found = findCommand(argv);
  if (!found) {
    if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(helpText() + '\n');
      return argv.length === 0 ? 2 : 0;
    }
    return report(json, new UsageError(`Unknown command "${argv.filter((a) => !a.startsWith('-')).join(' ')}".\n\n${helpText()}`));
  }
  const { command, rest } = found;
  try {
    const { values, positionals } = parseArgs({ args: rest, options: { ...globalOptions, ...command.options }, allowPositionals: true, strict: true });
    if (values.help) {
      process.stdout.write(`${command.usage}\n\n${command.summary}\n`);
      return 0;
    }
    const result = await command.run({
      values: values as Record<string, string | boolean | undefined>,
      positionals,
      json,
      home: studioHome(env),
      info: (m) => process.stderr.write(m + '\n'),
    });
    if (json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else process.stdout.write((command.human ? command.human(result) : JSON.stringify(result, null, 2)) + '\n');
    return 0;
  } catch (err) {
    return report(json, err);
  }
}

function report(json: boolean, err: unknown): number {
  const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  const error = usage ? { code: 'USAGE', message: (err as Error).message } : toApiError(err);
  if (json) process.stdout.write(JSON.stringify({ error }, null, 2) + '\n');
  process.stderr.write(`studio: ${error.message}\n`);
  return usage ? 2 : 1;
}
