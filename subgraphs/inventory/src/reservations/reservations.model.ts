import type { ReservationStatus } from './reservation.rules.js';

/** Units of one variant held at one location. */
export interface ReservationLine {
  variantId: string;
  locationId: string;
  quantity: number;
}

/** A reservation as answered: `status` is `EXPIRED` as soon as its time is up. */
export interface Reservation {
  id: string;
  status: ReservationStatus;
  expiresAt: Date;
  lines: ReservationLine[];
}
