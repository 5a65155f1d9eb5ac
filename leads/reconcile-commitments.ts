import type { Commitment } from '../analyze/types.ts';

/** A commitment already stored for the recording, with the state of its follow-up task. */
export interface StoredCommitment {
  id: string;
  by: 'rep' | 'customer';
  segmentIndex: number | null;
  text: string;
  dueAt: Date | null;
  /** Status of its follow-up task, null when it has none yet. */
  taskStatus: 'open' | 'done' | 'cancelled' | null;
}

export interface Reconciliation {
  /** Stored promises found again: keep the row (and its task, done-mark included), update what changed. */
  keep: Array<{ id: string; next: Commitment; dueChanged: boolean }>;
  /** Promises the stored analysis did not have. */
  add: Commitment[];
  /** Stored promises the new analysis no longer finds. Done ones stay as history; open ones are withdrawn. */
  gone: StoredCommitment[];
}

/**
 * Han bigrams of what a promise is about, for telling two wordings of one promise from two promises: pronouns and
 * time words (我明, 明天) say nothing about which promise it is.
 */
function bigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < text.length; i++) {
    const b = text.slice(i, i + 2);
    if (/^[\u4e00-\u9fff]{2}$/.test(b) && !/[我你您他她咱俺们把给的了这那就再先今明后天上下午晚早点前之周号月]/.test(b)) out.add(b);
  }
  return out;
}

function similarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (!x.size || !y.size) return a === b ? 1 : 0;
  let common = 0;
  for (const g of x) if (y.has(g)) common++;
  return common / Math.min(x.size, y.size);
}

const dayOf = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** How well a new commitment fits a stored one (0 = not the same promise). */
function fit(old: StoredCommitment, next: Commitment): number {
  if (old.by !== (next.by ?? 'rep')) return 0;
  const due = next.dueAt ? new Date(next.dueAt) : null;
  const sameDue = !!due && !!old.dueAt && due.getTime() === old.dueAt.getTime();
  const sameDay = !!due && !!old.dueAt && dayOf(due) === dayOf(old.dueAt);
  const text = similarity(old.text, next.text);
  const near = old.segmentIndex !== null && Math.abs(old.segmentIndex - next.segment) <= 3;
  // The same deadline with the same words, or the same day with most of the words, or the same words nearby.
  if (sameDue && text >= 0.3) return 3 + text;
  if (sameDay && text >= 0.5) return 2 + text;
  if (near && text >= 0.6) return 1 + text;
  return 0;
}

/**
 * Pairs a re-analysis' commitments with the ones stored from an earlier analysis of the same recording, so the
 * follow-up tasks hanging off them survive a lexicon update: a promise found again keeps its row and task (and a
 * task already marked done stays done) even when it moved to another line or its deadline became more precise;
 * only a promise the stored analysis did not have is new. Best fits are paired first.
 */
export function reconcileCommitments(stored: StoredCommitment[], next: Commitment[]): Reconciliation {
  const pairs: Array<{ i: number; j: number; score: number }> = [];
  stored.forEach((o, i) => next.forEach((n, j) => {
    const score = fit(o, n);
    if (score > 0) pairs.push({ i, j, score });
  }));
  pairs.sort((a, b) => b.score - a.score || a.i - b.i || a.j - b.j);
  const usedOld = new Set<number>();
  const usedNew = new Set<number>();
  const keep: Reconciliation['keep'] = [];
  for (const p of pairs) {
    if (usedOld.has(p.i) || usedNew.has(p.j)) continue;
    usedOld.add(p.i);
    usedNew.add(p.j);
    const o = stored[p.i];
    const n = next[p.j];
    const due = n.dueAt ? new Date(n.dueAt).getTime() : null;
    keep.push({ id: o.id, next: n, dueChanged: due !== (o.dueAt?.getTime() ?? null) });
  }
  return {
    keep: keep.sort((a, b) => a.next.segment - b.next.segment),
    add: next.filter((_, j) => !usedNew.has(j)),
    gone: stored.filter((_, i) => !usedOld.has(i)),
  };
}
