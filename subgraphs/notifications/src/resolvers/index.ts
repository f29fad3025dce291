import { DateTimeScalar, LocaleScalar } from '@meridian/platform';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Mutation } from './Mutation.js';
import { NotificationDelivery } from './NotificationDelivery.js';
import { NotificationKind, NotificationStatus } from './NotificationEnums.js';
import { Query } from './Query.js';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Locale: LocaleScalar, Query, Mutation, NotificationDelivery, NotificationKind, NotificationStatus };
