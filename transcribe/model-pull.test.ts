import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorInfo } from '../core/errors.ts';
import { pullModel } from './model-pull.ts';

// Real sockets on 127.0.0.1 stand in for the model host: one serves wrong bytes or 404, one accepts and never
// answers (an unreachable network), one port is closed.
let tmp: string;
let httpServer: http.Server;
let silentServer: net.Server;
const held: net.Socket[] = [];
let httpBase: string;
let silentBase: string;
let closedBase: string;

const listen = (s: net.Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as net.AddressInfo).port)));

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tingjian-pull-test-'));
  httpServer = http.createServer((req, res) => {
    if (req.url?.endsWith('/ggml-tiny.bin')) {
      res.writeHead(200, { 'content-length': '4096' });
      res.end(Buffer.alloc(4096, 7));
    } else {
      res.writeHead(404).end('not found');
    }
  });
  httpBase = `http://127.0.0.1:${await listen(httpServer)}/models`;
  silentServer = net.createServer((socket) => held.push(socket));
  silentBase = `http://127.0.0.1:${await listen(silentServer)}`;
  const probe = net.createServer();
  closedBase = `http://127.0.0.1:${await listen(probe)}`;
  await new Promise((r) => probe.close(r));
});
afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => httpServer.close(r));
  await new Promise((r) => silentServer.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
});

const config = (base: string) => ({ TINGJIAN_CACHE_DIR: path.join(tmp, 'cache'), WHISPER_MODEL_BASE_URL: base, SENSEVOICE_MODEL_BASE_URL: base });
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e) => errorInfo(e).code);

describe('pullModel', () => {
  it('fails fast with network_unavailable when the host does not answer within the connect timeout', async () => {
    const started = Date.now();
    const err = await pullModel('tiny', { config: config(silentBase), connectTimeoutMs: 300 }).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(errorInfo(err).code).toBe('network_unavailable');
    expect(errorInfo(err).message).toMatch(/WHISPER_MODEL_BASE_URL.*WHISPER_MODEL/s);
  });

  it('fails with network_unavailable when the connection is refused', async () => {
    expect(await codeOf(pullModel('small', { config: config(closedBase), connectTimeoutMs: 2000 }))).toBe('network_unavailable');
  });

  it('discards a download whose SHA-1 does not match and leaves no model behind', async () => {
    const progress: number[] = [];
    const err = await pullModel('tiny', { config: config(httpBase), onProgress: (n) => progress.push(n) }).catch((e) => e);
    expect(errorInfo(err).code).toBe('checksum_mismatch');
    expect(progress.at(-1)).toBe(4096);
    expect(fs.readdirSync(path.join(tmp, 'cache', 'models'))).toEqual([]);
  });

  it('pulls SenseVoice from its own base URL and names its own settings when that fails', async () => {
    const err = await pullModel('sensevoice', { config: config(silentBase), connectTimeoutMs: 300 }).catch((e) => e);
    expect(errorInfo(err).code).toBe('network_unavailable');
    expect(errorInfo(err).message).toMatch(/SENSEVOICE_MODEL_BASE_URL.*SENSEVOICE_MODEL=/s);
    expect(await codeOf(pullModel('sensevoice', { config: config(httpBase) }))).toBe('download_failed');
    expect(fs.existsSync(path.join(tmp, 'cache', 'models', 'sensevoice', 'model.int8.onnx'))).toBe(false);
  });

  it('reports HTTP errors and unknown model names', async () => {
    expect(await codeOf(pullModel('base', { config: config(httpBase) }))).toBe('download_failed');
    expect(await codeOf(pullModel('large-v9', { config: config(httpBase) }))).toBe('unknown_model');
  });
});

describe('tingjian model pull (CLI)', () => {
  it('exits 1 quickly with a clear Chinese message when the host is unreachable', async () => {
    const repo = path.resolve(import.meta.dirname, '..');
    const env = { ...process.env, WHISPER_MODEL_BASE_URL: silentBase, TINGJIAN_CACHE_DIR: path.join(tmp, 'cli-cache') };
    const res = await promisify(execFile)(process.execPath, [path.join(repo, 'bin/tingjian.js'), 'model', 'pull', 'tiny', '--connect-timeout', '500'], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/network_unavailable.*无法连接模型服务器/);
  }, 60_000);
});
