import { describe, expect, it } from 'vitest';
import { reconcileAction } from './reconcile.ts';

describe('reconciler decisions', () => {
  const audio = { kind: 'audio' as const, normalizedKey: 't/2026-12/x.wav' };
  it('leaves a recording alone while its job lives, re-queues a lost one', () => {
    expect(reconcileAction({ status: 'transcribing', ...audio }, 'alive', null)).toBeNull();
    expect(reconcileAction({ status: 'queued', kind: null, normalizedKey: null }, 'missing', null)).toEqual({ enqueue: 'normalize' });
    expect(reconcileAction({ status: 'analyzing', ...audio }, 'missing', null)).toEqual({ enqueue: 'analyze' });
  });
  it('queues the follow-on of a finished stage whose next job was lost, and nothing when it exists', () => {
    expect(reconcileAction({ status: 'normalizing', ...audio }, 'completed', 'missing')).toEqual({ enqueue: 'transcribe' });
    expect(reconcileAction({ status: 'normalizing', kind: 'transcript', normalizedKey: null }, 'completed', 'missing')).toEqual({ enqueue: 'analyze' });
    expect(reconcileAction({ status: 'normalizing', ...audio }, 'completed', 'alive')).toBeNull();
  });
  it('fails a recording whose stage job failed for good without saying so, and ignores finished ones', () => {
    expect(reconcileAction({ status: 'transcribing', ...audio }, 'failed', null)).toEqual({ fail: 'transcribe' });
    expect(reconcileAction({ status: 'analyzed', ...audio }, 'missing', null)).toBeNull();
  });
});
