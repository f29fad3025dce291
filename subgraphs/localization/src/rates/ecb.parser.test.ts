import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEcbReferenceRates } from './ecb.parser.js';

const sample = readFileSync(new URL('../../../../db/seed/eurofxref-daily-2022-07-08.xml', import.meta.url), 'utf8');

describe('parseEcbReferenceRates', () => {
  it('reads the daily file the ECB publishes, rates exactly as written', () => {
    const rates = parseEcbReferenceRates(sample);
    expect(rates).toHaveLength(31);
    expect(rates).toContainEqual({ base: 'EUR', quote: 'JPY', rate: '138.05', asOf: '2022-07-08' });
    expect(rates).toContainEqual({ base: 'EUR', quote: 'PLN', rate: '4.7630', asOf: '2022-07-08' });
    expect(rates).toContainEqual({ base: 'EUR', quote: 'IDR', rate: '15210.73', asOf: '2022-07-08' });
  });

  it('reads several days (the 90-day and historical files)', () => {
    const twoDays = sample.replace("<Cube time='2022-07-08'>", "<Cube time='2022-07-08'>").replace(
      '\t</Cube>\n</gesmes:Envelope>',
      "\t\t<Cube time='2022-07-07'><Cube currency='USD' rate='1.0180'/></Cube>\n\t</Cube>\n</gesmes:Envelope>",
    );
    const rates = parseEcbReferenceRates(twoDays);
    expect(rates.filter((rate) => rate.asOf === '2022-07-07')).toEqual([{ base: 'EUR', quote: 'USD', rate: '1.0180', asOf: '2022-07-07' }]);
  });

  it('refuses files that are not reference rates, or have a bad entry', () => {
    expect(() => parseEcbReferenceRates('<html><body>Service unavailable</body></html>')).toThrow(/not an ECB reference rate file/);
    expect(() => parseEcbReferenceRates('not xml at all <')).toThrow();
    expect(() => parseEcbReferenceRates(sample.replace("rate='138.05'", "rate='1.3e2'"))).toThrow(/invalid entry/);
    expect(() => parseEcbReferenceRates(sample.replace("rate='138.05'", "rate='0'"))).toThrow(/invalid entry/);
    expect(() => parseEcbReferenceRates(sample.replace("time='2022-07-08'", "time='yesterday'"))).toThrow(/time attribute/);
  });
});
