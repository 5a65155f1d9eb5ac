import { safeId } from './links.ts';

/**
 * Evidence files (营业执照.pdf, 邮件已读回执.eml …) as the report links them: `files/<attachment id>.<ext>`, the same
 * relative name in the static report (copied there) and under the API's /reports/ (served from storage). The
 * uploader's file name is untrusted: only its extension survives, and only from this list, so a file named
 * x.html or x.svg can never be opened as a page next to the report; anything else becomes `.bin` and downloads.
 */
const TYPES: Record<string, { type: string; inline: boolean }> = {
  pdf: { type: 'application/pdf', inline: true },
  png: { type: 'image/png', inline: true },
  jpg: { type: 'image/jpeg', inline: true },
  jpeg: { type: 'image/jpeg', inline: true },
  gif: { type: 'image/gif', inline: true },
  webp: { type: 'image/webp', inline: true },
  txt: { type: 'text/plain; charset=utf-8', inline: true },
  eml: { type: 'message/rfc822', inline: false },
  doc: { type: 'application/msword', inline: false },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', inline: false },
  xls: { type: 'application/vnd.ms-excel', inline: false },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', inline: false },
  zip: { type: 'application/zip', inline: false },
  bin: { type: 'application/octet-stream', inline: false },
};

function extOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,5})$/.exec(name);
  const ext = m ? m[1].toLowerCase() : '';
  return ext in TYPES ? ext : 'bin';
}

/** The report's relative link (and static file name) for an attachment. */
export function attachmentFile(id: string, originalName: string): string {
  return `files/${safeId(id)}.${extOf(originalName)}`;
}

/** How the API serves an attachment: its content type, and whether a browser may show it inline. */
export function attachmentType(originalName: string): { type: string; inline: boolean } {
  return TYPES[extOf(originalName)];
}

/** `Content-Disposition` keeping the uploader's name for the download (RFC 6266 filename*), with an ASCII fallback. */
export function contentDisposition(originalName: string, inline: boolean): string {
  const ascii = originalName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(originalName)}`;
}
