import { locateJsonPath, type TextPosition } from './jsonLocate';

/** An error to underline in the settings editor; 1-based like Monaco. */
export interface EditorMarker extends TextPosition {
  message: string;
  /** False when the error named no place and the marker sits on line 1 only to be seen. */
  placed: boolean;
}

interface ErrorLike {
  message: string;
  details?: unknown;
}

function asRecord(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function splitPath(path: unknown): (string | number)[] {
  if (Array.isArray(path)) return path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
  if (typeof path === 'string') return path.split('.').filter(Boolean);
  return [];
}

/** The path as written in the file: the core may prefix it with the params' name. */
function locate(text: string, path: (string | number)[]): TextPosition | null {
  const direct = locateJsonPath(text, path);
  if (direct || path.length === 0) return direct;
  return locateJsonPath(text, path.slice(1));
}

/**
 * Turns a `settings.update` error into editor markers. The core names the place in one of three
 * ways: `details.line`/`details.column` (JSON syntax errors), `details.issues[]` with field paths
 * (schema errors), or only in the message ("line 3, column 5"). Anything else marks line 1, so an
 * error is never silently dropped.
 */
export function markersFromError(error: ErrorLike, text: string): EditorMarker[] {
  const details = asRecord(error.details);
  if (details && typeof details.line === 'number') {
    const column = typeof details.column === 'number' ? details.column : 1;
    return [{ line: details.line, column, message: error.message, placed: true }];
  }
  if (details && Array.isArray(details.issues) && details.issues.length > 0) {
    return details.issues.map((raw) => {
      const issue = asRecord(raw) ?? {};
      const path = splitPath(issue.path);
      const message = typeof issue.message === 'string' ? issue.message : error.message;
      const at = locate(text, path);
      const field = path.length > 0 ? `${path.join('.')}: ` : '';
      return { ...(at ?? { line: 1, column: 1 }), message: message.startsWith(field) ? message : `${field}${message}`, placed: at !== null };
    });
  }
  const m = /line (\d+)(?:,? col(?:umn)? (\d+))?/i.exec(error.message);
  if (m) return [{ line: Number(m[1]), column: m[2] ? Number(m[2]) : 1, message: error.message, placed: true }];
  return [{ line: 1, column: 1, message: error.message, placed: false }];
}
