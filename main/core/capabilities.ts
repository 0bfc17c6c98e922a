import type { ChainStatus } from '../api/chainSchemas';
import type { CapabilityStatus } from '../api/schemas';
import { loadNativeEngine, nativeEnginePath } from '../engine/native/index';
import { nativeEngineInfo } from '../engine/native/nativeEngineInfo';

/**
 * What this build can do, told honestly to the status bar. Capabilities that have not landed
 * say so; they replace these functions when they do.
 */
export function engineStatus(): CapabilityStatus {
  let engine;
  try {
    engine = loadNativeEngine();
  } catch (err) {
    return { state: 'error', label: 'Engine: error', detail: `The native engine did not load: ${err instanceof Error ? err.message : String(err)}` };
  }
  const info = nativeEngineInfo(engine);
  const threads = `${info.threads} thread${info.threads === 1 ? '' : 's'}`;
  const gpu = engine.deviceStatus();
  const gpuText = gpu.available
    ? `CUDA backend available (${gpu.devices} device${gpu.devices === 1 ? '' : 's'}, ${gpu.library}): models run there when engine.device is 'auto' or 'cuda'.`
    : `No GPU backend: ${gpu.reason ?? 'unavailable'}.`;
  return {
    state: 'ready',
    label: `Engine: CPU (${info.simd}, ${threads})${gpu.available ? ' + CUDA' : ''}`,
    detail: `Native engine loaded from ${nativeEnginePath()}: CPU backend, ${info.kernel} GEMM kernel (this CPU has ${info.kernels.join(', ')}), ${threads}. ${gpuText}`,
  };
}

/** The status bar's chain item, from the open workspace's devnet. */
export function chainStatus(devnet: ChainStatus | undefined): CapabilityStatus {
  if (!devnet) return { state: 'stopped', label: 'Chain: stopped', detail: 'No workspace devnet.' };
  const where = devnet.rpcUrl ? ` at ${devnet.rpcUrl}` : '';
  switch (devnet.state) {
    case 'running':
      return {
        state: 'ready',
        label: `Chain: block ${devnet.block ?? 0}`,
        detail: `Local devnet (chain ${devnet.chainId}) running${where}, at block ${devnet.block ?? 0}; protocol deployed.`,
      };
    case 'starting':
      return { state: 'stopped', label: 'Chain: starting…', detail: `Local devnet (chain ${devnet.chainId}) is starting.` };
    case 'error':
      return { state: 'error', label: 'Chain: error', detail: devnet.error ?? 'The local devnet failed.' };
    case 'stopped':
      return { state: 'stopped', label: 'Chain: stopped', detail: `Local devnet (chain ${devnet.chainId}) is stopped; start it from the Chain view or with \`studio devnet start\`.` };
  }
}
