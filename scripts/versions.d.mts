// Types of scripts/versions.mjs (plain JavaScript so that scripts/test.mjs runs without tsx).
export declare const ROOT: string;
export declare const VERSIONS: Record<string, string>;
export declare const NATS_SERVER_VERSION: string;
export declare const NATSCLI_VERSION: string;
export declare const SYSTEM_NATS_SERVERS: readonly string[];
export declare function cachedBinary(tool: string, version: string): string;
export declare function currentNatsServer(): string | undefined;
