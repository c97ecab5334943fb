import { randomFillSync } from 'node:crypto';
import type { Ids } from '../engine/ports/ids.ts';

/** Lowercase Crockford base32: no i, l, o, u, so ids read back unambiguously. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 12;
/** Random bytes drawn from the CSPRNG at a time: one call serves ~340 ids instead of one each. */
const POOL_BYTES = 4096;

/** Production ids: the prefix and 12 random base32 characters (60 bits), for example `run_7k2m9q4xz0ad`. */
export class RandomIds implements Ids {
  readonly #pool = Buffer.alloc(POOL_BYTES);
  #offset = POOL_BYTES;

  next(prefix: string): string {
    if (this.#offset + LENGTH > POOL_BYTES) {
      randomFillSync(this.#pool);
      this.#offset = 0;
    }
    let id = prefix;
    // 256 is a multiple of 32, so taking each byte modulo 32 carries no bias.
    for (let i = this.#offset; i < this.#offset + LENGTH; i++) id += ALPHABET[this.#pool[i]! % 32];
    this.#offset += LENGTH;
    return id;
  }
}
