import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEHAVIOR_IDS } from '../../core/behaviors.ts';
import { loadCoachingTemplates, pickTemplate, validateCoachingTemplates } from './load.ts';

describe('coaching templates', () => {
  const t = loadCoachingTemplates();

  it('loads the shipped file with a version and a catch-all template per behaviour', () => {
    expect(t.version).toMatch(/^coaching-/);
    for (const b of BEHAVIOR_IDS) expect(pickTemplate(t, b, null, null).id).toBe(`${b}.default`);
  });

  it('picks the most specific template: type + role, then type, then the catch-all', () => {
    expect(pickTemplate(t, 'use_case_probe', '主机厂', '采购总监').id).toBe('use_case_probe.主机厂.采购总监');
    expect(pickTemplate(t, 'use_case_probe', '主机厂', '财务').id).toBe('use_case_probe.主机厂.*');
    expect(pickTemplate(t, 'use_case_probe', '经销商', '采购总监').id).toBe('use_case_probe.default');
    expect(pickTemplate(t, 'use_case_probe', '主机厂', '采购总监').tips).toHaveLength(3);
  });

  it('rejects a file missing a catch-all, with duplicate keys or unknown placeholders, naming each problem', () => {
    const broken = structuredClone(t) as { templates: Array<Record<string, unknown>>; messages: Record<string, string> };
    broken.templates = broken.templates.filter((x) => x.id !== 'quote.default');
    broken.templates.push({ ...broken.templates[0], id: 'dup' });
    broken.messages.pattern = '{steps} {nonsense}';
    try {
      validateCoachingTemplates(broken);
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'coaching_templates_invalid' });
      const msg = (err as Error).message;
      expect(msg).toContain('quote');
      expect(msg).toContain('duplicate template key');
      expect(msg).toContain('{nonsense}');
    }
  });

  it('reports an unreadable file as invalid instead of crashing', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tj-coach-')), 'bad.json');
    fs.writeFileSync(file, '{ not json');
    expect(() => loadCoachingTemplates(file)).toThrow(expect.objectContaining({ code: 'coaching_templates_invalid' }));
    expect(() => validateCoachingTemplates({ version: '1' })).toThrow(/labels/);
  });
});
