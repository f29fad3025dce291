import argon2 from 'argon2';

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** How many jobs the hashing process computes at once (set by the service from PASSWORD_HASH_CONCURRENCY). */
export const HASHING_CONCURRENCY_ENV = 'MERIDIAN_HASHING_CONCURRENCY';

/** A job for the hashing process. */
export type HashJob = { id: number; op: 'hash'; password: string } | { id: number; op: 'verify'; hash: string; password: string };

export type HashJobResult = { id: number; ok: true; value: string | boolean } | { id: number; ok: false; error: string };
