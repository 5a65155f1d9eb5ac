import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { InvalidInputError, NotFoundError } from '../../core/errors.ts';
import { attachmentFile, attachmentType, contentDisposition } from '../../report/attachments.ts';
import { buildPage, buildRecordingPageHtml } from '../../report/build-site.ts';
import { computeInsights, type Insights } from '../../report/compute.ts';
import { loadRecordingReportData, loadReportData } from '../../report/load-report-data.ts';
import type { ReportData } from '../../report/report-data.ts';
import type { AppContext } from '../context.ts';
import { cookieValue, principalOf, ROLES_READ, SESSION_COOKIE } from '../plugins/auth.ts';
import { pageCsp } from '../plugins/security-headers.ts';
import { Day, errors } from '../schemas.ts';

const DAY = 86_400_000;
/** Recording pages are named by the recording's UUID (report/links.ts). */
const RECORDING_PAGE = /^rec-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.html$/;
/** Evidence files as the lead pages link them (report/attachments.ts): files/<attachment UUID>.<ext>. */
const EVIDENCE_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[a-z0-9]{1,5}$/;
/** Pages of one tenant share one load: a trainer clicking through a report should not re-read the tenant each time. */
const CACHE_MS = 60_000;

const LOGIN_PAGE = (message = '') => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · 听见报告</title><style>body{font-family:system-ui,"Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:420px;margin:10vh auto;padding:0 16px;color:#1f2328}
label{display:block;margin:12px 0 4px}input{width:100%;padding:8px;font-size:15px;box-sizing:border-box}button{margin-top:12px;padding:8px 18px;font-size:15px}.err{color:#cf222e}</style></head>
<body><h1>听见 · 销售过程报告</h1><p>请输入管理员或培训师的 API 密钥（由 <code>npx tingjian keys create --role trainer</code> 生成）。</p>
${message ? `<p class="err" role="alert">${message}</p>` : ''}<form method="post" action="/reports-login"><label for="key">API 密钥</label>
<input id="key" name="key" type="password" autocomplete="off" required><button type="submit">打开报告</button></form></body></html>`;

const LOGGED_OUT = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>已退出 · 听见报告</title></head>
<body><p>已退出登录。<a href="/reports-login">重新登录</a></p></body></html>`;

/**
 * The report pages over HTTP: `/reports/index.html` (team overview) and every page it links to, rendered from the
 * caller's tenant only. API clients send `Authorization: Bearer <key>`; a trainer's browser signs in once at
 * `/reports-login`, which starts a server-side session (the cookie holds a random id, never the key) that ends at
 * SESSION_TTL_HOURS, at `POST /reports-logout`, or when its key is revoked. Failed sign-ins count against the
 * address like failed keys (429 past the limit).
 */
const reports: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const cache = new Map<string, { at: number; data: ReportData; insights: Insights }>();

  const audioHref = (rec: { id: string }) => `/v1/recordings/${rec.id}/audio`;

  function period(q: { from?: string; to?: string }) {
    const to = q.to ? new Date(Date.parse(`${q.to}T00:00:00+08:00`) + DAY) : null;
    const asOf = to ?? new Date();
    const from = q.from ? new Date(`${q.from}T00:00:00+08:00`) : new Date(asOf.getTime() - 90 * DAY);
    if (from >= asOf) throw new InvalidInputError('invalid_period', 'from 必须早于 to / from must be before to');
    return { asOf, window: { from, to: asOf } };
  }

  async function site(tenantId: string, q: { from?: string; to?: string }) {
    const { asOf, window } = period(q);
    const key = `${tenantId}|${q.from ?? ''}|${q.to ?? ''}`;
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit;
    const data = await loadReportData(ctx.repos, tenantId, { asOf, window, audioHref });
    // Mining is the mine-tenant job's work: a request only reads its latest finished run.
    const stored = await ctx.repos.mining.latestDone(tenantId);
    const entry = { at: Date.now(), data, insights: computeInsights(data, stored?.result ?? null) };
    // Every from/to a caller asks for is a key: drop expired ones so the map holds only the last minute's loads.
    for (const [k, v] of cache) if (entry.at - v.at >= CACHE_MS) cache.delete(k);
    cache.set(key, entry);
    return entry;
  }

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get('/reports-login', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', pageCsp(LOGIN_PAGE())).send(LOGIN_PAGE()),
  );

  app.post(
    '/reports-login',
    { schema: { hide: true, body: Type.Object({ key: Type.String({ minLength: 1, maxLength: 200 }) }) } },
    async (req, reply) => {
      const principal = await ctx.repos.apiKeys.authenticate(req.body.key);
      if (!principal || !ROLES_READ.includes(principal.role)) {
        if (await app.authFailed(req)) {
          return reply.status(429).header('retry-after', 60).type('text/html; charset=utf-8').send(LOGIN_PAGE('失败次数过多，请稍后再试。'));
        }
        return reply.status(401).type('text/html; charset=utf-8').send(LOGIN_PAGE('密钥无效，或该密钥没有查看报告的权限（需要 admin、trainer 或 integration 角色）。'));
      }
      const ttlMs = ctx.config.SESSION_TTL_HOURS * 3_600_000;
      const session = await ctx.repos.sessions.create(principal, ttlMs);
      // Secure whenever the browser reached us over TLS (directly, or through a proxy TRUST_PROXY names).
      const secure = req.protocol === 'https' ? '; Secure' : '';
      reply.header('set-cookie', `${SESSION_COOKIE}=${session.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(ttlMs / 1000)}${secure}`);
      return reply.redirect('/reports/index.html', 303);
    },
  );

  app.post('/reports-logout', { schema: { hide: true } }, async (req, reply) => {
    const token = cookieValue(req, SESSION_COOKIE);
    if (token) {
      await ctx.repos.sessions.delete(token);
      app.forgetPrincipals();
    }
    const secure = req.protocol === 'https' ? '; Secure' : '';
    reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`);
    return reply.type('text/html; charset=utf-8').send(LOGGED_OUT);
  });

  app.get('/reports', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/reports/index.html', 302));

  app.get(
    '/reports/files/:file',
    {
      schema: {
        tags: ['reports'],
        summary: '线索页上的凭证文件（营业执照、已读回执等） / an evidence file a lead page links',
        description: 'files/<附件ID>.<扩展名>，与静态报告中的相对链接相同；只返回本租户的文件。',
        params: Type.Object({ file: Type.String({ pattern: '^[0-9a-f-]{36}\\.[a-z0-9]{1,5}$', maxLength: 42 }) }),
        response: errors(401, 403, 404),
      },
    },
    async (req, reply) => {
      const { tenantId } = principalOf(req);
      const id = EVIDENCE_FILE.exec(req.params.file)?.[1];
      const att = id ? await ctx.repos.leadEvidence.attachmentById(tenantId, id) : undefined;
      // The extension must be the one the page links, so a file is never served under a type it was not given.
      if (!att || attachmentFile(att.id, att.originalName) !== `files/${req.params.file}` || !(await ctx.storage.exists(att.storageKey))) {
        throw new NotFoundError('attachment_not_found', `没有这个凭证文件：${req.params.file} / no such evidence file`);
      }
      const { type, inline } = attachmentType(att.originalName);
      return reply
        .type(type)
        .header('content-disposition', contentDisposition(att.originalName, inline))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('content-length', await ctx.storage.size(att.storageKey))
        .send(ctx.storage.get(att.storageKey));
    },
  );

  app.get(
    '/reports/:page',
    {
      schema: {
        tags: ['reports'],
        summary: '教练报告页面（HTML，内嵌 SVG 图表） / coaching report pages (HTML)',
        description:
          'index.html 为团队总览；rep-<销售ID>.html、rec-<录音ID>.html、lead-<线索ID>.html 为其链接的页面。默认最近 90 天；浏览器可在 /reports-login 用密钥登录。',
        params: Type.Object({ page: Type.String({ pattern: '^[A-Za-z0-9_.-]+\\.html$', maxLength: 300 }) }),
        querystring: Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }),
        produces: ['text/html'],
        response: errors(400, 401, 403, 404),
      },
    },
    async (req, reply) => {
      const tenantId = principalOf(req).tenantId;
      const recording = RECORDING_PAGE.exec(req.params.page);
      let html: string | null;
      if (recording) {
        // A visit's page needs that visit, its people and its tasks, not the tenant.
        const data = await loadRecordingReportData(ctx.repos, tenantId, recording[1], { ...period(req.query), audioHref });
        html = data && buildRecordingPageHtml(data, recording[1]);
      } else {
        const { data, insights } = await site(tenantId, req.query);
        html = buildPage(data, insights, req.params.page);
      }
      if (html === null) throw new NotFoundError('report_page_not_found', `没有这个报告页面：${req.params.page} / no such report page`);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'private, no-store')
        // The page's own inline script is allowed by its hash, and nothing else runs.
        .header('content-security-policy', pageCsp(html))
        .send(html);
    },
  );
};

export default reports;
