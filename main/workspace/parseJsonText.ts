import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ErrorCode, StudioError } from '../api/apiError';

/**
 * Strict JSON for text people edit by hand, with errors that name the line and column.
 * jsonc-parser reports the offset of every syntax error, which Node 20's JSON.parse often omits.
 */
export function parseJsonText(text: string, what: string): unknown {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return value;
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  const reason = describe(printParseErrorCode(first.error));
  throw new StudioError(ErrorCode.InvalidRequest, `${what}, line ${line}, column ${column}: ${reason}`, { line, column, offset: first.offset });
}

/** "PropertyNameExpected" -> "property name expected" */
function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
