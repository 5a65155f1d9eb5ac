import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { BEHAVIOR_IDS, type BehaviorId } from '../../core/behaviors.ts';
import { AppError, ConfigurationError } from '../../core/errors.ts';
import { STAGE_IDS } from '../../core/stages.ts';

const PLACEHOLDERS = new Set(['behavior', 'stage', 'steps', 'gap', 'yours', 'top', 'customerType', 'hours']);
const nonEmpty = z.string().trim().min(1);

const schema = z.object({
  version: nonEmpty,
  labels: z.object({
    behaviors: z.record(z.enum(BEHAVIOR_IDS), nonEmpty),
    stages: z.record(z.enum(STAGE_IDS), nonEmpty),
  }),
  messages: z.object({
    before_stage: nonEmpty,
    pattern: nonEmpty,
    allCustomerTypes: nonEmpty,
    boundedGap: nonEmpty,
    unboundedGap: nonEmpty,
    singleStep: nonEmpty,
  }),
  templates: z
    .array(
      z.object({
        id: nonEmpty,
        behavior: z.enum(BEHAVIOR_IDS),
        /** "*" matches any customer type / role. */
        customerType: nonEmpty,
        customerRole: nonEmpty,
        tips: z.array(nonEmpty).min(1),
      }),
    )
    .min(1),
});

/** z.record over an enum is exhaustive (zod 4): a parsed file has a label for every behaviour and stage. */
export type CoachingTemplates = z.infer<typeof schema>;
export type CoachingTemplate = CoachingTemplates['templates'][number];

const DEFAULT_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates.json');
let cached: CoachingTemplates | null = null;

/**
 * Loads and validates coaching templates: every behaviour and stage needs a label, every behaviour a catch-all
 * (`*`, `*`) template, (behaviour, customerType, customerRole) keys and ids must be unique, and messages may only
 * use known placeholders. Throws AppError('coaching_templates_invalid') naming each problem.
 */
export function loadCoachingTemplates(file?: string): CoachingTemplates {
  if (!file && cached) return cached;
  const target = file ?? DEFAULT_FILE;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(target, 'utf8'));
  } catch (err) {
    throw invalid(target, [`无法读取或解析 / cannot read or parse: ${(err as Error).message}`]);
  }
  const result = validateCoachingTemplates(raw, target);
  if (!file) cached = result;
  return result;
}

export function validateCoachingTemplates(raw: unknown, source = 'coaching templates'): CoachingTemplates {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalid(source, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const data = parsed.data;
  const problems: string[] = [];
  const keys = new Set<string>();
  const ids = new Set<string>();
  for (const t of data.templates) {
    const key = `${t.behavior}|${t.customerType}|${t.customerRole}`;
    if (keys.has(key)) problems.push(`重复的模板键 / duplicate template key ${key}`);
    if (ids.has(t.id)) problems.push(`重复的模板 id / duplicate template id ${t.id}`);
    keys.add(key);
    ids.add(t.id);
  }
  for (const b of BEHAVIOR_IDS) {
    if (!keys.has(`${b}|*|*`)) problems.push(`行为 ${b} 缺少通用模板 (*, *) / behaviour ${b} needs a catch-all template`);
  }
  for (const [name, text] of Object.entries(data.messages)) {
    for (const m of text.matchAll(/\{(\w+)\}/g)) {
      if (!PLACEHOLDERS.has(m[1])) problems.push(`messages.${name}: 未知占位符 / unknown placeholder {${m[1]}}`);
    }
  }
  if (problems.length) throw invalid(source, problems);
  return data;
}

/** Most specific template: exact type and role, then type only, then role only, then the catch-all. */
export function pickTemplate(
  t: CoachingTemplates,
  behavior: BehaviorId,
  customerType: string | null,
  customerRole: string | null,
): CoachingTemplate {
  const candidates: Array<[string, string]> = [
    [customerType ?? '*', customerRole ?? '*'],
    [customerType ?? '*', '*'],
    ['*', customerRole ?? '*'],
    ['*', '*'],
  ];
  for (const [type, role] of candidates) {
    const hit = t.templates.find((x) => x.behavior === behavior && x.customerType === type && x.customerRole === role);
    if (hit) return hit;
  }
  throw new ConfigurationError('coaching_templates_invalid', `行为 ${behavior} 没有模板 / no template for ${behavior}`);
}

function invalid(source: string, problems: string[]): AppError {
  return new ConfigurationError(
    'coaching_templates_invalid',
    `辅导模板无效 (${source})，请修正后重试 / invalid coaching templates:\n  ${problems.join('\n  ')}`,
  );
}
