/**
 * Where the Redis is and how to reach it: the URL (redis://, or rediss:// for TLS) from the caller or the
 * environment, credentials from the URL or the environment (so that they need not appear in a process list), and a
 * connection that reconnects with backoff. Secrets never reach what sigmatch prints: `displayUrl` has no
 * credentials, and `scrub` hides them in any message (a client's error may quote what it was given).
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  createClient,
  DisconnectsClientError,
  ErrorReply,
  RESP_TYPES,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  type RedisArgument,
} from '@redis/client';

/** Environment variables read when the caller gives no URL or credentials. */
export const REDIS_ENV = {
  url: 'SIGMATCH_REDIS_URL',
  username: 'SIGMATCH_REDIS_USERNAME',
  password: 'SIGMATCH_REDIS_PASSWORD',
  /** A PEM file of the certificate authority a rediss:// server's certificate must chain to. */
  ca: 'SIGMATCH_REDIS_CA',
} as const;

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const DEFAULT_PORT = 6379;
const MAX_DATABASE = 1 << 16;

/** Reconnection waits double from the base up to the cap, with jitter so that many consumers do not return at once. */
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 5000;
const CONNECT_TIMEOUT_MS = 5000;

export interface RedisTarget {
  host: string;
  port: number;
  database: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** PEM text of the CA for TLS (the system's CAs otherwise). */
  ca?: string;
}

/** A configuration the consumer cannot start with (a bad URL, an unreadable CA file). */
export class RedisConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Resolve the target from a URL (or SIGMATCH_REDIS_URL, or the default) and the environment's credentials. */
export function resolveTarget(url: string | undefined, env: Env = {}): RedisTarget {
  const text = url ?? env[REDIS_ENV.url] ?? DEFAULT_REDIS_URL;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    // The text may hold a password: say what is wrong without quoting it.
    throw new RedisConfigError('the Redis URL is not a URL (expected redis://[user:password@]host[:port][/db] or rediss://...)');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new RedisConfigError(`the Redis URL must start with redis:// or rediss:// (TLS), not ${parsed.protocol}//`);
  }
  const path = parsed.pathname.replace(/^\//, '');
  const database = path === '' ? 0 : Number(path);
  if (!/^\d*$/.test(path) || !Number.isInteger(database) || database >= MAX_DATABASE) {
    throw new RedisConfigError(`the Redis URL's path must be a database number (/0, /1, ...), not /${path}`);
  }
  const target: RedisTarget = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: parsed.port === '' ? DEFAULT_PORT : Number(parsed.port),
    database,
    tls: parsed.protocol === 'rediss:',
  };
  const username = parsed.username !== '' ? decodeURIComponent(parsed.username) : env[REDIS_ENV.username];
  const password = parsed.password !== '' ? decodeURIComponent(parsed.password) : env[REDIS_ENV.password];
  if (username) target.username = username;
  if (password) target.password = password;
  const caFile = env[REDIS_ENV.ca];
  if (caFile) {
    if (!target.tls) throw new RedisConfigError(`${REDIS_ENV.ca} is set but the URL is not rediss:// (TLS)`);
    try {
      target.ca = readFileSync(caFile, 'utf8');
    } catch (e) {
      throw new RedisConfigError(`cannot read the CA file named by ${REDIS_ENV.ca}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return target;
}

/** The target as it may be printed: scheme, host, port and database, never credentials. */
export function displayUrl(target: RedisTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.tls ? 'rediss' : 'redis'}://${host}:${target.port}/${target.database}${target.password ? ' (with password)' : ''}`;
}

/** Hide the target's secrets (as given and as a URL would encode them) in a message. */
export function scrub(target: RedisTarget, message: string): string {
  let out = message;
  for (const secret of [target.password, target.username]) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

/** A reply from the server (an error it sent), as opposed to a failure to reach it. */
export function isServerError(e: unknown): e is Error {
  return e instanceof ErrorReply;
}

/** The code a server error starts with (NOGROUP, LOADING, NOSCRIPT, ...). */
export function serverErrorCode(e: unknown): string | null {
  return isServerError(e) ? (/^[A-Z]+/.exec(e.message)?.[0] ?? null) : null;
}

/** Server errors that go away by themselves: retry after a wait. */
const TRANSIENT_SERVER_ERRORS = new Set(['LOADING', 'BUSY', 'TRYAGAIN', 'MASTERDOWN', 'CLUSTERDOWN']);

export function isTransientServerError(e: unknown): boolean {
  const code = serverErrorCode(e);
  return code !== null && TRANSIENT_SERVER_ERRORS.has(code);
}

/** Failures to reach the server or to hear back from it (the command may or may not have run). */
const CONNECTION_ERRORS = [SocketClosedUnexpectedlyError, ClientOfflineError, ConnectionTimeoutError, SocketTimeoutError, ClientClosedError, DisconnectsClientError];
const SOCKET_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

export function isConnectionError(e: unknown): boolean {
  if (CONNECTION_ERRORS.some((c) => e instanceof c)) return true;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && SOCKET_ERROR_CODES.has(code);
}

export function backoffMs(attempt: number): number {
  const cap = Math.min(BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16), BACKOFF_MAX_MS);
  return Math.round(cap / 2 + (Math.random() * cap) / 2);
}

/** One argument of a command: text or bytes. */
export type Argument = RedisArgument;

/**
 * One connection. Commands fail at once while it is down (no offline queue: the caller decides what to redo, after
 * `waitReady`); the client reconnects by itself with backoff, unless retrying cannot help (refused credentials, an
 * untrusted certificate). Bulk strings arrive as Buffers (events are bytes; the scanner takes them as they are).
 */
export class RedisLink {
  /** Connections lost and regained. */
  reconnects = 0;
  private closed = false;
  private fatal: Error | null = null;

  private constructor(
    private readonly client: ReturnType<typeof createBufferClient>,
    readonly target: RedisTarget,
  ) {}

  /**
   * Connect, waiting with backoff while the server cannot be reached; `once` gives up at the first failure instead
   * (a one-off query such as `consume --status`).
   */
  static async open(target: RedisTarget, log: (line: string) => void, name?: string, once = false): Promise<RedisLink> {
    let link: RedisLink | null = null;
    let lastLogged = '';
    const client = createBufferClient(target, name, (attempt, cause) => {
      if (once) return cause;
      // Only an unreachable server, or one still loading its data, may come back; refused credentials, a refused
      // database or an untrusted certificate will not.
      if (!isConnectionError(cause) && !isTransientServerError(cause)) return cause;
      const wait = backoffMs(attempt);
      const message = scrub(target, cause.message);
      if (message !== lastLogged) log(`sigmatch: cannot reach ${displayUrl(target)}: ${message}; retrying with backoff`);
      lastLogged = message;
      return wait;
    });
    client.on('error', () => {
      // Every failure is also the rejection of a command or of connect(), which is where it is handled.
    });
    client.on('ready', () => {
      if (link && lastLogged !== '') {
        link.reconnects++;
        log(`sigmatch: reconnected to ${displayUrl(target)}`);
      }
      lastLogged = '';
    });
    client.on('terminated', (cause: unknown) => {
      if (link) link.fatal = cause instanceof Error ? cause : new Error(String(cause));
    });
    try {
      await client.connect();
    } catch (e) {
      client.destroy();
      throw new Error(scrub(target, `cannot connect to ${displayUrl(target)}: ${(e as Error).message}`));
    }
    link = new RedisLink(client, target);
    return link;
  }

  get ready(): boolean {
    return this.client.isReady;
  }

  call<T = unknown>(args: readonly Argument[]): Promise<T> {
    return this.client.sendCommand(args) as Promise<T>;
  }

  /** Several commands in one round trip (pipelined, not a transaction): each reply or error in order. */
  async pipeline(commands: readonly (readonly Argument[])[]): Promise<PromiseSettledResult<unknown>[]> {
    return Promise.allSettled(commands.map((c) => this.client.sendCommand(c)));
  }

  /** Wait until the connection is back (or the client gave up, or `isStopped` says to stop waiting). */
  async waitReady(isStopped: () => boolean): Promise<boolean> {
    let attempt = 0;
    while (!this.client.isReady) {
      if (this.fatal) throw new Error(scrub(this.target, `the connection to ${displayUrl(this.target)} was given up: ${this.fatal.message}`));
      if (this.closed || isStopped()) return false;
      await new Promise((r) => setTimeout(r, Math.min(backoffMs(attempt++), BACKOFF_BASE_MS)));
    }
    return true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.client.isReady) await this.client.close();
      else this.client.destroy();
    } catch {
      this.client.destroy();
    }
  }
}

function createBufferClient(target: RedisTarget, name: string | undefined, reconnect: (attempt: number, cause: Error) => number | Error) {
  const socket = target.tls
    ? {
        host: target.host,
        port: target.port,
        tls: true as const,
        // SNI names a host, never an address (RFC 6066); the certificate is still checked against the address.
        ...(isIP(target.host) ? {} : { servername: target.host }),
        ...(target.ca ? { ca: target.ca } : {}),
        connectTimeout: CONNECT_TIMEOUT_MS,
        reconnectStrategy: reconnect,
      }
    : { host: target.host, port: target.port, connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnect };
  return createClient({
    socket,
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    database: target.database,
    // CLIENT SETNAME takes no spaces: the name only helps an operator's CLIENT LIST.
    ...(name ? { name: `sigmatch:${name}`.replace(/[^\w.:-]/g, '_') } : {}),
    RESP: 2,
    disableOfflineQueue: true,
    commandOptions: { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } },
  });
}
