/**
 * nunect core client: NATS over WebSocket for browsers and Node, with a logger that publishes to
 * `ops.log.{level}.{unitID}`. This entry point does not import Lit.
 * @module nunect/client
 */
export { connect, NunectClient } from './client.js';
export type {
  ConnectOptions,
  ConnectionState,
  ConnectionStatus,
  HeadersInit,
  Msg,
  MsgHdrs,
  Payload,
  PublishOptions,
  RequestManyOptions,
  RequestOptions,
  ServerInfo,
  Stats,
  SubscribeOptions,
  Subscription,
} from './client.js';
export type { AuthMethod, AuthOptions } from './auth.js';
export { ManualClock, systemClock } from './clock.js';
export { jwtName, loginInboxPrefix, loginName, userInboxPrefix } from './identity.js';
export type { Clock } from './clock.js';
export { AUDIT_SUBJECTS, kickClient, moveClient, recordAudit, reloadServer, userRights } from './admin.js';
export type { AdminAction, AdminOutcome, AdminResult, AuditRecord, AuditTarget, DataAction, DataOutcome, UserRights } from './admin.js';
export { NunectError } from './errors.js';
export {
  fetchMonitor,
  fetchMonitorHttp,
  httpMonitor,
  httpQuery,
  MAX_REPLY_BYTES,
  MonitorSurveyor,
  monitorSubject,
  natsMonitor,
  parseReply,
  SYSTEM_ONLY,
} from './monitor.js';
export type { FetchOptions, LateReplyHandler, MonitorSource } from './monitor.js';
export { MONITOR_KINDS } from './monitor-types.js';
export type * from './monitor-types.js';
export type { NunectErrorCode } from './errors.js';
export { createLogger, LOG_LEVELS } from './logger.js';
export type { Logger, LoggerOptions, LogLevel, LogRecord } from './logger.js';
export { assertPublishSubject, assertSubscribeSubject, subjectMatches } from './subjects.js';
export type { WebSocketFactoryOptions } from './websocket.js';
