import { notFound, validationFailed } from '@meridian/platform';

/** Expected failures of the notifications service, shaped as the GraphQL union members they become. */

export const deliveryNotFound = () => notFound('No notification delivery with this id');

/** A message the transport accepted is never sent again (README "Notifications"). */
export const deliveryAlreadySent = () => validationFailed([{ field: 'id', code: 'UNAVAILABLE', message: 'The message was sent already; it is never sent twice' }]);
