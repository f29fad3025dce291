import { and, desc, eq, lte, sql } from 'drizzle-orm';
import { exchangeRates, type ExchangeRateRow } from '@meridian/db/localization';
import type { LocalizationDb, LocalizationExecutor } from '../db.js';
import type { ReferenceRate } from './ecb.parser.js';

export type RatesRepository = ReturnType<typeof createRatesRepository>;

/** Decimal places kept for inverse and cross rates (the column's scale). */
export const DERIVED_RATE_SCALE = 18;

export function createRatesRepository({ db }: { db: LocalizationDb }) {
  return {
    /**
     * Stores published rates and their inverses; a rate already stored for the same pair, day and
     * source is left as it is (imports can be repeated). Returns how many rows were new.
     */
    async importPublished(tx: LocalizationExecutor, rates: readonly ReferenceRate[], source: string): Promise<number> {
      let inserted = 0;
      for (const rate of rates) {
        const rows = await tx
          .insert(exchangeRates)
          .values([
            { base: rate.base, quote: rate.quote, rate: rate.rate, asOf: rate.asOf, source, derivation: 'published' },
            {
              base: rate.quote,
              quote: rate.base,
              rate: sql`round(1::numeric / ${rate.rate}::numeric, ${DERIVED_RATE_SCALE})`,
              asOf: rate.asOf,
              source,
              derivation: 'inverse',
            },
          ])
          .onConflictDoNothing()
          .returning({ id: exchangeRates.id });
        inserted += rows.length;
      }
      return inserted;
    },

    /** The latest rate from `base` to `quote` a source published (or its inverse), on or before `onOrBefore`. */
    async latest(base: string, quote: string, onOrBefore: string): Promise<ExchangeRateRow | null> {
      const [row] = await db
        .select()
        .from(exchangeRates)
        .where(and(eq(exchangeRates.base, base), eq(exchangeRates.quote, quote), lte(exchangeRates.asOf, onOrBefore), sql`${exchangeRates.derivation} <> 'cross'`))
        .orderBy(desc(exchangeRates.asOf), exchangeRates.source)
        .limit(1);
      return row ?? null;
    },

    /**
     * The cross rate `from` → `to` through `via` (the currency a source publishes against) on the
     * latest day, on or before `onOrBefore`, for which one source published both legs.
     */
    async crossCandidate(from: string, to: string, via: string, onOrBefore: string): Promise<{ asOf: string; source: string; rate: string } | null> {
      const [legs] = await db.execute<{ as_of: string; source: string; rate: string }>(sql`
        select a.as_of::text as as_of, a.source, round(b.rate / a.rate, ${DERIVED_RATE_SCALE})::text as rate
        from ${exchangeRates} a
        join ${exchangeRates} b on b.base = a.base and b.as_of = a.as_of and b.source = a.source and b.derivation = 'published'
        where a.base = ${via} and a.quote = ${from} and a.derivation = 'published' and b.quote = ${to} and a.as_of <= ${onOrBefore}
        order by a.as_of desc, a.source
        limit 1`);
      return legs ? { asOf: legs.as_of, source: legs.source, rate: legs.rate } : null;
    },

    /** Stores a cross rate on first use, so that a conversion can cite it by id; the stored row either way. */
    async storeCross(from: string, to: string, candidate: { asOf: string; source: string; rate: string }): Promise<ExchangeRateRow> {
      await db
        .insert(exchangeRates)
        .values({ base: from, quote: to, rate: candidate.rate, asOf: candidate.asOf, source: candidate.source, derivation: 'cross' })
        .onConflictDoNothing();
      const [row] = await db
        .select()
        .from(exchangeRates)
        .where(and(eq(exchangeRates.base, from), eq(exchangeRates.quote, to), eq(exchangeRates.asOf, candidate.asOf), eq(exchangeRates.source, candidate.source)));
      if (!row) throw new Error('a stored cross rate could not be read back');
      return row;
    },

    async findById(id: string): Promise<ExchangeRateRow | null> {
      const [row] = await db.select().from(exchangeRates).where(eq(exchangeRates.id, id));
      return row ?? null;
    },
  };
}
