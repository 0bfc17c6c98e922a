import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  /** Options parsed by this command's spec plus the global ones. */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  json: boolean;
  home: string;
  /** Where progress and logs go: stderr, so stdout stays one JSON document under --json. */
  info(message: string): void;
}

/**
 * One CLI command. `run` returns the data to print: under `--json` it is printed as one JSON
 * document; otherwise `human` formats it (or it is printed as indented JSON).
 */
export interface Command {
  path: string[];
  usage: string;
  summary: string;
  options?: OptionSpec;
  run(ctx: CommandContext): Promise<unknown>;
  human?(result: any): string;
  /** Long-running commands (serve) print for themselves and never return a result. */
  daemon?: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
