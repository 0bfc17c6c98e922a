import { ErrorCode, StudioError } from '../api/apiError';

/** JSON.parse whose error names the line and column, for text people edit by hand. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    if (!pos) throw new StudioError(ErrorCode.InvalidRequest, `${what}: ${message}`);
    const offset = Number(pos[1]);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const reason = message.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new StudioError(ErrorCode.InvalidRequest, `${what}, line ${line}, column ${column}: ${reason}`, { line, column });
  }
}
