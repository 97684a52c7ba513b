/**
 * Settings derived from others, which config/permissions.conf reads: the logger's publish subject
 * and each restricted user's own reply inbox. scripts/lib.sh derives the same in bash for the
 * server; Node callers (operator.ts, the test harness) use this.
 */

/** Restricted roles that make requests and so read replies: each gets `_INBOX_<user>.>`. */
export const INBOX_ROLES = ['MONITOR', 'ADMIN', 'BRIDGE_SERVICE', 'ENGINE_SERVICE', 'PROVISION_SERVICE'] as const;

export function derivedSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  if (env.NATS_LOGGER_UNIT) out.NATS_LOGGER_PUBLISH = `ops.log.*.${env.NATS_LOGGER_UNIT}`;
  for (const role of INBOX_ROLES) {
    const user = env[`NATS_${role}_USER`];
    if (user) out[`NATS_${role}_INBOX`] = `_INBOX_${user}.>`;
  }
  return out;
}
