import { recordArtifact } from '../artifacts/artifactsRepository';
import type { Db } from '../workspace/openDatabase';
import type { StoredAdapter } from './storeAdapterFolder';

/** The adapter's two files as artifacts too, so `artifacts list/verify` cover them. */
export function recordStoredAdapterFiles(db: Db, s: StoredAdapter, name: string): void {
  recordArtifact(db, { sha256: s.configSha256, size: s.configSize, name: `${name}/adapter_config.json`, mediaType: 'application/json' });
  recordArtifact(db, { sha256: s.weightsSha256, size: s.weightsSize, name: `${name}/adapter_model.safetensors`, mediaType: 'application/octet-stream' });
}

/** The record's fields from a stored adapter (the file sizes are the artifacts' business). */
export function storedFields(s: StoredAdapter): Omit<StoredAdapter, 'configSize' | 'weightsSize'> {
  const { configSize: _c, weightsSize: _w, ...rest } = s;
  return rest;
}
