// A safetensors file opened for reading: the header is read and validated up front, tensor bytes
// are read on demand (a model file may be larger than we want resident twice).
import { closeSync, openSync, readSync } from 'node:fs';
import { InputFileError, openRegularFile } from '../../files/readInputFile';
import { SafetensorsError } from './SafetensorsError';
import { parseHeaderLength, parseSafetensorsHeader, type TensorEntry } from './parseSafetensorsHeader';
import { decodeToFloat32 } from './convertDtype';
import type { Tensor } from '../tensor';

export class SafetensorsFile {
  private constructor(
    readonly path: string,
    readonly metadata: Record<string, string>,
    readonly tensors: Map<string, TensorEntry>,
    /** File offset of the data section (tensor offsets are relative to it). */
    readonly dataStart: number,
  ) {}

  static open(path: string): SafetensorsFile {
    let opened: { fd: number; size: number };
    try {
      // Weights may be any size; only the header is read here, and its length is capped below.
      opened = openRegularFile(path, Number.MAX_SAFE_INTEGER);
    } catch (e) {
      if (e instanceof InputFileError) throw new SafetensorsError('not_a_file', path, e.shortMessage);
      throw e;
    }
    const { fd, size } = opened;
    try {
      const first8 = new Uint8Array(Math.min(8, size));
      readFully(fd, first8, 0);
      const n = parseHeaderLength(first8, size, path);
      const headerBytes = new Uint8Array(n);
      readFully(fd, headerBytes, 8);
      const h = parseSafetensorsHeader(headerBytes, size, path);
      return new SafetensorsFile(path, h.metadata, h.tensors, h.dataStart);
    } finally {
      closeSync(fd);
    }
  }

  entry(name: string): TensorEntry {
    const e = this.tensors.get(name);
    if (!e) throw new SafetensorsError('missing_tensor', this.path, 'no such tensor in this file', name);
    return e;
  }

  /** The tensor's raw little-endian bytes. */
  readBytes(name: string): Uint8Array {
    const e = this.entry(name);
    const out = new Uint8Array(e.end - e.begin);
    const fd = openSync(this.path, 'r');
    try {
      readFully(fd, out, this.dataStart + e.begin);
    } finally {
      closeSync(fd);
    }
    return out;
  }

  /** The tensor converted to float32 (from F32, F16, BF16 and the common integer types). */
  readTensor(name: string): Tensor {
    const e = this.entry(name);
    return { shape: [...e.shape], data: decodeToFloat32(this.readBytes(name), e.dtype, this.path, name) };
  }

  /**
   * Several tensors as readTensor gives them, the file opened once. F32 tensors on a
   * little-endian host are read straight into their Float32Array (one copy from the page cache,
   * not three): an adapter of 420 tensors is read this way each time the server loads it.
   */
  readTensors(names: Iterable<string>): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    const fd = openSync(this.path, 'r');
    try {
      for (const name of names) {
        const e = this.entry(name);
        const n = e.end - e.begin;
        if (e.dtype === 'F32' && LITTLE_ENDIAN && n % 4 === 0) {
          const data = new Float32Array(n / 4);
          readFully(fd, new Uint8Array(data.buffer), this.dataStart + e.begin);
          out.set(name, { shape: [...e.shape], data });
        } else {
          const bytes = new Uint8Array(n);
          readFully(fd, bytes, this.dataStart + e.begin);
          out.set(name, { shape: [...e.shape], data: decodeToFloat32(bytes, e.dtype, this.path, name) });
        }
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function readFully(fd: number, into: Uint8Array, position: number): void {
  let done = 0;
  while (done < into.byteLength) {
    const n = readSync(fd, into, done, into.byteLength - done, position + done);
    if (n === 0) throw new Error(`unexpected end of file at byte ${position + done}`);
    done += n;
  }
}
