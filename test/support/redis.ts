/**
 * A real redis-server for the consumer tests (never a mock): started on a free loopback port with a temporary
 * directory, stopped (or killed and restarted on the same port and data) at will. The tests skip, saying so, when
 * the Debian package is not installed (.ci/run installs it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@redis/client';

export const REDIS_SERVER = '/usr/bin/redis-server';
export const hasRedis = existsSync(REDIS_SERVER);
export const REDIS_SKIP_MESSAGE = `Redis consumer tests skipped: ${REDIS_SERVER} is absent (apt-get install -y redis-server; .ci/run does)`;

const READY_LINE = /Ready to accept connections/;
const START_TIMEOUT_MS = 10_000;

export interface RedisOptions {
  /** Append-only file with an fsync before every reply: a SIGKILL loses nothing acknowledged. */
  aof?: boolean;
  password?: string;
  /** TLS only (no plain port): certificate, key and CA files. */
  tls?: { cert: string; key: string; ca: string };
}

/** A free TCP port on the loopback interface (the OS picks one; it is released for redis-server to take). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export class RedisServer {
  private process: ChildProcess | null = null;
  private log = '';

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly options: RedisOptions,
  ) {}

  static async start(options: RedisOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'sigmatch-redis-')), options);
    await server.launch();
    return server;
  }

  /** The running server's process id. */
  get pid(): number {
    if (!this.process?.pid) throw new Error('redis-server is not running');
    return this.process.pid;
  }

  get url(): string {
    return `${this.options.tls ? 'rediss' : 'redis'}://127.0.0.1:${this.port}`;
  }

  /** (Re)start redis-server on this port and directory; resolves once it accepts connections (AOF loaded). */
  async launch(): Promise<void> {
    const args = ['--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--daemonize', 'no', '--logfile', '', '--protected-mode', 'no'];
    args.push(...(this.options.aof ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
    if (this.options.password) args.push('--requirepass', this.options.password);
    if (this.options.tls) {
      const { cert, key, ca } = this.options.tls;
      args.push('--port', '0', '--tls-port', String(this.port), '--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', ca, '--tls-auth-clients', 'no');
    } else args.push('--port', String(this.port));
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    this.log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms:\n${this.log}`)), START_TIMEOUT_MS);
      const onData = (chunk: Buffer): void => {
        this.log += chunk.toString();
        if (READY_LINE.test(this.log)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${this.log}`));
      });
    });
  }

  /** Kill the server (SIGKILL by default: no chance to save anything beyond what it already fsynced). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
    this.process = null;
  }

  async stop(): Promise<void> {
    await this.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A client for the test's own commands (strings in, strings out). */
  async client(): Promise<TestClient> {
    const client = createClient({
      socket: this.options.tls
        ? { host: '127.0.0.1', port: this.port, tls: true, ca: readText(this.options.tls.ca), reconnectStrategy: false }
        : { host: '127.0.0.1', port: this.port, reconnectStrategy: false },
      ...(this.options.password ? { password: this.options.password } : {}),
      RESP: 2,
    });
    client.on('error', () => {});
    await client.connect();
    return {
      call: <T = unknown>(...args: (string | number)[]) => client.sendCommand(args.map(String)) as Promise<T>,
      close: async () => {
        client.destroy();
      },
    };
  }
}

export interface TestClient {
  call<T = unknown>(...args: (string | number)[]): Promise<T>;
  close(): Promise<void>;
}

function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

const MAIN = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist/cli/main.js');

/** A `sigmatch consume` process (the built CLI), its output collected. */
export class ConsumerProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(args: readonly string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [MAIN, 'consume', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
    this.child.stdout!.on('data', (c: Buffer) => (this.stdout += c.toString()));
    this.child.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** The JSON lines --metrics printed (status and final). */
  metrics(): Record<string, any>[] {
    return this.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  }

  /** Ask for a status (SIGUSR1) and wait for its --metrics line. */
  async snapshot(): Promise<Record<string, any>> {
    const before = this.metrics().length;
    this.signal('SIGUSR1');
    while (this.metrics().length === before) await new Promise((r) => setTimeout(r, 2));
    return this.metrics()[before];
  }

  /** The final --metrics line (after a stop). */
  final(): Record<string, any> {
    const last = this.metrics().filter((m) => m.type === 'final');
    if (last.length !== 1) throw new Error(`expected one final metrics line, got ${last.length}; stderr:\n${this.stderr}`);
    return last[0];
  }

  /** Stop with SIGTERM and wait for the exit. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.signal('SIGTERM');
    return this.exited;
  }
}

/** XADD many entries in pipelined chunks; returns their ids in order. */
export async function addEntries(client: TestClient, stream: string, entries: readonly (readonly string[])[]): Promise<string[]> {
  const ids: string[] = [];
  const CHUNK = 500;
  for (let i = 0; i < entries.length; i += CHUNK) {
    ids.push(...(await Promise.all(entries.slice(i, i + CHUNK).map((fields) => client.call<string>('XADD', stream, '*', ...fields)))));
  }
  return ids;
}

/** A stream's entries as {id, fields} with fields as an object (last value of a repeated name). */
export async function readStream(client: TestClient, stream: string): Promise<{ id: string; fields: Record<string, string> }[]> {
  const rows = await client.call<[string, string[]][]>('XRANGE', stream, '-', '+');
  return rows.map(([id, flat]) => {
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
    return { id, fields };
  });
}

/** XINFO-style flat pairs into an object. */
export function pairs(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

export async function groupInfo(client: TestClient, stream: string, group: string): Promise<Record<string, unknown> | undefined> {
  const groups = await client.call<unknown[][]>('XINFO', 'GROUPS', stream);
  return groups.map(pairs).find((g) => g.name === group);
}

/** Poll until `check` returns true (or fail after the timeout, saying what was awaited and, if given, what was seen). */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 60_000,
  everyMs = 20,
  seen?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${seen ? `\n${seen()}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
