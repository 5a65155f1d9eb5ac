import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { InvalidInputError } from '../core/errors.ts';
import { OutboundPolicy } from '../core/net-policy.ts';

/**
 * The only way tingjian sends HTTP to an address a tenant chose (webhooks, 企业微信 / 钉钉 robots). Every address
 * the host resolves to is checked against the policy, at registration and again on each delivery, and the
 * connection is made to the address that was checked (the lookup hook below), so a DNS answer that changes between
 * check and connect (rebinding) cannot reach a refused address. Redirects are never followed.
 */

/** Why a delivery did not get an HTTP answer. Stored for the tenant as this word only; details go to our log. */
export type OutboundFailure = 'address_not_allowed' | 'unreachable' | 'timeout';

export class OutboundError extends Error {
  constructor(readonly failure: OutboundFailure, detail: string) {
    super(detail);
  }
}

const MESSAGE =
  '地址不允许：webhook / 群机器人地址须解析到公网地址，内网地址需管理员在 WEBHOOK_ALLOWED_CIDRS 中放行 / ' +
  'the URL must resolve to a public address; intranet addresses must be allowed by the operator in WEBHOOK_ALLOWED_CIDRS';

function parse(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidInputError('url_not_allowed', `地址无效 / not a URL: ${MESSAGE}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidInputError('url_not_allowed', `须为 http(s) 地址 / must be http(s): ${MESSAGE}`);
  if (u.username || u.password) throw new InvalidInputError('url_not_allowed', `地址中不能含用户名或密码 / no credentials in the URL`);
  return u;
}

const host = (u: URL) => u.hostname.replace(/^\[|\]$/g, '');

async function resolveAll(hostname: string): Promise<string[]> {
  if (isIP(hostname)) return [hostname];
  const found = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

/**
 * Registration check: the URL is http(s) and every address its host resolves to now is allowed. Unresolvable and
 * refused hosts get the same answer, so the check cannot be used to probe internal DNS either.
 */
export async function assertOutboundUrl(url: string, policy: OutboundPolicy): Promise<void> {
  const u = parse(url);
  let addresses: string[];
  try {
    addresses = await resolveAll(host(u));
  } catch {
    throw new InvalidInputError('url_not_allowed', MESSAGE);
  }
  if (!addresses.length || addresses.some((a) => !policy.check(a).allowed)) throw new InvalidInputError('url_not_allowed', MESSAGE);
}

/** dns.lookup with every answer checked; net.connect calls it for host names (IP literals are checked up front). */
function checkedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, verbatim: true, family: options.family }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.find((a) => !policy.check(a.address).allowed);
      if (!addresses.length || refused) {
        return callback(new OutboundError('address_not_allowed', `${hostname} resolves to ${refused?.address ?? 'nothing'}`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

export interface OutboundResponse {
  status: number;
  /** The first 64 KB of the answer: robots report errors in the body. */
  text: string;
}

const MAX_BODY = 64 * 1024;

const policies = new Map<string, OutboundPolicy>();
/** The policy for a WEBHOOK_ALLOWED_CIDRS value, parsed once. */
export function outboundPolicy(config: { WEBHOOK_ALLOWED_CIDRS: string }): OutboundPolicy {
  let p = policies.get(config.WEBHOOK_ALLOWED_CIDRS);
  if (!p) policies.set(config.WEBHOOK_ALLOWED_CIDRS, (p = new OutboundPolicy(config.WEBHOOK_ALLOWED_CIDRS)));
  return p;
}

/** POSTs `body` as JSON; resolves with any HTTP answer (3xx included: redirects are not followed). */
export function postJson(
  url: string,
  opts: { headers: Record<string, string>; body: string; timeoutMs: number; policy: OutboundPolicy },
): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = parse(url);
    } catch (err) {
      return reject(new OutboundError('address_not_allowed', (err as Error).message));
    }
    const literal = isIP(host(u));
    if (literal && !opts.policy.check(host(u)).allowed) return reject(new OutboundError('address_not_allowed', `${host(u)} refused`));
    const client = u.protocol === 'https:' ? https : http;
    const req = client.request(
      u,
      {
        method: 'POST',
        headers: { ...opts.headers, 'content-length': Buffer.byteLength(opts.body) },
        lookup: literal ? undefined : checkedLookup(opts.policy),
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_BODY) chunks.push(c.subarray(0, MAX_BODY - size));
          size += c.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => reject(new OutboundError('unreachable', err.message)));
      },
    );
    // `timeout` is the idle limit; the timer bounds the whole exchange (a receiver dripping bytes cannot hold it).
    const timeUp = () => req.destroy(new OutboundError('timeout', `no answer within ${opts.timeoutMs} ms`));
    const timer = setTimeout(timeUp, opts.timeoutMs);
    req.on('timeout', timeUp);
    req.on('error', (err) => reject(err instanceof OutboundError ? err : new OutboundError('unreachable', err.message)));
    req.on('close', () => clearTimeout(timer));
    req.end(opts.body);
  });
}

/** What the delivery log may say about a failed attempt: the kind of failure or the receiver's status, nothing more. */
export function publicFailure(err: unknown): string {
  return err instanceof OutboundError ? err.failure : 'unreachable';
}
