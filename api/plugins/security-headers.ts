import { createHash } from 'node:crypto';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { PAGE_SCRIPT } from '../../report/page-script.ts';

/**
 * Security headers on every answer (@fastify/helmet): nosniff, no framing, no referrer, and a Content-Security-Policy
 * that allows nothing by default: JSON needs none. HTML pages set their own (pageCsp) and /docs keeps Swagger UI's
 * files from 'self'.
 */
export default fp(async function securityHeaders(app: FastifyInstance) {
  await app.register(helmet, {
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"] } },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.url.startsWith('/docs')) {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
    }
  });
});

/** The inline scripts our pages carry, by hash: only these may run, so a script that got into a page's data cannot. */
const KNOWN_SCRIPTS = new Map([PAGE_SCRIPT].map((s) => [s, `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`]));

/**
 * The policy for one server-rendered page: the known inline scripts it contains (the audio player on a visit's page)
 * by their sha256, inline styles (the pages carry their CSS and colour swatches inline so they open offline),
 * same-origin audio and forms, and never inside a frame.
 */
export function pageCsp(html: string): string {
  const hashes = [...KNOWN_SCRIPTS].filter(([script]) => html.includes(`<script>${script}</script>`)).map(([, hash]) => hash);
  return [
    "default-src 'none'",
    `script-src ${hashes.length ? hashes.join(' ') : "'none'"}`,
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "media-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
