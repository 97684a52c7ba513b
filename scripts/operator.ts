/**
 * Operator mode (NATS decentralized JWT authentication) for development, without the Go `nsc` tool.
 *
 *   npm run operator [-- --rotate] [-- --quiet]        (bash scripts/operator.sh: loads .env first)
 *
 * Reads the accounts and users of config/nats-server.conf (the part between its `BEGIN
 * password-mode accounts` and `END` lines) and their permission sets in config/permissions.conf,
 * and writes, from the settings in the environment:
 *   - NATS_OPERATOR_DIR/keys/*.nk      the seeds of the operator, the accounts and the users (0600)
 *   - NATS_CREDS_DIR/<user>.creds      one credentials file per user: user JWT + seed (0600)
 *   - NATS_OPERATOR_DIR/nats-server.conf  config/nats-server.conf with that part replaced by
 *     `operator`, `system_account`, `resolver: MEMORY` and the account JWTs in `resolver_preload`
 *     (same listeners, TLS, WebSocket and JetStream; the values still come from the environment).
 * Names and rights are the same as in password mode: account JWTs carry the account names, user
 * JWTs the user names (shown as `name_tag`) and the permission sets. Existing keys are kept, so
 * re-running only re-signs the JWTs; `--rotate` replaces every key (restart the server after it).
 */
import { derivedSettings } from './derived-settings.js';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodeAccount, encodeOperator, encodeUser, fmtCreds, type Export, type Import, type OperatorLimits, type Permissions } from '@nats-io/jwt';
import { createAccount, createOperator, createUser, fromSeed, type KeyPair } from '@nats-io/nkeys';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BASE_CONFIG = join(ROOT, 'config/nats-server.conf');
const BEGIN = /^# BEGIN password-mode accounts.*$/m;
const END = /^# END password-mode accounts.*$/m;

/** A permission set as written in the nats-server config (`permissions: {...}` of a user). */
export interface ConfPermissions {
  publish?: string | string[] | { allow?: string | string[]; deny?: string | string[] };
  subscribe?: string | string[] | { allow?: string | string[]; deny?: string | string[] };
  allow_responses?: boolean | { max?: number; expires?: string };
}

/** One user of the password-mode config: the environment variables of its name and password. */
export interface ConfUser {
  userVar: string;
  passwordVar: string;
  /** Name of its permission set in config/permissions.conf; none: every right in its account. */
  permissions?: string;
}

export interface ConfAccount {
  name: string;
  jetstream: boolean;
  users: ConfUser[];
  /** The variable (config/links.conf) holding the account's exports, and its imports. */
  exports?: string;
  imports?: string;
}

/** An export or import as written in config/links.conf (the nats-server config form). */
interface ConfLink {
  stream?: string | { account: string; subject: string };
  service?: string | { account: string; subject: string };
  to?: string;
  response?: string;
}

export interface ConfAccounts {
  systemAccount: string;
  accounts: ConfAccount[];
  /** Files the part includes (config/permissions.conf), absolute. */
  includes: string[];
}

export interface GenerateOptions {
  /** The settings (scripts/operator.sh loads .env into the environment). Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** The password-mode config to derive from. Default: config/nats-server.conf. */
  baseConfig?: string;
  /** Replace every key (operator, accounts, users) instead of keeping the stored ones. */
  rotate?: boolean;
  /** User JWT expiry, seconds since the epoch (tests); default: none. */
  userExpires?: number;
}

export interface GenerateResult {
  /** The operator-mode server config written. */
  config: string;
  credsDir: string;
  keysDir: string;
  operator: { name: string; publicKey: string; jwt: string };
  systemAccount: string;
  accounts: Record<string, { publicKey: string; jwt: string; jetstream: boolean }>;
  users: Record<string, { account: string; publicKey: string; creds: string; permissions?: string }>;
  /** Key files made by this run (the others were kept). */
  created: string[];
}

// Limits of every account: without them an account JWT refuses every connection.
const ACCOUNT_LIMITS: OperatorLimits = { conn: -1, subs: -1, data: -1, payload: -1, imports: -1, exports: -1, leaf: -1, wildcards: true };
const JETSTREAM_LIMITS: OperatorLimits = { mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1 };
// nats-server's defaults for `allow_responses: true`.
const RESPONSE_MAX_MSGS = 1;
const RESPONSE_EXPIRES_NS = 2 * 60 * 1e9;

/** `text` without `#` and `//` comments (outside double-quoted strings). */
function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * Reads config/permissions.conf: JSON plus `#` comments and unquoted `$NAME` environment
 * references (which nats-server expands too). Returns the permission sets by name.
 */
export function readPermissions(file: string, env: NodeJS.ProcessEnv = process.env): Record<string, ConfPermissions> {
  const text = stripComments(readFileSync(file, 'utf8'));
  let json = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      json += c;
      if (c === '\\') json += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      json += c;
    } else if (c === '$') {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
      if (!name) throw new Error(`${file}: a $ that names no variable`);
      const value = env[name];
      if (value === undefined || value === '') throw new Error(`${file}: $${name} is not set in the environment`);
      json += JSON.stringify(value);
      i += name.length;
    } else {
      json += c;
    }
  }
  try {
    return JSON.parse(json) as Record<string, ConfPermissions>;
  } catch (err) {
    throw new Error(`${file}: not JSON after removing comments (${(err as Error).message})`, { cause: err });
  }
}

/** The part of the config between the BEGIN and END lines (inclusive), with its offsets. */
function markedPart(text: string, file: string): { start: number; end: number } {
  const b = BEGIN.exec(text);
  const e = END.exec(text);
  if (!b || !e || e.index < b.index) throw new Error(`${file}: no "# BEGIN password-mode accounts" … "# END password-mode accounts" part`);
  return { start: b.index, end: e.index + e[0].length };
}

/** The contents of the `{ … }` that opens at `open` (an index of `{`), and the index after it. */
function block(text: string, open: number): { body: string; after: number } {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return { body: text.slice(open + 1, i), after: i + 1 };
  }
  throw new Error('unbalanced braces in the accounts block');
}

/** Reads the accounts, users and permission-set names of the password-mode config. */
export function readAccounts(file: string = BASE_CONFIG): ConfAccounts {
  const raw = readFileSync(file, 'utf8');
  const { start, end } = markedPart(raw, file);
  const part = stripComments(raw.slice(start, end));
  const includes = [...part.matchAll(/^\s*include\s+["']?([^"'\s;]+)["']?/gm)].map((m) => resolve(dirname(file), m[1]!));
  const systemAccount = /^\s*system_account\s*[:=]?\s*"?([A-Za-z0-9_-]+)"?/m.exec(part)?.[1];
  if (!systemAccount) throw new Error(`${file}: no system_account in the accounts part`);
  const acc = /^\s*accounts\s*[:=]?\s*\{/m.exec(part);
  if (!acc) throw new Error(`${file}: no accounts block`);
  const { body } = block(part, acc.index + acc[0].length - 1);
  const accounts: ConfAccount[] = [];
  const header = /([A-Za-z0-9_-]+)\s*[:=]?\s*\{/g;
  for (let m = header.exec(body); m; m = header.exec(body)) {
    const { body: accBody, after } = block(body, m.index + m[0].length - 1);
    header.lastIndex = after;
    const users: ConfUser[] = [];
    for (const u of accBody.matchAll(/\{([^{}]*)\}/g)) {
      const entry = u[1]!;
      const userVar = /\buser\s*[:=]\s*\$([A-Za-z_][A-Za-z0-9_]*)/.exec(entry)?.[1];
      const passwordVar = /\bpassword\s*[:=]\s*\$([A-Za-z_][A-Za-z0-9_]*)/.exec(entry)?.[1];
      const permissions = /\bpermissions\s*[:=]\s*\$([A-Za-z_][A-Za-z0-9_]*)/.exec(entry)?.[1];
      if (!userVar || !passwordVar || (/\bpermissions\b/.test(entry) && !permissions)) {
        throw new Error(`${file}: account ${m[1]}: write each user as { user: $VAR, password: $VAR[, permissions: $SET] } on one line, not: {${entry.trim()}}`);
      }
      users.push({ userVar, passwordVar, ...(permissions ? { permissions } : {}) });
    }
    const exportsVar = /\bexports\s*[:=]\s*\$([A-Za-z_][A-Za-z0-9_]*)/.exec(accBody)?.[1];
    const importsVar = /\bimports\s*[:=]\s*\$([A-Za-z_][A-Za-z0-9_]*)/.exec(accBody)?.[1];
    if (/\b(exports|imports)\s*[:=]\s*\[/.test(accBody)) {
      throw new Error(`${file}: account ${m[1]}: write exports and imports as a variable of config/links.conf (exports: $NAME), not inline`);
    }
    accounts.push({
      name: m[1]!,
      jetstream: /\bjetstream\s*[:=]?\s*(enabled|true|\{)/.test(accBody),
      users,
      ...(exportsVar ? { exports: exportsVar } : {}),
      ...(importsVar ? { imports: importsVar } : {}),
    });
  }
  if (!accounts.some((a) => a.name === systemAccount)) throw new Error(`${file}: the system account ${systemAccount} is not among the accounts`);
  return { systemAccount, accounts, includes };
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new Error(`allow_responses.expires: not a duration: ${text} (e.g. 30s, 2m)`);
  const unit = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }[m[2] as 'ns'];
  return Math.round(Number(m[1]) * unit);
}

function linkList(sets: Record<string, unknown>, name: string): ConfLink[] {
  const v = sets[name];
  if (!Array.isArray(v)) throw new Error(`$${name} (exports or imports) is not a list in config/links.conf`);
  return v as ConfLink[];
}

/** Exports in the config form (`{stream: "subj"}`, `{service: "subj", response: "stream"}`) as account JWT exports. */
export function jwtExports(links: ConfLink[]): Export[] {
  return links.map((l) => {
    const type = l.stream !== undefined ? 'stream' : 'service';
    const subject = String(type === 'stream' ? l.stream : l.service);
    const response = l.response ? { response_type: (l.response[0]!.toUpperCase() + l.response.slice(1)) as Export['response_type'] } : {};
    return { name: subject, subject, type, ...response };
  });
}

/** Imports in the config form (`{stream: {account, subject}, to}`) as account JWT imports; accounts by name → key. */
export function jwtImports(links: ConfLink[], keyOf: (account: string) => string | undefined): Import[] {
  return links.map((l) => {
    const type = l.stream !== undefined ? 'stream' : 'service';
    const from = (type === 'stream' ? l.stream : l.service) as { account: string; subject: string };
    const account = keyOf(from.account);
    if (!account) throw new Error(`an import names account ${from.account}, which is not in the accounts block`);
    return { name: `${from.account} ${from.subject}`, subject: from.subject, account, type, ...(l.to ? { local_subject: l.to } : {}) };
  });
}

/** A config permission set as user JWT permissions (`pub`, `sub`, `resp`). */
export function toJwtPermissions(p: ConfPermissions): Partial<Permissions> {
  const side = (s: ConfPermissions['publish']) => {
    if (s === undefined) return undefined;
    if (typeof s === 'string' || Array.isArray(s)) return { allow: list(s), deny: [] };
    return { allow: list(s.allow), deny: list(s.deny) };
  };
  const out: Partial<Permissions> = {};
  const pub = side(p.publish);
  const sub = side(p.subscribe);
  if (pub) out.pub = pub;
  if (sub) out.sub = sub;
  const r = p.allow_responses;
  if (r === true) out.resp = { max: RESPONSE_MAX_MSGS, ttl: RESPONSE_EXPIRES_NS };
  else if (r && typeof r === 'object') {
    out.resp = { max: r.max ?? RESPONSE_MAX_MSGS, ttl: r.expires ? parseDuration(r.expires) : RESPONSE_EXPIRES_NS };
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Writes a private file atomically (0600). */
function writePrivate(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** Writes a private file unless it already holds `text`; either way it ends up 0600. */
function writeIfChanged(file: string, text: string, before: string | undefined): void {
  if (text === before) chmodSync(file, 0o600);
  else writePrivate(file, text);
}

function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** The stored key `name` (seed file), or a new one from `make`. */
function key(keysDir: string, name: string, prefix: 'SO' | 'SA' | 'SU', make: () => KeyPair, rotate: boolean, created: string[]): KeyPair {
  const file = join(keysDir, `${name}.nk`);
  if (!rotate && existsSync(file)) {
    const seed = readFileSync(file, 'utf8').trim();
    if (!seed.startsWith(prefix)) throw new Error(`${file} does not hold a ${prefix}… seed; move it away or use --rotate`);
    return fromSeed(encoder.encode(seed));
  }
  const kp = make();
  writePrivate(file, `${decoder.decode(kp.getSeed())}\n`);
  created.push(file);
  return kp;
}

/** The claims of a JWT without the parts that change on every signing (iat, jti). */
function claims(jwt: string): string | undefined {
  try {
    const body = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    delete body.iat;
    delete body.jti;
    const canonical = (v: unknown): unknown =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : Array.isArray(v)
          ? v.map(canonical)
          : v;
    return JSON.stringify(canonical(body));
  } catch {
    return undefined;
  }
}

/**
 * `fresh`, or `previous` when it says the same (same keys, names, limits, permissions): re-running
 * leaves the files byte for byte as they were, so a reload changes nothing that did not change.
 */
function stable(fresh: string, previous: string | undefined): string {
  return previous && claims(previous) !== undefined && claims(previous) === claims(fresh) ? previous : fresh;
}

function readIf(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The JWTs of the last generated config: the operator's and the accounts' by public key. */
function previousJwts(config: string): { operator?: string; accounts: Map<string, string> } {
  const text = readIf(config) ?? '';
  const operator = /^operator:\s*"([^"]+)"/m.exec(text)?.[1];
  const accounts = new Map([...text.matchAll(/^\s*(A[A-Z2-7]{55}):\s*"([^"]+)"/gm)].map((m) => [m[1]!, m[2]!]));
  return { operator, accounts };
}

function settingPath(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const v = env[name] || fallback;
  return isAbsolute(v) ? v : resolve(ROOT, v);
}

/** The config of `base` with its password-mode part replaced by `replacement`. */
export function replaceAccountsPart(base: string, replacement: string, file = BASE_CONFIG): string {
  const { start, end } = markedPart(base, file);
  return base.slice(0, start) + replacement + base.slice(end);
}

/** Creates or refreshes everything operator mode needs; see the top of this file. */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const env = { ...(options.env ?? process.env) };
  const baseConfig = options.baseConfig ?? BASE_CONFIG;
  const rotate = options.rotate ?? false;
  for (const [k, v] of Object.entries(derivedSettings(env))) env[k] ||= v;
  const operatorDir = settingPath(env, 'NATS_OPERATOR_DIR', './data/operator');
  const credsDir = settingPath(env, 'NATS_CREDS_DIR', './data/creds');
  const keysDir = join(operatorDir, 'keys');
  const operatorName = env.NATS_OPERATOR_NAME || 'nunect';

  const conf = readAccounts(baseConfig);
  const sets: Record<string, ConfPermissions> = {};
  for (const inc of conf.includes) Object.assign(sets, readPermissions(inc, env));
  const userName = (v: string) => {
    const name = env[v];
    if (!name) throw new Error(`${v} is not set (run through scripts/operator.sh, which loads .env)`);
    if (!/^[A-Za-z0-9_.@-]+$/.test(name)) throw new Error(`${v}=${name}: use letters, digits and . _ @ - only`);
    return name;
  };

  privateDir(operatorDir);
  privateDir(keysDir);
  privateDir(credsDir);
  const created: string[] = [];
  const okp = key(keysDir, 'operator', 'SO', createOperator, rotate, created);
  const accountKeys = new Map(conf.accounts.map((a) => [a.name, key(keysDir, `account-${a.name}`, 'SA', createAccount, rotate, created)]));
  const sysPub = accountKeys.get(conf.systemAccount)!.getPublicKey();
  const configFile = join(operatorDir, 'nats-server.conf');
  const previous = previousJwts(configFile);
  const operatorJwt = stable(await encodeOperator(operatorName, okp, { system_account: sysPub }), previous.operator);

  const result: GenerateResult = {
    config: configFile,
    credsDir,
    keysDir,
    operator: { name: operatorName, publicKey: okp.getPublicKey(), jwt: operatorJwt },
    systemAccount: sysPub,
    accounts: {},
    users: {},
    created,
  };
  const seen = new Set<string>();
  for (const account of conf.accounts) {
    const akp = accountKeys.get(account.name)!;
    const limits = account.jetstream && account.name !== conf.systemAccount ? { ...ACCOUNT_LIMITS, ...JETSTREAM_LIMITS } : ACCOUNT_LIMITS;
    const links = {
      ...(account.exports ? { exports: jwtExports(linkList(sets, account.exports)) } : {}),
      ...(account.imports ? { imports: jwtImports(linkList(sets, account.imports), (name) => accountKeys.get(name)?.getPublicKey()) } : {}),
    };
    const jwt = stable(await encodeAccount(account.name, akp, { limits, ...links }, { signer: okp }), previous.accounts.get(akp.getPublicKey()));
    result.accounts[account.name] = { publicKey: akp.getPublicKey(), jwt, jetstream: account.jetstream };
    for (const u of account.users) {
      const name = userName(u.userVar);
      if (seen.has(name)) throw new Error(`user ${name} appears twice (${u.userVar})`);
      seen.add(name);
      let permissions: Partial<Permissions> = {};
      if (u.permissions) {
        const set = sets[u.permissions];
        if (!set) throw new Error(`permission set ${u.permissions} (user ${name}) is not in ${conf.includes.join(', ')}`);
        permissions = toJwtPermissions(set);
      }
      const ukp = key(keysDir, `user-${name}`, 'SU', createUser, rotate, created);
      const creds = join(credsDir, `${name}.creds`);
      const before = readIf(creds);
      const fresh = await encodeUser(name, ukp, akp, permissions, options.userExpires ? { exp: options.userExpires } : {});
      const jwt = stable(fresh, /-----BEGIN NATS USER JWT-----\s*(\S+)/.exec(before ?? '')?.[1]);
      const text = decoder.decode(fmtCreds(jwt, ukp));
      writeIfChanged(creds, text, before);
      result.users[name] = { account: account.name, publicKey: ukp.getPublicKey(), creds, ...(u.permissions ? { permissions: u.permissions } : {}) };
    }
  }

  const names = Object.entries(result.accounts)
    .map(([n, a]) => `${n}=${a.publicKey}`)
    .join(', ');
  const part = [
    '# Operator mode, generated by scripts/operator.ts from the password-mode accounts of',
    '# config/nats-server.conf and config/permissions.conf. Do not edit: run `npm run operator`.',
    `# Operator ${operatorName} ${okp.getPublicKey()}; accounts ${names}.`,
    `operator: "${operatorJwt}"`,
    `system_account: ${sysPub}`,
    'resolver: MEMORY',
    'resolver_preload: {',
    ...Object.entries(result.accounts).map(([n, a]) => `  # ${n}\n  ${a.publicKey}: "${a.jwt}"`),
    '}',
  ].join('\n');
  const base = readFileSync(baseConfig, 'utf8');
  const header = `# GENERATED by scripts/operator.ts from ${baseConfig} — do not edit; run \`npm run operator\`.\n`;
  const config = header + replaceAccountsPart(base, part, baseConfig);
  writeIfChanged(result.config, config, readIf(result.config));
  return result;
}

function summary(r: GenerateResult): string {
  const rows = Object.entries(r.users).map(([n, u]) => `    ${n.padEnd(20)} ${u.account.padEnd(10)} ${u.permissions ?? 'every right in the account'}`);
  return [
    `Operator mode: operator ${r.operator.name} (${r.operator.publicKey})`,
    `  Server config: ${r.config}`,
    `  Accounts:      ${Object.entries(r.accounts)
      .map(([n, a]) => `${n}${a.publicKey === r.systemAccount ? ' (system)' : ''} ${a.publicKey}`)
      .join('\n                 ')}`,
    `  Credentials:   ${r.credsDir}/<user>.creds (private)`,
    ...rows,
    `  Keys:          ${r.keysDir} (private; ${r.created.length ? `${r.created.length} new` : 'all kept; --rotate replaces them'})`,
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const args = new Set(argv);
  if (args.has('-h') || args.has('--help')) {
    console.log('Usage: npm run operator [-- --rotate] [-- --quiet]   (bash scripts/operator.sh [--rotate] [--quiet])');
    return;
  }
  for (const a of args) if (!['--rotate', '--quiet'].includes(a)) throw new Error(`unknown option ${a} (use --rotate, --quiet)`);
  const r = await generate({ rotate: args.has('--rotate') });
  if (!args.has('--quiet')) console.log(summary(r));
  else if (r.created.length) console.error(`nunect: operator mode: made ${r.created.length} new key(s) in ${r.keysDir}; credentials in ${r.credsDir}`);
  if (args.has('--rotate'))
    console.error('nunect: every key was replaced: restart nats-server (a reload keeps the old operator) and hand out the new .creds files');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`operator.ts: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
