// bloomfilter ships no typings; this is the part of its API Meridian uses.
declare module 'bloomfilter' {
  export class BloomFilter {
    /** `bits` bits (rounded up to a multiple of 32), `hashes` hash functions. */
    constructor(bits: number, hashes: number);
    add(value: string): void;
    test(value: string): boolean;
  }
}
