import { StudioError } from '../../api/apiError';
import { loadNativeEngine, nativeEnginePath, type NativeDeviceStatus } from '../../engine/native/index';
import { nativeEngineInfo, type NativeEngineInfo } from '../../engine/native/nativeEngineInfo';
import type { Command } from '../command';
import { workspaceDevice } from '../workspaceDevice';

export interface EngineInfoResult {
  addon: string;
  cpu: NativeEngineInfo;
  /** Whether the CUDA backend can be used here (native deviceStatus()). */
  cuda: NativeDeviceStatus;
  /** The workspace's engine.device setting, and what it resolves to on this machine. */
  device: { setting: 'auto' | 'cpu' | 'cuda'; effective: 'cpu' | 'cuda' | 'unavailable' };
}

export const engineInfo: Command = {
  path: ['engine', 'info'],
  usage: 'studio engine info [--json]',
  summary: 'The native engine on this machine: CPU kernel and threads, and whether a CUDA GPU backend is available',
  async run(ctx): Promise<EngineInfoResult> {
    let engine;
    try {
      engine = loadNativeEngine();
    } catch (err) {
      throw new StudioError('ENGINE_UNAVAILABLE', err instanceof Error ? err.message : String(err));
    }
    const cuda = engine.deviceStatus();
    const setting = workspaceDevice(ctx);
    const effective = setting === 'cpu' ? 'cpu' : cuda.available ? 'cuda' : setting === 'cuda' ? 'unavailable' : 'cpu';
    return { addon: nativeEnginePath(), cpu: nativeEngineInfo(engine), cuda, device: { setting, effective } };
  },
  human: (r: EngineInfoResult) =>
    [
      `Native engine ${r.addon}`,
      `  CPU: ${r.cpu.simd} (${r.cpu.kernel} kernel), ${r.cpu.threads} threads`,
      `  CUDA: ${r.cuda.available ? `${r.cuda.devices} device${r.cuda.devices === 1 ? '' : 's'} (${r.cuda.library})` : `unavailable: ${r.cuda.reason ?? 'unknown'}`}`,
      `  engine.device '${r.device.setting}': models run on ${r.device.effective === 'unavailable' ? 'nothing (no CUDA device; set it to auto or cpu)' : r.device.effective.toUpperCase()}`,
    ].join('\n'),
};
