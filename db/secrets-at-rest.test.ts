import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.ts';
import { LocalStorage, newStorageKey } from '../ingest/storage.ts';
import { openService, type Service } from '../workers/service.ts';
import { testEnvironment } from '../workers/testing.ts';
import { loadSecretBox } from './secret-key.ts';

/** What someone holding a database dump or another user's shell on the host finds: no secret in clear, no readable file. */
let env: Awaited<ReturnType<typeof testEnvironment>>;
let service: Service;
let tenantId = '';

beforeAll(async () => {
  env = await testEnvironment('secrets');
  service = await openService(env.config);
  tenantId = (await service.repos.tenants.ensure('密钥公司')).id;
});

afterAll(async () => {
  await service?.close();
  await env?.cleanup();
});

const dump = async () => JSON.stringify(await service.db.execute(sql`select s.secret, l.dingtalk_secret, l.wecom_webhook_url from webhook_subscriptions s full join lead_settings l on true`));

describe('secrets at rest', () => {
  it('stores webhook and DingTalk secrets and robot URLs sealed, and reads them back for signing', async () => {
    const sub = await service.repos.webhooks.create(tenantId, 'https://crm.example.com/hook', ['*']);
    expect(sub.secret).toMatch(/^whsec_/);
    await service.repos.leadEvidence.saveSettings(tenantId, { dingtalkSecret: 'SECdingtalk123', wecomWebhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-token' });
    const raw = await dump();
    expect(raw).not.toContain(sub.secret);
    expect(raw).not.toContain('SECdingtalk123');
    expect(raw).not.toContain('wecom-token');
    expect(raw).toContain('enc:v1:');
    const [deliveryId] = await service.repos.webhooks.createDeliveries(tenantId, 'recording.analyzed', { event: 'recording.analyzed' });
    expect((await service.repos.webhooks.getDelivery(deliveryId))!.subscription.secret).toBe(sub.secret);
    expect((await service.repos.leadEvidence.settings(tenantId))!.dingtalkSecret).toBe('SECdingtalk123');
  });

  it('seals secrets written before encryption at the next start', async () => {
    await service.db.execute(sql`update webhook_subscriptions set secret = 'whsec_legacy_clear'`);
    const restarted = await openService(env.config);
    try {
      expect(await dump()).not.toContain('whsec_legacy_clear');
      const [id] = await restarted.repos.webhooks.createDeliveries(tenantId, 'recording.failed', {});
      expect((await restarted.repos.webhooks.getDelivery(id))!.subscription.secret).toBe('whsec_legacy_clear');
    } finally {
      await restarted.close();
    }
  });

  it('refuses to start on Postgres without TINGJIAN_SECRET_KEY, naming it', () => {
    expect(() => loadSecretBox(loadConfig({ ...env.vars, TINGJIAN_SECRET_KEY: '' }))).toThrow(/TINGJIAN_SECRET_KEY/);
  });

  it('writes stored files 0600 in folders 0700', async () => {
    const storage = new LocalStorage(env.storageDir);
    const key = newStorageKey(tenantId, '.wav');
    await storage.put(key, Readable.from([Buffer.from('RIFF')]));
    const file = await storage.localPath(key);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.dirname(path.dirname(file))).mode & 0o777).toBe(0o700);
  });
});
