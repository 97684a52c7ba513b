/**
 * Node entry point of `nunect/client`: the same API, with WebSocket from the `ws` package (Node 20
 * has no global WebSocket) and the `ca` option to trust a development CA for wss://.
 * @module nunect/client (node)
 */
import WebSocket from 'ws';
import { setPlatformWebSocket } from './websocket.js';

setPlatformWebSocket(({ ca }) => async (url) => ({
  socket: new WebSocket(url, { ca, perMessageDeflate: false }) as unknown as globalThis.WebSocket,
  encrypted: url.startsWith('wss:'),
}));

export * from './index.js';
