import { randomBytes } from 'node:crypto';
import type { Ids } from '../engine/ports/ids.ts';

/** Lowercase Crockford base32: no i, l, o, u, so ids read back unambiguously. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 12;

/** Production ids: the prefix and 12 random base32 characters (60 bits), for example `run_7k2m9q4xz0ad`. */
export class RandomIds implements Ids {
  next(prefix: string): string {
    const bytes = randomBytes(LENGTH);
    let id = prefix;
    // 256 is a multiple of 32, so taking each byte modulo 32 carries no bias.
    for (const b of bytes) id += ALPHABET[b % 32];
    return id;
  }
}
