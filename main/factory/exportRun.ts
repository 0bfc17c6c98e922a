// `studio runs export ID --format peft-job|hf|gguf --out DIR`: a completed run taken elsewhere.
// peft-job: train.py + job.json + the run's formatted data, to train the same thing with PyTorch
// on bigger hardware; hf: the base with the run's adapter merged, as a Hugging Face folder; gguf:
// the same as one GGUF file with a Modelfile, so `ollama create NAME -f Modelfile` serves it.
// Each writes a new folder, built beside it and renamed into place.
import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../api/apiError';
import { exportHfModel } from '../engine/exportHfModel';
import { exportGguf } from '../engine/gguf/exportGguf';
import { readModelConfig } from '../engine/modelConfig';
import { loadPeftAdapter } from '../engine/peft/loadPeftAdapter';
import type { Db } from '../workspace/openDatabase';
import { peftJobConfig } from './peftJobConfig';
import { PEFT_JOB_SCRIPT } from './peftJobScript';
import { runFiles } from './runFiles';
import { runRecord } from './runsRepository';

export const RUN_EXPORT_FORMATS = ['peft-job', 'hf', 'gguf'] as const;
export type RunExportFormat = (typeof RUN_EXPORT_FORMATS)[number];

export function exportRun(db: Db, id: string, format: RunExportFormat, out: string): { format: RunExportFormat; dir: string; files: string[] } {
  const rec = runRecord(db, id);
  const dir = path.resolve(out);
  if (fs.existsSync(dir)) throw new StudioError(ErrorCode.Conflict, `${dir} exists already; export writes a new folder.`, { out: dir });
  const files = runFiles(rec.summary.runDir);
  const modelDir = rec.summary.model.dir;
  if (format !== 'peft-job' && (rec.summary.status !== 'completed' || !rec.outcome)) {
    throw new StudioError(ErrorCode.Conflict, `Run ${id} is ${rec.summary.status}: only a completed run has an adapter to merge (peft-job exports any run).`);
  }
  if (!fs.existsSync(files.trainData)) throw new StudioError(ErrorCode.NotFound, `Run ${id} has no training data in ${files.dir} (its folder was removed?).`);
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    if (format === 'peft-job') {
      const hasEval = fs.existsSync(files.evalData);
      const job = peftJobConfig(rec.pipeline, {
        id,
        configHash: rec.summary.configHash,
        steps: rec.summary.steps,
        arch: readModelConfig(modelDir).arch,
        baseModel: modelDir,
        datanet: rec.summary.datanet,
        hasEval,
      });
      fs.mkdirSync(path.join(tmp, 'data'));
      fs.copyFileSync(files.trainData, path.join(tmp, 'data', 'train.jsonl'));
      if (hasEval) fs.copyFileSync(files.evalData, path.join(tmp, 'data', 'eval.jsonl'));
      fs.writeFileSync(path.join(tmp, 'job.json'), `${JSON.stringify(job, null, 2)}\n`);
      fs.writeFileSync(path.join(tmp, 'train.py'), PEFT_JOB_SCRIPT, { mode: 0o755 });
      fs.writeFileSync(path.join(tmp, 'requirements.txt'), 'torch\ntransformers\npeft\naccelerate\ndatasets\n');
    } else {
      const adapter = loadPeftAdapter(rec.outcome!.adapterPath, readModelConfig(modelDir));
      if (format === 'hf') {
        exportHfModel(modelDir, path.join(tmp, 'model'), { dtype: 'F32', adapter });
      } else {
        const name = rec.outcome!.adapter;
        exportGguf(modelDir, path.join(tmp, 'model.gguf'), { dtype: 'F16', adapter, name });
        // Ollama: the merged model as is; greedy-ish defaults like the Factory's samples.
        fs.writeFileSync(path.join(tmp, 'Modelfile'), `# ${name}: ${path.basename(modelDir)} with the adapter of Factory run ${id} merged\nFROM ./model.gguf\nPARAMETER temperature 0.7\nPARAMETER num_ctx ${Math.min(readModelConfig(modelDir).maxPositions, 4096)}\n`);
      }
    }
    fs.renameSync(tmp, dir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const list = (d: string, prefix = ''): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(d, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
  return { format, dir, files: list(dir).sort() };
}
