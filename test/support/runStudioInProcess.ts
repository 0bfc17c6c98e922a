// The CLI run inside the test process (no spawn), its stdout and stderr captured: for tests that
// call many quick commands against one STUDIO_HOME, where a process per command would dominate.
import { vi } from 'vitest';
import { runCli } from '../../main/cli/runCli';

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
  json: () => any;
}

export async function runStudioInProcess(home: string, argv: string[]): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
  try {
    const code = await runCli(argv, { STUDIO_HOME: home });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
