import { notFound } from '@meridian/platform';
import type { ReservationStatus, Shortage } from './reservations/reservation.rules.js';

/** Expected failures of the inventory service, shaped as the GraphQL union members they become. */

export type OutOfStock = ReturnType<typeof outOfStock>;
export type ReservationClosed = ReturnType<typeof reservationClosed>;

export const outOfStock = (shortages: Shortage[]) =>
  ({
    __typename: 'OutOfStock',
    code: 'OUT_OF_STOCK',
    message: shortages.length === 1 ? 'Not enough stock for one line; nothing was reserved' : `Not enough stock for ${shortages.length} lines; nothing was reserved`,
    shortages,
  }) as const;

export const reservationClosed = (status: Exclude<ReservationStatus, 'ACTIVE'>) =>
  ({ __typename: 'ReservationClosed', code: 'RESERVATION_CLOSED', message: `The reservation is ${status.toLowerCase()}; nothing was changed`, status }) as const;

export const reservationNotFound = () => notFound('No reservation with this id');

export const locationNotFound = () => notFound('No stock location with this id');
