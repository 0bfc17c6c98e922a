import type { KeyValueStore } from './keyValueStore';

/** localStorage when the page may use it (it throws in some sandboxed or private contexts). */
export function browserStorage(): KeyValueStore | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
