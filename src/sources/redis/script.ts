/**
 * A Lua script run by its digest (EVALSHA), its body sent only when the server does not have it cached: a server
 * restarted or SCRIPT FLUSHed has lost its cache, and the first call after that caches the body again.
 */
import { createHash } from 'node:crypto';
import { serverErrorCode, type Argument, type RedisLink } from './connection.js';

export class Script {
  private readonly digest: string;

  constructor(private readonly body: string) {
    this.digest = createHash('sha1').update(body).digest('hex');
  }

  async run(link: RedisLink, keys: readonly Argument[], args: readonly Argument[]): Promise<unknown> {
    const call = (verb: 'EVALSHA' | 'EVAL', script: string): Promise<unknown> => link.call([verb, script, String(keys.length), ...keys, ...args]);
    try {
      return await call('EVALSHA', this.digest);
    } catch (e) {
      if (serverErrorCode(e) !== 'NOSCRIPT') throw e;
      return call('EVAL', this.body);
    }
  }
}
