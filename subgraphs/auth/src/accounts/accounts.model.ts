/** A user account as the auth service exposes it (never with its password hash). */
export interface Account {
  id: string;
  email: string;
  emailVerified: boolean;
  roles: string[];
  /** BCP 47 language for the account's e-mails. */
  locale: string | null;
  createdAt: Date;
}
