import { describe, expect, it } from 'vitest';
import { reconcileCommitments, type StoredCommitment } from './reconcile-commitments.ts';

const stored = (id: string, segmentIndex: number, text: string, dueAt: string, taskStatus: StoredCommitment['taskStatus'] = 'open', by: StoredCommitment['by'] = 'rep'): StoredCommitment => ({
  id,
  by,
  segmentIndex,
  text,
  dueAt: new Date(dueAt),
  taskStatus,
});

describe('reconcileCommitments', () => {
  const old = [stored('a', 2, '我明天上午把报价单发给您', '2026-03-03T12:00:00+08:00', 'done'), stored('b', 5, '下周二我带一只样品过来', '2026-03-10T18:00:00+08:00')];

  it('keeps a promise found again on another line or with a more precise deadline', () => {
    const r = reconcileCommitments(old, [
      { segment: 3, text: '我明天上午把报价单发给您', dueAt: '2026-03-03T12:00:00+08:00', by: 'rep' },
      { segment: 9, text: '下周二上午我带样品过来', dueAt: '2026-03-10T12:00:00+08:00', by: 'rep' },
    ]);
    expect(r.keep.map((k) => [k.id, k.next.segment, k.dueChanged])).toEqual([['a', 3, false], ['b', 9, true]]);
    expect(r.add).toEqual([]);
    expect(r.gone).toEqual([]);
  });

  it('adds what is new, and reports what is gone', () => {
    const r = reconcileCommitments(old, [{ segment: 6, text: '我下周一给你答复', dueAt: '2026-03-09T18:00:00+08:00', by: 'customer' }]);
    expect(r.keep).toEqual([]);
    expect(r.add.map((c) => c.by)).toEqual(['customer']);
    expect(r.gone.map((g) => g.id)).toEqual(['a', 'b']);
  });

  it('never pairs promises of different sides or of different things on one day', () => {
    const r = reconcileCommitments(
      [stored('c', 4, '我明天给你答复', '2026-03-03T18:00:00+08:00', 'open', 'customer'), stored('d', 7, '合同我明天发您', '2026-03-03T18:00:00+08:00')],
      [
        { segment: 4, text: '我明天给您答复', dueAt: '2026-03-03T18:00:00+08:00', by: 'rep' },
        { segment: 8, text: '样品明天寄出', dueAt: '2026-03-03T18:00:00+08:00', by: 'rep' },
      ],
    );
    expect(r.keep).toEqual([]);
    expect(r.add).toHaveLength(2);
  });
});
