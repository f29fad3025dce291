import { XMLParser } from 'fast-xml-parser';

/** One reference rate as the European Central Bank publishes it: 1 EUR = `rate` units of `quote` on `asOf`. */
export interface ReferenceRate {
  base: 'EUR';
  quote: string;
  /** The rate exactly as published, a decimal string such as `138.05`. */
  rate: string;
  /** The publication day, `YYYY-MM-DD`. */
  asOf: string;
}

export class RateFileError extends Error {
  override name = 'RateFileError';
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const RATE = /^\d+(\.\d+)?$/;
const CODE = /^[A-Z]{3}$/;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  // Rates must stay the published strings: never numbers (138.05 would become a float).
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => name === 'Cube',
  processEntities: false,
});

interface Cube {
  time?: string;
  currency?: string;
  rate?: string;
  Cube?: Cube[];
}

/**
 * The ECB's euro foreign exchange reference rates in their XML format: the daily file
 * (`eurofxref-daily.xml`) as well as the 90-day and historical ones (one `Cube time=…` per day).
 */
export function parseEcbReferenceRates(xml: string): ReferenceRate[] {
  let document: { Envelope?: { Cube?: Cube[] } };
  try {
    document = parser.parse(xml, true) as typeof document;
  } catch (error) {
    throw new RateFileError(`not an XML file: ${(error as Error).message}`);
  }
  const days = document.Envelope?.Cube?.[0]?.Cube;
  if (!days?.length) throw new RateFileError('no <Cube time="…"> element: not an ECB reference rate file');
  const rates: ReferenceRate[] = [];
  for (const day of days) {
    if (!day.time || !DAY.test(day.time)) throw new RateFileError(`a day has no valid time attribute: ${JSON.stringify(day.time)}`);
    for (const entry of day.Cube ?? []) {
      if (!entry.currency || !CODE.test(entry.currency) || !entry.rate || !RATE.test(entry.rate) || /^0+(\.0+)?$/.test(entry.rate)) {
        throw new RateFileError(`${day.time}: invalid entry ${JSON.stringify(entry)}`);
      }
      rates.push({ base: 'EUR', quote: entry.currency, rate: entry.rate, asOf: day.time });
    }
  }
  return rates;
}
