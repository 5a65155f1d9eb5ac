import { and, asc, eq, inArray } from 'drizzle-orm';
import { isSealed, requireBox, type SecretBox } from '../../core/secret-box.ts';
import type { Db } from '../client.ts';
import { leadAttachments, leadProposalDecisions, leadSettings, leadStageSignals, recordings, repNotifyHandles, reps } from '../schema.ts';

export type AttachmentRow = typeof leadAttachments.$inferSelect;
export type LeadSettingsRow = typeof leadSettings.$inferSelect;
export type ProposalRow = typeof leadStageSignals.$inferSelect & {
  decision: 'confirmed' | 'rejected' | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  recordedAt: Date | null;
};

const SEALED_SETTINGS = ['wecomWebhookUrl', 'dingtalkWebhookUrl', 'dingtalkSecret'] as const;

/** Evidence attachments, proposal decisions and per-tenant settings of the leads module. */
export class LeadEvidenceRepository {
  constructor(private readonly db: Db, private readonly secrets?: SecretBox) {}

  async addAttachment(values: typeof leadAttachments.$inferInsert): Promise<AttachmentRow> {
    const [row] = await this.db.insert(leadAttachments).values(values).returning();
    return row;
  }

  async attachments(tenantId: string, leadId: string): Promise<AttachmentRow[]> {
    return this.db
      .select()
      .from(leadAttachments)
      .where(and(eq(leadAttachments.tenantId, tenantId), eq(leadAttachments.leadId, leadId)))
      .orderBy(asc(leadAttachments.createdAt));
  }

  /** One attachment of the tenant by its id (undefined for another tenant's). */
  async attachmentById(tenantId: string, id: string): Promise<AttachmentRow | undefined> {
    const [row] = await this.db
      .select()
      .from(leadAttachments)
      .where(and(eq(leadAttachments.tenantId, tenantId), eq(leadAttachments.id, id)));
    return row;
  }

  /** Stage proposals (the lead-update job's signals) with any decision a person made on them. */
  async proposals(tenantId: string, leadId: string): Promise<ProposalRow[]> {
    return this.db
      .select({
        id: leadStageSignals.id,
        tenantId: leadStageSignals.tenantId,
        leadId: leadStageSignals.leadId,
        recordingId: leadStageSignals.recordingId,
        stage: leadStageSignals.stage,
        segmentIndex: leadStageSignals.segmentIndex,
        evidence: leadStageSignals.evidence,
        reason: leadStageSignals.reason,
        createdAt: leadStageSignals.createdAt,
        decision: leadProposalDecisions.decision,
        decidedBy: leadProposalDecisions.decidedBy,
        decidedAt: leadProposalDecisions.decidedAt,
        recordedAt: recordings.recordedAt,
      })
      .from(leadStageSignals)
      .leftJoin(leadProposalDecisions, eq(leadProposalDecisions.signalId, leadStageSignals.id))
      .leftJoin(recordings, eq(recordings.id, leadStageSignals.recordingId))
      .where(and(eq(leadStageSignals.tenantId, tenantId), eq(leadStageSignals.leadId, leadId)))
      .orderBy(asc(leadStageSignals.createdAt), asc(leadStageSignals.segmentIndex));
  }

  /** Records a decision once; false when the proposal was already decided. */
  async decide(tenantId: string, signalId: string, decision: 'confirmed' | 'rejected', decidedBy: string | null): Promise<boolean> {
    const rows = await this.db
      .insert(leadProposalDecisions)
      .values({ signalId, tenantId, decision, decidedBy })
      .onConflictDoNothing()
      .returning({ id: leadProposalDecisions.signalId });
    return rows.length > 0;
  }

  async undoDecision(tenantId: string, signalId: string): Promise<void> {
    await this.db
      .delete(leadProposalDecisions)
      .where(and(eq(leadProposalDecisions.tenantId, tenantId), eq(leadProposalDecisions.signalId, signalId)));
  }

  /** The settings with the robot URLs (their tokens are credentials) and the DingTalk secret opened. */
  async settings(tenantId: string): Promise<LeadSettingsRow | undefined> {
    const [row] = await this.db.select().from(leadSettings).where(eq(leadSettings.tenantId, tenantId));
    return row && this.openRow(row);
  }

  async saveSettings(tenantId: string, values: Partial<Omit<typeof leadSettings.$inferInsert, 'tenantId'>>): Promise<LeadSettingsRow> {
    const sealed = { ...values };
    for (const f of SEALED_SETTINGS) {
      const v = values[f];
      if (v) sealed[f] = requireBox(this.secrets).seal(v);
    }
    const [row] = await this.db
      .insert(leadSettings)
      .values({ tenantId, ...sealed })
      .onConflictDoUpdate({ target: leadSettings.tenantId, set: { ...sealed, updatedAt: new Date() } })
      .returning();
    return this.openRow(row);
  }

  /** Seals settings stored before encryption existed (run at start-up; a no-op once done). */
  async sealLegacySecrets(): Promise<number> {
    let n = 0;
    for (const row of await this.db.select().from(leadSettings)) {
      const fix: Partial<LeadSettingsRow> = {};
      for (const f of SEALED_SETTINGS) {
        const v = row[f];
        if (v && !isSealed(v)) fix[f] = requireBox(this.secrets).seal(v);
      }
      if (Object.keys(fix).length) {
        n++;
        await this.db.update(leadSettings).set(fix).where(eq(leadSettings.tenantId, row.tenantId));
      }
    }
    return n;
  }

  private openRow(row: LeadSettingsRow): LeadSettingsRow {
    const out = { ...row };
    for (const f of SEALED_SETTINGS) {
      const v = row[f];
      if (v && isSealed(v)) out[f] = requireBox(this.secrets).open(v);
    }
    return out;
  }

  async saveHandles(tenantId: string, repId: string, values: { mobile: string | null; wecomUserId: string | null; dingtalkUserId: string | null }) {
    await this.db
      .insert(repNotifyHandles)
      .values({ tenantId, repId, ...values })
      .onConflictDoUpdate({ target: repNotifyHandles.repId, set: { ...values, updatedAt: new Date() } });
  }

  /** @-mention handles by rep CRM id. */
  async handlesByExternalIds(tenantId: string, externalIds: string[]) {
    if (!externalIds.length) return [];
    return this.db
      .select({ id: reps.externalId, mobile: repNotifyHandles.mobile, wecomUserId: repNotifyHandles.wecomUserId, dingtalkUserId: repNotifyHandles.dingtalkUserId })
      .from(repNotifyHandles)
      .innerJoin(reps, eq(reps.id, repNotifyHandles.repId))
      .where(and(eq(repNotifyHandles.tenantId, tenantId), inArray(reps.externalId, externalIds)));
  }
}
