// An in-memory tensor as the TypeScript engine passes it around: always float32 after loading,
// row-major, shape as the checkpoint stores it (e.g. nn.Linear weight is [out, in]).
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** Number of elements for a shape; [] is a scalar (1 element). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
