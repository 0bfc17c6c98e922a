import { z } from 'zod';
import { safeDetails, safeMessage } from './redactSecrets';

/**
 * Errors cross every transport as data, never as thrown objects: `{code, message, details}`.
 * `code` is a stable machine-readable identifier (UPPER_SNAKE); `message` is for people and
 * names the file, line or field at fault; `details` carries structured context.
 */
export const ApiErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ApiErrorData = z.infer<typeof ApiErrorSchema>;

/** Error codes used across the core. New domains add their own; these are shared. */
export const ErrorCode = {
  InvalidRequest: 'INVALID_REQUEST',
  UnknownMethod: 'UNKNOWN_METHOD',
  MessageTooLarge: 'MESSAGE_TOO_LARGE',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  WorkspaceLocked: 'WORKSPACE_LOCKED',
  WorkspaceCorrupt: 'WORKSPACE_CORRUPT',
  WorkspaceTooNew: 'WORKSPACE_TOO_NEW',
  WorkspaceMigrationChanged: 'WORKSPACE_MIGRATION_CHANGED',
  Unauthorized: 'UNAUTHORIZED',
  Cancelled: 'CANCELLED',
  Internal: 'INTERNAL',
} as const;

/** The one error class the core throws; transports turn it into ApiErrorData. */
export class StudioError extends Error {
  override readonly name = 'StudioError';
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** As it leaves the core: URLs masked (RPC credentials), long inputs shortened. */
  toData(): ApiErrorData {
    return this.details === undefined
      ? { code: this.code, message: safeMessage(this.message) }
      : { code: this.code, message: safeMessage(this.message), details: safeDetails(this.details) };
  }
}

/** Any thrown value as error data; unknown errors keep their message but not their stack. */
export function toApiError(err: unknown): ApiErrorData {
  if (err instanceof StudioError) return err.toData();
  if (err instanceof z.ZodError) {
    return {
      code: ErrorCode.InvalidRequest,
      message: safeMessage(formatZodIssues(err)),
      details: { issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: ErrorCode.Internal, message: safeMessage(message) };
}

/** "params.name: Too small" style, naming every failing field. */
export function formatZodIssues(err: z.ZodError, prefix = ''): string {
  return err.issues
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}
