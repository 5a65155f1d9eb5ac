import { z } from 'zod';
import { BEHAVIOR_IDS } from '../core/behaviors.ts';
import { InvalidInputError } from '../core/errors.ts';
import type { CoachingEvidence } from './types.ts';

const moment = z.object({
  behavior: z.enum(BEHAVIOR_IDS),
  status: z.enum(['missing', 'present']),
  segment: z.number().int().min(0).nullable().optional(),
  startSec: z.number().min(0).nullable().optional(),
  endSec: z.number().min(0).nullable().optional(),
  text: z.string().optional(),
});

const schema = z.object({
  recordings: z.array(
    z.object({
      recordingId: z.string().min(1),
      rep: z.string().min(1),
      lead: z.string().min(1),
      at: z.string().min(1),
      customerType: z.string().nullable().optional(),
      customerRole: z.string().nullable().optional(),
      audio: z.boolean().optional(),
      moments: z.array(moment),
    }),
  ),
});

/** Validates coaching evidence from a file or another system (CoachingEvidence in patterns/types.ts). */
export function parseCoachingEvidence(raw: unknown): CoachingEvidence {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.slice(0, 10).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new InvalidInputError('invalid_evidence', `辅导证据格式无效，请按 CoachingEvidence 格式提供 / invalid coaching evidence:\n  ${lines.join('\n  ')}`);
  }
  return r.data;
}
