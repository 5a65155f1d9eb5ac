import fs from 'node:fs';

/**
 * Just enough of the ONNX protobuf format (onnx/onnx.proto3, IR version 8) to write a small model — a graph of
 * standard operators with float and integer initializers, typed inputs and outputs, string metadata — and to read a
 * model's metadata back. Hand-rolled so that generating a test model needs no protobuf library, and byte-for-byte
 * deterministic.
 */

export type Dim = number | string;

export interface OnnxTensor {
  name: string;
  dims: number[];
  type: 'float' | 'int64';
  data: Float32Array | BigInt64Array;
}

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, number | number[]>;
}

export interface OnnxValue {
  name: string;
  type: 'float' | 'int32' | 'int64';
  shape: Dim[];
}

export interface OnnxModel {
  opset: number;
  producer: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  metadata: Record<string, string>;
}

const ELEM = { float: 1, int32: 6, int64: 7 } as const;
const IR_VERSION = 8;

export function encodeOnnxModel(m: OnnxModel): Buffer {
  const graph = new Proto();
  for (const n of m.nodes) graph.message(1, node(n));
  graph.string(2, 'graph');
  for (const t of m.initializers) graph.message(5, tensor(t));
  for (const v of m.inputs) graph.message(11, valueInfo(v));
  for (const v of m.outputs) graph.message(12, valueInfo(v));

  const model = new Proto();
  model.varint(1, IR_VERSION);
  model.string(2, m.producer);
  model.message(7, graph);
  const opset = new Proto();
  opset.string(1, '');
  opset.varint(2, m.opset);
  model.message(8, opset);
  for (const [key, value] of Object.entries(m.metadata)) {
    const entry = new Proto();
    entry.string(1, key);
    entry.string(2, value);
    model.message(14, entry);
  }
  return model.toBuffer();
}

function node(n: OnnxNode): Proto {
  const p = new Proto();
  for (const i of n.inputs) p.string(1, i);
  for (const o of n.outputs) p.string(2, o);
  p.string(3, n.outputs[0]);
  p.string(4, n.op);
  for (const [name, value] of Object.entries(n.attributes ?? {})) {
    const a = new Proto();
    a.string(1, name);
    if (Array.isArray(value)) {
      for (const v of value) a.varint(8, v);
      a.varint(20, 7); // INTS
    } else {
      a.varint(3, value);
      a.varint(20, 2); // INT
    }
    p.message(5, a);
  }
  return p;
}

function tensor(t: OnnxTensor): Proto {
  const p = new Proto();
  for (const d of t.dims) p.varint(1, d);
  p.varint(2, ELEM[t.type]);
  p.string(8, t.name);
  p.bytes(9, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return p;
}

function valueInfo(v: OnnxValue): Proto {
  const shape = new Proto();
  for (const d of v.shape) {
    const dim = new Proto();
    if (typeof d === 'number') dim.varint(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new Proto();
  tensorType.varint(1, ELEM[v.type]);
  tensorType.message(2, shape);
  const type = new Proto();
  type.message(1, tensorType);
  const p = new Proto();
  p.string(1, v.name);
  p.message(2, type);
  return p;
}

/** Protobuf wire format: varint (type 0) and length-delimited (type 2) fields, which is all ONNX needs here. */
class Proto {
  private parts: Buffer[] = [];

  varint(field: number, value: number): void {
    this.parts.push(encodeVarint((field << 3) | 0), encodeVarint(value));
  }

  string(field: number, value: string): void {
    this.bytes(field, Buffer.from(value, 'utf8'));
  }

  bytes(field: number, value: Buffer): void {
    this.parts.push(encodeVarint((field << 3) | 2), encodeVarint(value.length), value);
  }

  message(field: number, value: Proto): void {
    this.bytes(field, value.toBuffer());
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function encodeVarint(value: number): Buffer {
  if (!Number.isSafeInteger(value)) throw new Error(`varint out of range: ${value}`);
  // A negative int64 (an axis of -1) goes on the wire as its 64-bit two's complement: ten bytes.
  let v = value < 0 ? (1n << 64n) + BigInt(value) : BigInt(value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

/**
 * The metadata of an ONNX file without loading it: walks the top-level fields, reading only their headers (the
 * graph of a real model is hundreds of MB), and decodes the `metadata_props` entries. Used to check a model before
 * sherpa-onnx sees it: on a missing key sherpa-onnx ends the whole process instead of throwing.
 */
export function readOnnxMetadata(file: string): Record<string, string> {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const read = (pos: number, n: number) => {
      const b = Buffer.alloc(Math.max(0, Math.min(n, size - pos)));
      fs.readSync(fd, b, 0, b.length, pos);
      return b;
    };
    const out: Record<string, string> = {};
    let pos = 0;
    while (pos < size) {
      const head = read(pos, 20);
      const [tag, afterTag] = decodeVarint(head, 0);
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (wire === 0) pos += decodeVarint(head, afterTag)[1];
      else if (wire === 2) {
        const [len, start] = decodeVarint(head, afterTag);
        if (field === 14) {
          const entry = readEntry(read(pos + start, len));
          out[entry.key] = entry.value;
        }
        pos += start + len;
      } else if (wire === 5) pos += afterTag + 4;
      else if (wire === 1) pos += afterTag + 8;
      else throw new Error(`not an ONNX model (wire type ${wire} at byte ${pos})`);
      if (pos > size) throw new Error('not an ONNX model (truncated)');
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

function readEntry(buf: Buffer): { key: string; value: string } {
  let key = '';
  let value = '';
  let pos = 0;
  while (pos < buf.length) {
    const [tag, afterTag] = decodeVarint(buf, pos);
    const [len, start] = decodeVarint(buf, afterTag);
    const s = buf.toString('utf8', start, start + len);
    if (tag >> 3 === 1) key = s;
    else if (tag >> 3 === 2) value = s;
    pos = start + len;
  }
  return { key, value };
}

function decodeVarint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < buf.length && i < pos + 10; i++) {
    value += (buf[i] & 0x7f) * scale;
    if ((buf[i] & 0x80) === 0) return [value, i + 1];
    scale *= 0x80;
  }
  throw new Error('not an ONNX model (bad varint)');
}
