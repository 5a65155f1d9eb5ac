import fs from 'node:fs';
import path from 'node:path';
import { mulberry32 } from '../core/random.ts';
import { encodeOnnxModel } from './onnx-proto.ts';

/**
 * Random-weight stand-ins for the two models sherpa-onnx's speaker diarization loads, in the forms its loaders read
 * (offline-speaker-segmentation-pyannote-model.cc, speaker-embedding-extractor-model.cc): a pyannote-style
 * segmentation model, x [N, 1, 160000] → powerset logits [N, 500, 7] (3 local speakers, at most 2 at once), and a
 * 3D-Speaker-style embedding model, fbank [N, T, 80] → [N, 16]. No diarization weights can be downloaded here: they
 * test that the configuration reaches the real runtime and that its output becomes voice turns, not accuracy.
 */
const WINDOW = 160_000;
const FRAME = 320;
const CLASSES = 7;
const EMBED_DIM = 16;

export function writeDiarizationTestModels(dir: string, seed = 20240923): { segmentation: string; embedding: string } {
  const rand = mulberry32(seed);
  const noise = (scale: number) => (rand() * 2 - 1) * scale;
  fs.mkdirSync(dir, { recursive: true });

  const segmentation = encodeOnnxModel({
    opset: 17,
    producer: 'tingjian',
    metadata: {
      model_type: 'pyannote-segmentation-3.0',
      sample_rate: '16000',
      window_size: String(WINDOW),
      receptive_field_size: String(FRAME),
      receptive_field_shift: String(FRAME),
      num_speakers: '3',
      powerset_max_classes: '2',
      num_classes: String(CLASSES),
    },
    inputs: [{ name: 'x', type: 'float', shape: ['N', 1, WINDOW] }],
    outputs: [{ name: 'y', type: 'float', shape: ['N', WINDOW / FRAME, CLASSES] }],
    initializers: [
      { name: 'frames_shape', type: 'int64', dims: [3], data: BigInt64Array.from([0n, BigInt(WINDOW / FRAME), BigInt(FRAME)]) },
      { name: 'w', type: 'float', dims: [FRAME, CLASSES], data: Float32Array.from({ length: FRAME * CLASSES }, () => noise(2)) },
      { name: 'b', type: 'float', dims: [CLASSES], data: Float32Array.from({ length: CLASSES }, (_, i) => (i === 0 ? 0.5 : noise(0.5))) },
    ],
    nodes: [
      { op: 'Reshape', inputs: ['x', 'frames_shape'], outputs: ['frames'] },
      { op: 'Abs', inputs: ['frames'], outputs: ['level'] },
      { op: 'MatMul', inputs: ['level', 'w'], outputs: ['proj'] },
      { op: 'Add', inputs: ['proj', 'b'], outputs: ['logits'] },
      { op: 'LogSoftmax', inputs: ['logits'], outputs: ['y'], attributes: { axis: -1 } },
    ],
  });

  const embedding = encodeOnnxModel({
    opset: 17,
    producer: 'tingjian',
    metadata: {
      framework: '3d-speaker',
      output_dim: String(EMBED_DIM),
      sample_rate: '16000',
      normalize_samples: '1',
      language: 'Chinese',
      feature_normalize_type: 'global-mean',
    },
    inputs: [{ name: 'x', type: 'float', shape: ['N', 'T', 80] }],
    outputs: [{ name: 'embedding', type: 'float', shape: ['N', EMBED_DIM] }],
    initializers: [{ name: 'w', type: 'float', dims: [80, EMBED_DIM], data: Float32Array.from({ length: 80 * EMBED_DIM }, () => noise(1)) }],
    nodes: [
      { op: 'ReduceMean', inputs: ['x'], outputs: ['mean'], attributes: { axes: [1], keepdims: 0 } },
      { op: 'MatMul', inputs: ['mean', 'w'], outputs: ['embedding'] },
    ],
  });

  const files = { segmentation: path.join(dir, 'segmentation.onnx'), embedding: path.join(dir, 'embedding.onnx') };
  fs.writeFileSync(files.segmentation, segmentation);
  fs.writeFileSync(files.embedding, embedding);
  return files;
}
