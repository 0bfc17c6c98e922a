// A tokenizer.json this reader cannot honour exactly: we refuse rather than tokenize differently
// from Hugging Face. `path` is the JSON path of the offending component.
import { shortenForMessage } from '../../files/readInputFile';

export class TokenizerError extends Error {
  override readonly name = 'TokenizerError';
  constructor(
    readonly path: string,
    readonly shortMessage: string,
  ) {
    super(`tokenizer.json ${shortenForMessage(path)}: ${shortMessage}`);
  }
}
