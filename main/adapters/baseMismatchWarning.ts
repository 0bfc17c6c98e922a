import type { AdapterBase } from '../api/adaptersSchemas';

/**
 * An adapter whose shapes fit but which was recorded against another checkpoint of the base
 * (other weights, same architecture) still serves: fine-tunes of a fine-tune are common. Its
 * output is not what was evaluated, so the caller says so; null when the digests agree.
 */
export function baseMismatchWarning(adapterName: string, recorded: AdapterBase, servedDigest: string, servedPath: string): string | null {
  if (recorded.digest === servedDigest) return null;
  return `adapter "${adapterName}" was recorded against another base checkpoint (${recorded.path ?? 'unknown folder'}, digest ${recorded.digest.slice(0, 12)}); serving it on ${servedPath} (digest ${servedDigest.slice(0, 12)})`;
}
