import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ErrorCode, StudioError } from '../api/apiError';
import { findDepthExcess } from '../api/jsonDepth';

/**
 * Strict JSON for text people edit by hand, with errors that name the line and column.
 * jsonc-parser reports the offset of every syntax error, which Node 20's JSON.parse often omits.
 */
export function parseJsonText(text: string, what: string): unknown {
  // jsonc-parser recurses per level: measure the nesting first so deep text is a clear error,
  // not a stack overflow.
  const deep = findDepthExcess(text);
  if (deep) {
    const { line, column } = lineAndColumn(text, deep.offset);
    throw new StudioError(ErrorCode.InvalidRequest, `${what}, line ${line}, column ${column}: nests deeper than ${deep.limit} levels`, {
      line,
      column,
      offset: deep.offset,
    });
  }
  const errors: ParseError[] = [];
  const value = parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return value;
  const { line, column } = lineAndColumn(text, first.offset);
  const reason = describe(printParseErrorCode(first.error));
  throw new StudioError(ErrorCode.InvalidRequest, `${what}, line ${line}, column ${column}: ${reason}`, { line, column, offset: first.offset });
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** "PropertyNameExpected" -> "property name expected" */
function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
