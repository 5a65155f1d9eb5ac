import { robotRequests, type Notification, type Recipient } from '../notify.ts';
import type { LeadDeps } from './deps.ts';

type RepLike = { externalId: string; name: string | null };

export function recipientOf(rep: RepLike): Recipient {
  return { id: rep.externalId, name: rep.name ?? rep.externalId };
}

/**
 * Sends a notification everywhere the tenant asked for: webhook subscriptions (signed, retried by the service's
 * webhook deliveries) and the 企业微信 / 钉钉 robots configured in lead_settings, each message stored first and sent by
 * the robot-delivery job so a failed POST is retried, never lost.
 */
export async function notify(deps: LeadDeps, tenantId: string, n: Notification): Promise<void> {
  await deps.events.publish(tenantId, n.event, { ...n.data, title: n.title, lines: n.lines, recipients: n.recipients.map((r) => r.id) });
  const settings = await deps.repos.leadEvidence.settings(tenantId);
  if (!settings) return;
  // Robots @-mention people by mobile or IM id, which live beside the rep, not in the notification.
  const handles = new Map((await deps.repos.leadEvidence.handlesByExternalIds(tenantId, n.recipients.map((r) => r.id))).map((h) => [h.id, h]));
  n = { ...n, recipients: n.recipients.map((r) => ({ ...r, ...stripNulls(handles.get(r.id)) })) };
  // The URL here is only used to decide which channels exist; robot-delivery re-reads it (and re-signs) when sending.
  for (const req of robotRequests(n, settings, new Date())) {
    const msg = await deps.repos.handovers.queueRobotMessage({ tenantId, channel: req.channel, event: n.event, body: req.body });
    await deps.scheduler.deliverRobotMessage(msg.id);
  }
}

function stripNulls(h: { mobile: string | null; wecomUserId: string | null; dingtalkUserId: string | null } | undefined) {
  if (!h) return {};
  return Object.fromEntries(Object.entries(h).filter(([k, v]) => k !== 'id' && v)) as Partial<Recipient>;
}
