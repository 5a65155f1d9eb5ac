import { describe, expect, it } from 'vitest';
import { CheckpointError, checkStageChange, missingRequirements } from './checkpoints.ts';
import { InvalidTransitionError, stagesCrossed } from './stages.ts';

function caught(fn: () => void): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('stage checkpoints', () => {
  it('refuses 方案已阅 without a read receipt, listing what is missing, as a 422', () => {
    const err = caught(() => checkStageChange('proposal_sent', 'proposal_read', ['other']));
    expect(err).toBeInstanceOf(CheckpointError);
    const e = err as CheckpointError;
    expect(e.kind).toBe('checkpoint');
    expect(e.code).toBe('checkpoint_failed');
    expect(e.missing.map((m) => m.requirement)).toEqual(['proposal_read_evidence']);
    expect(e.missing[0].acceptedKinds).toEqual(['read_receipt_screenshot', 'email_read_receipt']);
    expect(e.message).toContain('客户阅读回执截图或邮件已读回执');
  });

  it('accepts either kind of read receipt', () => {
    expect(() => checkStageChange('proposal_sent', 'proposal_read', ['email_read_receipt'])).not.toThrow();
    expect(() => checkStageChange('proposal_sent', 'proposal_read', ['read_receipt_screenshot'])).not.toThrow();
  });

  it('lists exactly the missing legal documents', () => {
    const e = caught(() => checkStageChange('price_negotiation', 'legal_review', ['business_license'])) as CheckpointError;
    expect(e.missing.map((m) => m.label)).toEqual(['授权书', '技术协议']);
    expect(e.message).toContain('授权书、技术协议');
    const none = caught(() => checkStageChange('price_negotiation', 'legal_review', [])) as CheckpointError;
    expect(none.missing.map((m) => m.requirement)).toEqual(['business_license', 'authorization_letter', 'technical_agreement']);
    expect(() =>
      checkStageChange('price_negotiation', 'legal_review', ['business_license', 'authorization_letter', 'technical_agreement']),
    ).not.toThrow();
  });

  it('applies the checkpoints of every stage a forward jump crosses', () => {
    expect(stagesCrossed('proposal_sent', 'legal_review')).toEqual(['proposal_read', 'price_negotiation', 'legal_review']);
    expect(missingRequirements('proposal_sent', 'price_negotiation', []).map((m) => m.stage)).toEqual(['proposal_read']);
    expect(missingRequirements('new_lead', 'won', ['email_read_receipt', 'technical_agreement']).map((m) => m.requirement)).toEqual([
      'business_license',
      'authorization_letter',
    ]);
    expect(() => checkStageChange('new_lead', 'proposal_sent', [])).not.toThrow();
  });

  it('allows lost from any open stage without evidence and refuses backward or closed moves with 409', () => {
    for (const from of ['new_lead', 'proposal_read', 'legal_review'] as const) expect(() => checkStageChange(from, 'lost', [])).not.toThrow();
    const back = caught(() => checkStageChange('price_negotiation', 'proposal_sent', [])) as InvalidTransitionError;
    expect(back).toBeInstanceOf(InvalidTransitionError);
    expect(back.kind).toBe('conflict');
    expect(back.code).toBe('invalid_stage_transition');
    expect(caught(() => checkStageChange('won', 'lost', []))).toBeInstanceOf(InvalidTransitionError);
    expect(caught(() => checkStageChange('lost', 'new_lead', []))).toBeInstanceOf(InvalidTransitionError);
    expect(caught(() => checkStageChange('new_lead', 'new_lead', []))).toBeInstanceOf(InvalidTransitionError);
  });
});
