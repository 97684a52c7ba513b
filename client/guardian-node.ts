/**
 * Node entry of `nunect/guardian`: the same API, with the host name from the operating system.
 * @module nunect/guardian (node)
 */
import { hostname } from 'node:os';
import { setPlatformHost } from './guardian.js';

setPlatformHost(() => hostname());

export * from './guardian.js';
