import argon2 from 'argon2';
import { ConcurrencyLimiter } from './concurrency-limiter.js';

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Whether `password` matches `hash`; a malformed hash is a mismatch, never an exception. */
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the same work as a real verification, so an unknown account answers as slowly as a known one. */
  verifyAgainstDummy(password: string): Promise<void>;
  needsRehash(hash: string): boolean;
}

export async function createPasswordHasher(options: { concurrency: number; queueLimit: number }): Promise<PasswordHasher> {
  const limiter = new ConcurrencyLimiter(options.concurrency, options.queueLimit);
  const dummyHash = await argon2.hash('meridian-dummy-password', ARGON2_OPTIONS);
  const verify = (hash: string, password: string) =>
    limiter.run(async () => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    });
  return {
    hash: (password) => limiter.run(() => argon2.hash(password, ARGON2_OPTIONS)),
    verify,
    verifyAgainstDummy: async (password) => {
      await verify(dummyHash, password);
    },
    needsRehash: (hash) => argon2.needsRehash(hash, ARGON2_OPTIONS),
  };
}
