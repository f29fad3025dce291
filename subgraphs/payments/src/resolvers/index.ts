import { DateTimeScalar, moneyResolvers } from '@meridian/platform';
import type { CurrencyCode, Resolvers } from '../__generated__/resolvers-types.js';
import { BankTransferInstructions } from './BankTransferInstructions.js';
import { PaymentMethodCode, PaymentStatus, RefundReason, RefundStatus } from './enums.js';
import { Mutation } from './Mutation.js';
import { Order } from './Order.js';
import { Payment } from './Payment.js';
import { PaymentMethod } from './PaymentMethod.js';
import { PaymentRefund } from './PaymentRefund.js';
import { Query } from './Query.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Money: moneyResolvers<CurrencyCode>(),
  Query,
  Mutation,
  Payment,
  PaymentRefund,
  PaymentMethod,
  BankTransferInstructions,
  Order,
  PaymentMethodCode,
  PaymentStatus,
  RefundReason,
  RefundStatus,
};
