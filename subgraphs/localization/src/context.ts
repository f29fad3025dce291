import type { RequestBase } from '@meridian/platform';
import type { MessageUseCases } from './messages/messages.usecases.js';
import type { RateUseCases } from './rates/rates.usecases.js';
import type { ShopUseCases } from './shop/shop.usecases.js';

/** Everything a resolver of the localization subgraph may use, built once per request. */
export interface LocalizationContext extends RequestBase {
  shop: ShopUseCases;
  rates: RateUseCases;
  messages: MessageUseCases;
}
