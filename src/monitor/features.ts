/**
 * What a nats-server can do, by version: the one list the widgets consult before offering a
 * feature, so that an older server gets an explanation rather than a vague failure.
 * scripts/lib.sh (nunect_server_lacks) tells the same at `npm start`.
 */
import { versionAtLeast } from './names.js';

export interface ServerFeature {
  /** The first version that has it (major, minor). */
  since: [number, number];
  /** What it is, for people: "<feature> needs nats-server 2.10 or later". */
  label: string;
}

export const FEATURES = {
  kick: { since: [2, 10], label: 'Disconnecting a client (KICK)' },
  lameDuckClient: { since: [2, 10], label: 'Asking a client to move to another server (LDM)' },
  reload: { since: [2, 10], label: 'Reloading the configuration from the page (RELOAD)' },
  rttSort: { since: [2, 10], label: 'Sorting connections by round-trip time' },
  msgTtl: { since: [2, 11], label: 'Per-message TTL' },
  kvMarkers: { since: [2, 11], label: 'KV delete markers (liveness pushed by the server)' },
  offlineStreams: { since: [2, 12], label: 'Offline streams in the stream list' },
  directStartTime: { since: [2, 11], label: 'Reading a stream from a time (direct get start_time)' },
} as const satisfies Record<string, ServerFeature>;

export type FeatureName = keyof typeof FEATURES;

/** Whether a server of this version has the feature. */
export function serverHas(version: string | undefined, feature: FeatureName): boolean {
  const [major, minor] = FEATURES[feature].since;
  return versionAtLeast(version, major, minor);
}

/** Why a feature is not offered: "Disconnecting a client (KICK) needs nats-server 2.10 or later; n1 runs 2.9.10." */
export function featureMissing(feature: FeatureName, server: { name?: string; version?: string }): string {
  const f = FEATURES[feature];
  const who = server.name ? `${server.name} runs` : 'this server runs';
  return `${f.label} needs nats-server ${f.since[0]}.${f.since[1]} or later; ${who} ${server.version ?? 'an unknown version'}.`;
}
