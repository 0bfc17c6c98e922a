// The Factory's API calls in one place. The core's methods (factory.validate, factory.start,
// runs.*) are built in parallel on the factory-core branch; until they are in the contract the
// calls go through this loosely typed door, and the types in factoryTypes.ts say what comes back.
import { api } from '../api/client';
import type { FactoryValidateResult } from './factoryTypes';

interface LooseClient {
  call(method: string, params: unknown): Promise<unknown>;
  on(event: string, listener: (data: unknown) => void): () => void;
}
const loose = (): LooseClient => api() as unknown as LooseClient;

export function validatePipeline(yaml: string): Promise<FactoryValidateResult> {
  return api().call('factory.validate', { yaml });
}

export function callFactory<T>(method: string, params: unknown): Promise<T> {
  return loose().call(method, params) as Promise<T>;
}

export function onFactoryEvent<T>(event: string, listener: (data: T) => void): () => void {
  return loose().on(event, (d) => listener(d as T));
}
