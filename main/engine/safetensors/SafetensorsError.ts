// Errors thrown by the safetensors reader. `code` is stable for callers and tests; the message
// always names the file (and the tensor when one is at fault) so a user can find the bad input.
import { shortenForMessage } from '../../files/readInputFile';

export type SafetensorsErrorCode =
  | 'not_a_file'
  | 'file_too_small'
  | 'header_length'
  | 'header_json'
  | 'dtype'
  | 'shape'
  | 'offsets_out_of_bounds'
  | 'offsets_overlap'
  | 'offsets_gap'
  | 'size_mismatch'
  | 'trailing_bytes'
  | 'missing_tensor'
  | 'index';

export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
  constructor(
    readonly code: SafetensorsErrorCode,
    readonly file: string,
    readonly shortMessage: string,
    readonly tensor?: string,
  ) {
    super(`${shortenForMessage(file)}${tensor !== undefined ? ` (tensor "${tensor}")` : ''}: ${shortMessage}`);
  }
}
