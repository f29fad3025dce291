import { DateTimeScalar, LocaleScalar } from '@meridian/platform';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { JSONScalar } from './JSON.js';
import { Mutation } from './Mutation.js';
import { NotificationRecipient } from './NotificationRecipient.js';
import { Query } from './Query.js';
import { Role } from './Role.js';
import { User } from './User.js';
import { UserConnection } from './UserConnection.js';

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Locale: LocaleScalar, JSON: JSONScalar, Query, Mutation, NotificationRecipient, Role, User, UserConnection };
