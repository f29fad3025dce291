import { money } from '@meridian/money';
import type { CurrencyCode, OrderResolvers, OrderStatus } from '../__generated__/resolvers-types.js';

// Who may reach an order is checked where one is returned (owner or admin, or the checkout's own caller); these only read it.
export const Order: OrderResolvers = {
  __resolveReference: (reference, context) => context.orders.find(context.viewer, reference.id, (id) => context.loaders.order.load(id)),
  status: (order) => order.status as OrderStatus,
  currency: (order) => order.currency as CurrencyCode,
  lines: async (order, _args, { loaders }) => (await loaders.lines.load(order.id)).map((line) => ({ ...line, currency: order.currency })),
  subtotal: (order) => money(order.subtotalMinor, order.currency),
  discountTotal: (order) => money(order.discountMinor, order.currency),
  shippingTotal: (order) => money(order.shippingMinor, order.currency),
  taxLines: (order) => order.taxLines.map((line) => ({ name: line.name, rate: line.rate, amount: money(BigInt(line.amountMinor), order.currency) })),
  taxTotal: (order) => money(order.taxMinor, order.currency),
  total: (order) => money(order.totalMinor, order.currency),
  refundedTotal: (order) => money(order.refundedMinor, order.currency),
  exchangeRate: (order) => (order.exchangeRateId && order.exchangeRateAsOf ? { id: order.exchangeRateId, asOf: order.exchangeRateAsOf } : null),
  events: (order, _args, { loaders }) => loaders.events.load(order.id),
};
