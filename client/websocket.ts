import type { WsSocketFactory } from '@nats-io/nats-core';

/** Options the WebSocket factory may use (Node's `ws` needs the CA to trust a dev certificate). */
export interface WebSocketFactoryOptions {
  /** PEM certificate(s) to trust for `wss://` (Node only). */
  ca?: string | string[];
}

/** Makes the socket factory for one connection; `undefined` means the global `WebSocket`. */
export type WebSocketFactoryMaker = (options: WebSocketFactoryOptions) => WsSocketFactory | undefined;

let platformFactory: WebSocketFactoryMaker | undefined;

/** Set by the Node entry point (`nunect/client` under Node) to use the `ws` package. */
export function setPlatformWebSocket(maker: WebSocketFactoryMaker): void {
  platformFactory = maker;
}

export function platformWebSocket(): WebSocketFactoryMaker | undefined {
  return platformFactory;
}

export function hasGlobalWebSocket(): boolean {
  return typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function';
}
