import path from 'node:path';

const byExtension: Record<string, string> = {
  '.json': 'application/json',
  '.jsonl': 'application/jsonl',
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.parquet': 'application/vnd.apache.parquet',
  '.safetensors': 'application/vnd.safetensors',
  '.gguf': 'application/vnd.gguf',
  '.onnx': 'application/onnx',
};

/** A media type from the file extension; unknown types are stored as opaque bytes. */
export function guessMediaType(file: string): string {
  return byExtension[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
