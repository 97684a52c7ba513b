/**
 * nunect: watch and use a NATS backbone from the browser.
 *
 * The all-in-one entry: the core client, every element (registered on import, under its
 * `nunect-*` tag), the shared connection (`configure`, `pageHub`, `ConnectionHub`) and the base
 * classes and controllers for building widgets of your own. To register only some elements, import
 * `nunect/<name>/define` instead (and `nunect/<name>` for a class without registering it).
 * @module nunect
 */
export * from '../client/index.js';

// Elements: importing a define module registers its tag (unless that tag is taken already).
export { NunectAccounts } from '../components/accounts/define.js';
export { NunectConnection } from '../components/connection/define.js';
export { NunectConnz } from '../components/connz/define.js';
export { NunectEventLog } from '../components/event-log/define.js';
export { NunectJsz } from '../components/jsz/define.js';
export { NunectKv } from '../components/kv/define.js';
export { NunectLogTail } from '../components/log-tail/define.js';
export { NunectProvider } from '../components/provider/define.js';
export { NunectPublish } from '../components/publish/define.js';
export { NunectRoutez } from '../components/routez/define.js';
export { NunectServers } from '../components/servers/define.js';
export { NunectServices } from '../components/services/define.js';
export { NunectStreams } from '../components/streams/define.js';
export { NunectSubsz } from '../components/subsz/define.js';
export { NunectTail } from '../components/tail/define.js';
export { NunectUnits } from '../components/units/define.js';
export { NunectVarz } from '../components/varz/define.js';
export type { LoginMethod } from '../components/connection/nunect-connection.js';
export type { ConnectionSelectDetail, EventLogPauseDetail, LoginEventDetail, NunectEventDetail, NunectEventMap, StateChangeDetail } from './base/events.js';

// The shared connection.
export { configure, hubContext, pageHub } from './connection/context.js';
export type { ConfigureOptions } from './connection/context.js';
export { ConnectionHub } from './connection/hub.js';
export type { HubOptions, HubState, HubStatus } from './connection/hub.js';

// Building widgets of your own.
export { NunectElement } from './base/nunect-element.js';
export { NunectWidget, widgetState } from './base/nunect-widget.js';
export type { WidgetState } from './base/nunect-widget.js';
export { HubController } from './controllers/hub-controller.js';
export { PollController } from './controllers/poll-controller.js';
export { SubscriptionController } from './controllers/subscription-controller.js';

// Monitoring data ($SYS requests or the HTTP monitor) for widgets of your own.
export { MonitorPoller } from './monitor/poller.js';
export type { PollSnapshot, WatchOptions } from './monitor/poller.js';
// The request path and every reply type are in nunect/client (Lit-free): fetchMonitor,
// natsMonitor, httpMonitor, MONITOR_KINDS, Varz, Connz, …; re-exported here for convenience.
export { fetchMonitor, fetchMonitorHttp, httpMonitor, natsMonitor, MONITOR_KINDS } from '../client/index.js';
export type * from '../client/monitor-types.js';
