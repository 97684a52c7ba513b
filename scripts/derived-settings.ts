/**
 * Settings derived from others, which config/permissions.conf reads: the logger's publish subject
 * and each restricted user's own reply inbox. scripts/lib.sh derives the same in bash for the
 * server; Node callers (operator.ts, the test harness) use this.
 */

/** Restricted roles that make requests and so read replies: each gets `_INBOX_<user>.>`. */
export const INBOX_ROLES = [
  'MONITOR',
  'ADMIN',
  'BRIDGE_SERVICE',
  'ENGINE_SERVICE',
  'PROVISION_SERVICE',
  'BRIDGE_UNIT',
  'ENGINE_UNIT',
  'PROVISION_UNIT',
  'DASHBOARD',
  'BRIDGE_VIEWER',
] as const;

/** Accounts with a unit user (NATS_<ACCOUNT>_UNIT is the unit's id). */
export const UNIT_ACCOUNTS = ['BRIDGE', 'ENGINE', 'PROVISION'] as const;

export function derivedSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  if (env.NATS_LOGGER_UNIT) out.NATS_LOGGER_PUBLISH = `ops.log.*.${env.NATS_LOGGER_UNIT}`;
  for (const acc of UNIT_ACCOUNTS) {
    const unit = env[`NATS_${acc}_UNIT`];
    if (!unit) continue;
    out[`NATS_${acc}_UNIT_LOGS`] = `ops.log.*.${unit}`;
    out[`NATS_${acc}_UNIT_HEALTH`] = `ops.health.${unit}`;
    out[`NATS_${acc}_UNIT_ENDPOINTS`] = `ops.unit.${unit}.>`;
  }
  for (const role of INBOX_ROLES) {
    const user = env[`NATS_${role}_USER`];
    if (user) out[`NATS_${role}_INBOX`] = `_INBOX_${user}.>`;
  }
  return out;
}
