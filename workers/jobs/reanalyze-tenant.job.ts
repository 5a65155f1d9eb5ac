import { defineJob } from '../deps.ts';

/** Enqueued in pages, so re-analyzing a large tenant neither holds every id in memory nor one long Redis call. */
const PAGE = 500;

/**
 * After a lexicon update: walks the tenant's analyzed recordings whose analysis used another lexicon (or all of
 * them) and queues one analyze job each for the new version. Re-running it queues nothing twice (job ids carry the
 * version).
 */
export const reanalyzeTenantJob = defineJob({
  name: 'reanalyze-tenant',
  handler: async ({ tenantId, lexiconVersion, all }, deps) => {
    let after: string | undefined;
    let queued = 0;
    for (;;) {
      const page = await deps.repos.results.staleAnalyses(tenantId, lexiconVersion, { all, after, limit: PAGE });
      if (!page.length) break;
      await deps.queue.enqueueBulk(
        'analyze',
        page.map((r) => ({ recordingId: r.id, generation: r.generation, lexiconVersion })),
      );
      queued += page.length;
      after = page[page.length - 1].id;
    }
    deps.log.info({ job: 'reanalyze-tenant', tenantId, lexiconVersion, queued }, 'reanalysis queued');
  },
});
