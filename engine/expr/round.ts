/**
 * `round(x, digits)` exactly as CPython 3's `round(float, n)`: round half to even on the
 * exact binary value of x (so round(2.675, 2) is 2.67, since 2.675 is stored as
 * 2.67499999...), then the nearest double to the decimal result. Exact BigInt arithmetic:
 * x = mantissa * 2^exponent, scaled by 10^digits, split into quotient and remainder.
 */
const view = new DataView(new ArrayBuffer(8));

/** x = m * 2^e exactly, for a finite x. */
function decompose(x: number): { m: bigint; e: number } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const sign = hi >>> 31 === 1 ? -1n : 1n;
  if (biased === 0) return { m: sign * frac, e: -1074 };
  return { m: sign * (frac | (1n << 52n)), e: biased - 1075 };
}

function pow(base: bigint, n: number): bigint {
  return base ** BigInt(n);
}

export function pyRound(x: number, digits = 0): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (digits > 330) return x;
  if (digits < -330) return 0 * Math.sign(x);
  const { m, e } = decompose(x);
  // y = x * 10^digits = num / den, exactly.
  let num = m;
  let den = 1n;
  if (e >= 0) num *= pow(2n, e);
  else den *= pow(2n, -e);
  if (digits >= 0) num *= pow(10n, digits);
  else den *= pow(10n, -digits);
  const negative = num < 0n;
  if (negative) num = -num;
  let q = num / den;
  const twice = 2n * (num - q * den);
  if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  const text = `${negative ? '-' : ''}${q}e${-digits}`;
  const result = Number(text);
  return result === 0 && negative ? -0 : result;
}
