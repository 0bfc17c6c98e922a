/**
 * The rule of WorkspaceNameSchema (main/api/schemas.ts), checked as the user types. The
 * renderer bundles no zod; workspaceName.test.ts holds this copy to the schema.
 */
const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** A message for people, or null when the name can be created. */
export function validateWorkspaceName(name: string, existing: readonly string[]): string | null {
  if (name.length === 0) return 'Enter a name.';
  if (name.length > 63) return 'At most 63 characters.';
  if (/[A-Z]/.test(name)) return 'Use lowercase letters only.';
  if (!/^[a-z0-9]/.test(name)) return 'Start with a lowercase letter or a digit.';
  if (!NAME.test(name)) return 'Only lowercase letters, digits, "-" and "_".';
  if (existing.includes(name)) return `A workspace named "${name}" already exists.`;
  return null;
}
