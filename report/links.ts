/**
 * Page file names. The static report and the API's /reports/ routes use the same flat names, so every relative
 * link works in both. CRM ids are arbitrary strings: anything outside [A-Za-z0-9_-] is hex-encoded so a name can
 * never escape the folder or collide.
 */
export function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, (c) => `.${Buffer.from(c).toString('hex')}`);
}

export const links = {
  home: () => 'index.html',
  rep: (id: string) => `rep-${safeId(id)}.html`,
  recording: (id: string, segment?: number | null) => `rec-${safeId(id)}.html${segment != null ? `#seg-${segment}` : ''}`,
  lead: (id: string) => `lead-${safeId(id)}.html`,
};
