/**
 * Putting and deleting a key from `<nunect-kv>`, Lit-free: whether the user may (its rights from
 * `userRights()`: `$KV.<bucket>.<key>`), doing it through a {@link KvSource}, and the audit record
 * of every attempt on `ops.audit.kv-put` / `ops.audit.kv-delete` (done, refused or failed).
 */
import { recordAudit, type AuditRecord, type DataOutcome, type NunectClient, type UserRights } from '../../client/index.js';
import { kvSubject, type KvSource } from './kv-source.js';

export type KvAction = 'kv-put' | 'kv-delete';

export const KV_ACTION_LABELS: Record<KvAction, string> = { 'kv-put': 'Put', 'kv-delete': 'Delete' };

/** How an action ended, for people and for the audit trail. */
export interface KvActionResult {
  action: KvAction;
  bucket: string;
  key: string;
  outcome: DataOutcome;
  /** The new revision (a put, or the delete marker when the source tells it). */
  revision?: number;
  /** What went wrong, for people ("Not allowed: …"). */
  message?: string;
  /** Whether the audit record was sent. */
  audited: boolean;
}

/**
 * Why `action` on `key` is not offered to this user (undefined: it is). Rights not known (nats-server
 * 2.9, or a user who may not ask): offered, and the server decides.
 */
export function kvActionBlocked(action: KvAction, bucket: string, key: string, rights: UserRights | undefined): string | undefined {
  if (!rights || !rights.known) return undefined;
  if (rights.mayPublish(kvSubject(bucket, key))) return undefined;
  const who = rights.user ? `${rights.user}` : 'This user';
  return `${who} may not ${action === 'kv-put' ? 'put values in' : 'delete keys of'} ${bucket}: no right to publish to ${kvSubject(bucket, key)}.`;
}

function outcomeOf(err: unknown): DataOutcome {
  const code = (err as { code?: string } | undefined)?.code;
  const msg = (err as Error | undefined)?.message ?? '';
  if (code === 'PERMISSION_DENIED') return 'refused';
  if (/no such bucket/i.test(msg)) return 'not-found';
  if (code === 'TIMEOUT') return 'no-reply';
  return 'failed';
}

/** The audit record of one attempt. */
export function kvAuditRecord(r: Omit<KvActionResult, 'audited'>, who: string | undefined, now: number): AuditRecord {
  return {
    time: new Date(now).toISOString(),
    action: r.action,
    ...(who ? { who } : {}),
    target: { bucket: r.bucket, key: r.key },
    outcome: r.outcome,
    ...(r.message ? { message: r.message } : {}),
  };
}

/**
 * Puts `value` (kv-put) or deletes (kv-delete) `key` of `bucket`, then records the attempt on
 * `ops.audit.<action>`. Never throws: the result says how it ended.
 */
export async function runKvAction(
  client: NunectClient,
  source: KvSource,
  action: KvAction,
  target: { bucket: string; key: string; value?: string | Uint8Array },
  who: string | undefined,
  now: () => number,
): Promise<KvActionResult> {
  const { bucket, key } = target;
  let result: Omit<KvActionResult, 'audited'>;
  try {
    if (action === 'kv-put') {
      const revision = await source.put(bucket, key, target.value ?? '');
      result = { action, bucket, key, outcome: 'ok', revision };
    } else {
      await source.delete(bucket, key);
      result = { action, bucket, key, outcome: 'ok' };
    }
  } catch (err) {
    result = { action, bucket, key, outcome: outcomeOf(err), message: (err as Error).message };
  }
  const audited = recordAudit(client, kvAuditRecord(result, who, now()));
  return { ...result, audited };
}
