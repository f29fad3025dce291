import type { IncomingMessage } from 'node:http';
import { jsonReply, type Logger, type PostRoute } from '@meridian/platform';
import { InvalidSignature, type PaymentGateway } from '../gateways/payment-gateway.js';
import type { PaymentUseCases } from '../payments/payments.usecases.js';

export const WEBHOOK_PATHS = { stripe: '/webhooks/stripe', paypal: '/webhooks/paypal' } as const;

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value[0] : value]));
}

/**
 * The providers' webhooks: a signature that does not verify is refused (400) before anything is read or
 * recorded; a verified event is applied once (a redelivery answers 200 and changes nothing). Only the event's
 * id and type are logged: provider payloads carry the payer's name, e-mail and address.
 */
export function webhookRoutes(gateways: readonly PaymentGateway[], useCases: PaymentUseCases, log: Logger): Record<string, PostRoute> {
  const routes: Record<string, PostRoute> = {};
  for (const gateway of gateways) {
    if (gateway.provider === 'offline') continue;
    const provider = gateway.provider;
    routes[WEBHOOK_PATHS[provider]] = async (req, body) => {
      let event;
      try {
        event = await gateway.parseWebhook(body, headersOf(req));
      } catch (error) {
        if (error instanceof InvalidSignature) {
          log.warn({ provider }, 'a webhook with an invalid signature was refused');
          return jsonReply(400, { error: 'invalid signature' });
        }
        throw error;
      }
      const outcome = await useCases.applyEvent(provider, event);
      log.info({ provider, eventId: event.eventId, type: event.type, outcome }, 'provider event');
      return jsonReply(200, { received: true, outcome });
    };
  }
  return routes;
}
