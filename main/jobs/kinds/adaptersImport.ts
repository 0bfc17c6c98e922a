import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import { findAdapter, recordAdapter, uniqueAdapterName } from '../../adapters/adaptersRepository';
import { recordStoredAdapterFiles, storedFields } from '../../adapters/recordStoredAdapterFiles';
import { storeAdapterFolder } from '../../adapters/storeAdapterFolder';
import { ADAPTER_CONFIG } from '../../engine/peft/savePeftAdapter';
import { defineJobKind } from '../jobKind';

/**
 * Imports a PEFT adapter folder into the registry: checked against its base model (shapes), its
 * two files copied into the artifact store, the base's file hashes recorded as its lineage.
 */
export const adaptersImport = defineJobKind({
  kind: 'adapters.import',
  title: (p) => `Import adapter ${path.basename(p.dir)}`,
  prepare: (db, p, workspaceRoot) => {
    const dir = path.resolve(p.dir);
    const cfg = path.join(dir, ADAPTER_CONFIG);
    if (!existsSync(cfg)) throw new StudioError(ErrorCode.InvalidRequest, `${dir}: no ${ADAPTER_CONFIG}, not a PEFT adapter folder.`, { dir });
    const base = p.base ? path.resolve(p.base) : recordedBase(cfg);
    if (!base) {
      throw new StudioError(
        ErrorCode.InvalidRequest,
        `${cfg}: base_model_name_or_path does not name a local model folder, so the adapter's shapes cannot be checked; name the base with --base DIR.`,
        { dir },
      );
    }
    if (p.name && findAdapter(db, p.name)) throw new StudioError(ErrorCode.Conflict, `An adapter named "${p.name}" exists already.`, { name: p.name });
    return { dir, base, name: p.name ?? null, artifactsRoot: path.join(workspaceRoot, 'artifacts') };
  },
  async run(input, ctx) {
    ctx.progress(null, `Checking ${path.basename(input.dir)} against ${input.base}`);
    const stored = await storeAdapterFolder(input.artifactsRoot, input.dir, input.base);
    ctx.log('info', `Adapter ${path.basename(input.dir)}: r=${stored.rank}, ${stored.modules} modules, ${stored.size} bytes`);
    return { ...input, stored };
  },
  commit: (db, r) => {
    const name = r.name ?? uniqueAdapterName(db, path.basename(r.dir));
    recordStoredAdapterFiles(db, r.stored, name);
    return recordAdapter(db, {
      ...storedFields(r.stored),
      name,
      source: 'imported',
      datanet: null,
      run: null,
      importedFrom: r.dir,
      parents: [],
    });
  },
});

function recordedBase(cfgPath: string): string | null {
  try {
    const recorded = (JSON.parse(readFileSync(cfgPath, 'utf8')) as { base_model_name_or_path?: unknown }).base_model_name_or_path;
    if (typeof recorded !== 'string' || recorded === '') return null;
    const dir = path.resolve(path.dirname(cfgPath), recorded);
    return existsSync(path.join(dir, 'config.json')) ? dir : null;
  } catch {
    return null; // the worker's load names what is wrong with the file
  }
}
