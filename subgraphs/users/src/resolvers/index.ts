import { DateTimeScalar, LocaleScalar } from '@meridian/platform';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Address } from './Address.js';
import { Mutation } from './Mutation.js';
import { NotificationRecipient } from './NotificationRecipient.js';
import { Query } from './Query.js';
import { User } from './User.js';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Locale: LocaleScalar, Query, Mutation, User, Address, NotificationRecipient };
