import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '../../test/tmpDir';
import { encodeSafetensors } from '../writeSafetensors';
import { SafetensorsFile } from '../SafetensorsFile';
import { SafetensorsError } from '../SafetensorsError';
import { Xoshiro128 } from '../../sampling/Xoshiro128';

const tmp = makeTmpDir('fuzz');
afterAll(tmp.cleanup);

// Mutated and truncated files must either open (and then read every tensor within bounds) or
// throw a SafetensorsError: never a RangeError, a TypeError or a hang.
describe('safetensors reader under corrupted input', () => {
  const valid = encodeSafetensors(
    {
      'a.weight': { shape: [3, 4], data: new Float32Array(12).fill(1.5) },
      'b.bias': { shape: [5], data: new Float32Array(5).fill(-2) },
    },
    { dtype: 'F16', metadata: { format: 'pt' } },
  );
  const headerEnd = 8 + Number(new DataView(valid.buffer).getBigUint64(0, true));

  it('survives 2000 random mutations and truncations', () => {
    const rng = new Xoshiro128(2024);
    const path = join(tmp.dir, 'fuzz.safetensors');
    let opened = 0;
    for (let i = 0; i < 2000; i++) {
      let bytes = Uint8Array.from(valid);
      const kind = rng.nextU32() % 3;
      if (kind === 0) {
        // Flip bytes inside the length field and the JSON header.
        for (let k = 0; k < 1 + (rng.nextU32() % 4); k++) bytes[rng.nextU32() % headerEnd] = rng.nextU32() & 0xff;
      } else if (kind === 1) {
        bytes = bytes.slice(0, rng.nextU32() % bytes.length);
      } else {
        // Swap a digit in the header for another digit: plausible but wrong offsets and shapes.
        const text = Buffer.from(bytes.subarray(8, headerEnd)).toString('latin1');
        const digits = [...text.matchAll(/\d/g)].map((m) => m.index!);
        const at = digits[rng.nextU32() % digits.length]!;
        bytes[8 + at] = 0x30 + (rng.nextU32() % 10);
      }
      writeFileSync(path, bytes);
      try {
        const f = SafetensorsFile.open(path);
        for (const name of f.tensors.keys()) f.readTensor(name);
        opened++;
      } catch (e) {
        if (!(e instanceof SafetensorsError)) throw new Error(`mutation ${i} (kind ${kind}) threw ${String(e)}`);
      }
    }
    expect(opened).toBeGreaterThan(0);
  });
});
