/**
 * Replication health of JetStream, without Lit: the meta group (JSZ `meta_cluster`) and each
 * replicated stream (`cluster` of a stream in JSZ account detail) — leader and replicas with
 * current, lag, offline and last activity, and what is wrong with each.
 *
 * Only a group's leader tracks its peers: a follower reports the other peers as not current with
 * no activity. So a group is read from its leader's reply; when the leader did not answer, the
 * peers' state is unknown (and said so), not "not current".
 */
import type { Jsz, MonitorParams, MonitorReply } from '../../client/monitor-types.js';
import { formatDuration, formatNumber } from '../../src/monitor/format.js';
import type { AbsentServer } from '../../src/monitor/roster.js';
import { absentStatus } from '../../src/parts/absent.js';

/** What `<nunect-jsz>` asks of JSZ; `<nunect-servers>` asks the same, so a page polls JSZ once. */
export const JSZ_PARAMS: MonitorParams = { accounts: true, streams: true, consumer: true, config: true };

/** One peer of a Raft group as the group's leader reports it. `active`: nanoseconds since its last activity. */
export interface PeerInfo {
  name: string;
  current?: boolean;
  offline?: boolean;
  active?: number;
  lag?: number;
  peer?: string;
}

/** A Raft group: JSZ `meta_cluster`, or a stream's `cluster`. */
export interface RaftGroup {
  name?: string;
  leader?: string;
  replicas?: PeerInfo[];
  cluster_size?: number;
  quorum_needed?: number;
}

/** One member of a group and what is wrong with it (nothing: healthy). */
export interface MemberHealth {
  name: string;
  leader: boolean;
  /** Whether the state comes from the leader (false: the leader did not answer, the state is unknown). */
  known: boolean;
  current?: boolean;
  lag?: number;
  /** Milliseconds since its last activity, as the leader saw it. */
  activeMs?: number;
  offline?: boolean;
  problems: string[];
}

export interface GroupHealth {
  leader?: string;
  /** The server whose reply this is. */
  reporter: string;
  /** The reply is the leader's own (the peers' state is known). */
  fromLeader: boolean;
  /** The leader first, then the replicas by name. */
  members: MemberHealth[];
  /** What is wrong with the group as a whole (no leader, the leader does not answer). */
  problems: string[];
}

export interface HealthOptions {
  /** Milliseconds since a replica's last activity after which it counts as behind. */
  activeLimit: number;
  /** Servers that do not answer (the poll's `absent`), by name. */
  absent: ReadonlyMap<string, AbsentServer>;
}

/** What is wrong with a peer as its leader reports it: offline, not current, lag, long inactive, not answering. */
export function peerProblems(p: PeerInfo, options: HealthOptions): string[] {
  const problems: string[] = [];
  if (p.offline) problems.push('offline');
  if (p.current === false) problems.push('not current');
  if (p.lag !== undefined && p.lag > 0) problems.push(`${formatNumber(p.lag)} behind`);
  const ms = p.active !== undefined ? p.active / 1e6 : undefined;
  if (ms !== undefined && ms > options.activeLimit) problems.push(`last active ${formatDuration(ms)} ago`);
  const gone = options.absent.get(p.name);
  if (gone) problems.push(`server ${absentStatus(gone)}`);
  return problems;
}

/** The health of `group` as `reporter` reports it. */
export function groupHealth(group: RaftGroup, reporter: string, options: HealthOptions): GroupHealth {
  const leader = group.leader || undefined;
  const fromLeader = !!leader && reporter === leader;
  const problems: string[] = [];
  if (!leader) problems.push('no leader');
  const leaderGone = leader ? options.absent.get(leader) : undefined;
  if (leaderGone) problems.push(`leader ${leader} ${absentStatus(leaderGone)}`);
  else if (leader && !fromLeader) problems.push(`the leader ${leader} did not report it`);
  const members: MemberHealth[] = [];
  if (leader) members.push({ name: leader, leader: true, known: fromLeader, problems: leaderGone ? [`server ${absentStatus(leaderGone)}`] : [] });
  const replicas = [...(group.replicas ?? [])].filter((p) => p.name !== leader).sort((a, b) => a.name.localeCompare(b.name));
  for (const p of replicas) {
    const base = { name: p.name, leader: false, known: fromLeader };
    if (fromLeader) {
      members.push({
        ...base,
        current: p.current,
        lag: p.lag,
        activeMs: p.active !== undefined ? p.active / 1e6 : undefined,
        offline: p.offline,
        problems: peerProblems(p, options),
      });
    } else {
      // A follower's view of the other peers says nothing; only whether their servers answer.
      const gone = options.absent.get(p.name);
      members.push({ ...base, problems: gone ? [`server ${absentStatus(gone)}`] : [] });
    }
  }
  return { leader, reporter, fromLeader, members, problems };
}

/** Whether anything in the group needs a look. */
export function unhealthy(g: GroupHealth): boolean {
  return g.problems.length > 0 || g.members.some((m) => m.problems.length > 0);
}

/** The meta group from its leader's reply (else from any server that reports one); undefined without JetStream clustering. */
export function metaGroup(replies: readonly MonitorReply<Jsz>[]): { reporter: string; group: RaftGroup } | undefined {
  const withMeta = replies.filter((r) => r.data?.meta_cluster);
  if (!withMeta.length) return undefined;
  const leader = withMeta.map((r) => r.data!.meta_cluster!.leader).find(Boolean);
  const r = withMeta.find((x) => x.server.name === leader) ?? withMeta.find((x) => x.data!.meta_cluster!.leader) ?? withMeta[0]!;
  return { reporter: r.server.name, group: r.data!.meta_cluster as RaftGroup };
}

/** A member in words: `leader`, `current · active 0.9 s ago`, `not current, 201 behind`, `state unknown (the leader did not answer)`. */
export function memberText(m: MemberHealth): string {
  if (m.problems.length) return m.problems.join(', ');
  if (m.leader) return 'leader';
  if (!m.known) return 'state unknown (the leader did not report it)';
  const parts = [m.current ? 'current' : 'current: unknown'];
  if (m.activeMs !== undefined) parts.push(`active ${formatDuration(m.activeMs)} ago`);
  return parts.join(' · ');
}
