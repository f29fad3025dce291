import { formatMoney, toDecimal, type Money } from '@meridian/money';

/** What a subgraph's context says about the request's language, as resolved by the router. */
interface LocalizedContext {
  localization?: { locale: string } | null;
}

/**
 * Resolvers of the shared `Money` type (common.graphql) for every subgraph that returns money:
 * resolvers hand over a `@meridian/money` value and these write it out; `formatted` follows the
 * request's locale. `Code` is the subgraph's generated `CurrencyCode` union (the value is one already).
 */
export function moneyResolvers<Code extends string>() {
  return {
    amount: (money: Money) => toDecimal(money),
    currencyCode: (money: Money) => money.currency as Code,
    minorUnits: (money: Money) => money.minorUnits.toString(),
    formatted: (money: Money, _args: unknown, context: LocalizedContext) => formatMoney(money, context.localization?.locale ?? 'en'),
  };
}
