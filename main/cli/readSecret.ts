// Secrets reach the CLI from a file or the environment, never from argv: command lines are
// visible to every user through ps and land in shell history.
import fs from 'node:fs';
import { UsageError, type CommandContext } from './command';

export const PASSPHRASE_ENV = 'STUDIO_KEY_PASSPHRASE';

/** The key passphrase from --passphrase-file (one trailing newline dropped) or $STUDIO_KEY_PASSPHRASE. */
export function readPassphrase(ctx: CommandContext): string {
  const file = ctx.values['passphrase-file'];
  if (typeof file === 'string') {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`--passphrase-file: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    const passphrase = text.replace(/\r?\n$/, '');
    if (passphrase === '') throw new UsageError(`--passphrase-file: ${file} is empty`);
    return passphrase;
  }
  const env = process.env[PASSPHRASE_ENV];
  if (env) return env;
  throw new UsageError(`A key passphrase is needed: set ${PASSPHRASE_ENV} or pass --passphrase-file FILE (never on the command line).`);
}

/** A private key from --private-key-file, else from stdin when it is a pipe. */
export async function readPrivateKey(ctx: CommandContext): Promise<string> {
  const file = ctx.values['private-key-file'];
  if (typeof file === 'string') {
    try {
      return fs.readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new UsageError(`--private-key-file: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  }
  if (process.stdin.isTTY) throw new UsageError('key import reads the private key from --private-key-file FILE or from stdin (a pipe), never from the command line.');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}
