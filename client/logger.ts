import type { NunectClient } from './client.js';
import { systemClock, type Clock } from './clock.js';
import { assertPublishSubject, assertToken } from './subjects.js';

/** Log levels, lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The JSON record published for each log call. */
export interface LogRecord {
  /** ISO 8601 time of the call. */
  time: string;
  level: LogLevel;
  /** The unit ID (also the last subject token). */
  unit: string;
  message: string;
  /** Optional structured data; errors become `{name, message, stack}`. */
  data?: unknown;
}

export interface LoggerOptions {
  /** Calls below this level are ignored. Default `debug`. */
  level?: LogLevel;
  /** Records kept while disconnected; the oldest are dropped beyond it. Default 1 000. */
  bufferSize?: number;
  /** Subject prefix. Default `ops.log`: records go to `ops.log.{level}.{unitID}`. */
  prefix?: string;
  /** Source of the records' `time`. Default the system clock. */
  clock?: Clock;
}

/** Publishes log records to `ops.log.{level}.{unitID}`. Never throws into the caller. */
export interface Logger {
  readonly unit: string;
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
  /** Records waiting for the connection to come back. */
  readonly buffered: number;
  /** Records lost: dropped from a full buffer, or not serialisable/publishable. */
  readonly dropped: number;
  /** Stops listening to the client's status (buffered records are kept, not sent). */
  dispose(): void;
}

function toJSONSafe(data: unknown): unknown {
  if (data instanceof Error) return { name: data.name, message: data.message, stack: data.stack };
  return data;
}

function serialise(record: LogRecord): string {
  try {
    return JSON.stringify(record, (_key, value) => {
      if (typeof value === 'bigint') return value.toString();
      if (value instanceof Error) return toJSONSafe(value);
      return value;
    });
  } catch (err) {
    // Circular data and the like: keep the message, say why the data is missing.
    return JSON.stringify({ ...record, data: `[unserialisable data: ${err instanceof Error ? err.message : String(err)}]` });
  }
}

/**
 * Creates a logger for one unit. `unitID` must be a single subject token (no dots, wildcards or
 * spaces); an invalid one throws here, at creation, never at a log call.
 */
export function createLogger(client: NunectClient, unitID: string, options: LoggerOptions = {}): Logger {
  assertToken('unit ID', unitID);
  const prefix = options.prefix ?? 'ops.log';
  const clock = options.clock ?? systemClock;
  const minLevel = LOG_LEVELS.indexOf(options.level ?? 'debug');
  const capacity = Math.max(0, options.bufferSize ?? 1_000);
  const subjects = Object.fromEntries(LOG_LEVELS.map((l) => [l, `${prefix}.${l}.${unitID}`])) as Record<LogLevel, string>;
  for (const subject of Object.values(subjects)) assertPublishSubject(subject); // a bad prefix fails here
  const buffer: Array<[string, string]> = [];
  let dropped = 0;

  const send = (subject: string, payload: string): boolean => {
    try {
      client.publish(subject, payload);
      return true;
    } catch {
      return false;
    }
  };

  const flush = () => {
    while (buffer.length > 0 && client.status.state === 'connected') {
      const [subject, payload] = buffer[0]!;
      if (!send(subject, payload)) break;
      buffer.shift();
    }
  };

  const stopListening = client.on('status', (status) => {
    if (status.state === 'connected') flush();
    else if (status.state === 'closed') {
      dropped += buffer.length;
      buffer.length = 0;
    }
  });

  const log = (level: LogLevel, message: string, data?: unknown) => {
    try {
      if (LOG_LEVELS.indexOf(level) < minLevel) return;
      const record: LogRecord = { time: new Date(clock.now()).toISOString(), level, unit: unitID, message: String(message) };
      if (data !== undefined) record.data = data;
      const payload = serialise(record);
      const subject = subjects[level];
      const state = client.status.state;
      if (state === 'closed') {
        dropped++;
        return;
      }
      if (state === 'connected' && buffer.length === 0 && send(subject, payload)) return;
      if (capacity === 0) {
        dropped++;
        return;
      }
      if (buffer.length >= capacity) {
        buffer.shift();
        dropped++;
      }
      buffer.push([subject, payload]);
    } catch {
      dropped++;
    }
  };

  return {
    unit: unitID,
    debug: (m, d) => log('debug', m, d),
    info: (m, d) => log('info', m, d),
    warn: (m, d) => log('warn', m, d),
    error: (m, d) => log('error', m, d),
    get buffered() {
      return buffer.length;
    },
    get dropped() {
      return dropped;
    },
    dispose: stopListening,
  };
}
