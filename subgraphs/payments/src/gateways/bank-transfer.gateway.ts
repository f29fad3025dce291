import { InvalidSignature, type PaymentGateway } from './payment-gateway.js';

/**
 * A bank transfer: no provider. The payment waits for the shopper's transfer (its reference names the payment);
 * an admin's `confirmOfflinePayment` is its event. Refunds are paid back by hand and settle at once.
 */
export function createBankTransferGateway(): PaymentGateway {
  return {
    method: 'bank_transfer',
    provider: 'offline',
    start: async (request) => ({ kind: 'started', providerRef: bankReference(request.paymentId), status: 'requires_action' }),
    capture: async () => {},
    cancel: async () => {},
    refund: async () => ({ providerRefundId: null, settled: true }),
    parseWebhook: () => Promise.reject(new InvalidSignature('bank transfers have no webhook')),
  };
}

/** The transfer's reference: short enough for a bank form, unique per payment (its id's random tail). */
export function bankReference(paymentId: string): string {
  return `MP-${paymentId.replace(/-/g, '').slice(-12).toUpperCase()}`;
}
