import argon2 from 'argon2';

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** A job for the hashing process. */
export type HashJob = { id: number; op: 'hash'; password: string } | { id: number; op: 'verify'; hash: string; password: string };

export type HashJobResult = { id: number; ok: true; value: string | boolean } | { id: number; ok: false; error: string };
