export { startPayPalStandIn, type PayPalEvent, type PayPalStandIn } from './paypal.stand-in.js';
export { startStripeStandIn, stripeSignature, type StripeEvent, type StripeStandIn } from './stripe.stand-in.js';
export type { Delivery, SignedWebhook } from './stand-in.http.js';
