import { createRequire } from 'node:module';

type SherpaOnnx = typeof import('sherpa-onnx-node');

const require = createRequire(import.meta.url);
let loaded: SherpaOnnx | undefined;

/**
 * sherpa-onnx-node, loaded on first use: it is a native addon with its own onnxruntime (≈ 30 MB), which a CLI
 * run on a text transcript, or the API process, never needs. CommonJS, hence require.
 */
export function sherpaOnnx(): SherpaOnnx {
  loaded ??= require('sherpa-onnx-node') as SherpaOnnx;
  return loaded;
}
