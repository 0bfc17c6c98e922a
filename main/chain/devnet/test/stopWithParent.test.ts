// A devnet owned by the app must not outlive it, even when the app is killed with SIGKILL (no
// exit handler runs then): the kernel's parent-death signal stops Anvil.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPidAlive } from '../devnetFile';

const script = `
import { startAnvil } from ${JSON.stringify(path.resolve('main/chain/devnet/anvilProcess.ts'))};
const anvil = await startAnvil({ stopWithParent: true });
process.stdout.write(String(anvil.pid) + '\\n');
setInterval(() => {}, 1000);
`;

describe.runIf(process.platform === 'linux')('startAnvil({ stopWithParent })', () => {
  it('stops Anvil when its parent is killed with SIGKILL', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
    expect(isPidAlive(pid)).toBe(true);
    parent.kill('SIGKILL');
    await expect.poll(() => isPidAlive(pid), { timeout: 10_000 }).toBe(false);
  });
});
