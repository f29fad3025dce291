import { useApolloClient, useMutation } from '@apollo/client/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { LogoutDocument, RefreshSessionDocument, VerifyEmailDocument, type SessionFieldsFragment } from '@meridian/client';
import type { AccessToken } from './apollo.js';
import { AddressBook } from './AddressBook.js';
import { SignedOut } from './SignedOut.js';

type Phase = { kind: 'starting' } | { kind: 'signed-out'; notice: string | null } | { kind: 'signed-in'; email: string; expiresAt: string };

/** What a sign-in brings this app: every sign-in asks for tokenDelivery: COOKIE, so no refresh token. */
export type SignedInSession = Pick<SessionFieldsFragment, 'accessToken' | 'accessTokenExpiresAt' | 'user'>;

/** Renew the access token this long before it expires (it lives 15 minutes). */
const RENEW_BEFORE_MS = 60_000;

export function App({ accessToken }: { accessToken: AccessToken }) {
  const client = useApolloClient();
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const [verifyEmail] = useMutation(VerifyEmailDocument);
  const [refreshSession] = useMutation(RefreshSessionDocument);
  const [logout] = useMutation(LogoutDocument);
  const started = useRef(false);

  const signedIn = useCallback(
    (session: SignedInSession) => {
      accessToken.set(session.accessToken);
      setPhase({ kind: 'signed-in', email: session.user.email, expiresAt: session.accessTokenExpiresAt });
    },
    [accessToken],
  );

  const signedOut = useCallback(
    async (notice: string | null) => {
      accessToken.set(null);
      await client.clearStore();
      setPhase({ kind: 'signed-out', notice });
    },
    [accessToken, client],
  );

  // A new access token from the refresh cookie (no argument): at start, after a reload, and before the token expires.
  const renew = useCallback(async () => {
    try {
      const { data } = await refreshSession({ variables: {} });
      const result = data?.refreshSession;
      if (result?.__typename === 'AuthSession') signedIn(result);
      else await signedOut(null);
    } catch (error) {
      await signedOut(error instanceof Error ? error.message : String(error));
    }
  }, [refreshSession, signedIn, signedOut]);

  useEffect(() => {
    if (phase.kind !== 'signed-in') return;
    const timer = setTimeout(() => void renew(), Math.max(new Date(phase.expiresAt).getTime() - Date.now() - RENEW_BEFORE_MS, 5_000));
    return () => clearTimeout(timer);
  }, [phase, renew]);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const url = new URL(window.location.href);
    const token = url.pathname === '/verify-email' ? url.searchParams.get('token') : null;
    if (token === null) {
      void renew();
      return;
    }
    // The link of the verification e-mail: it proves the address and signs the new account in.
    window.history.replaceState(null, '', '/');
    verifyEmail({ variables: { token, tokenDelivery: 'COOKIE' } }).then(
      ({ data }) => {
        const result = data?.verifyEmail;
        if (result?.__typename === 'AuthSession') signedIn(result);
        else void signedOut(result && 'message' in result ? result.message : 'The link could not be used');
      },
      (error: unknown) => void signedOut(error instanceof Error ? error.message : String(error)),
    );
  }, [renew, signedIn, signedOut, verifyEmail]);

  async function signOut() {
    // No argument: the router ends the session of the refresh cookie and deletes the cookie.
    await logout().catch(() => undefined);
    await signedOut('You are signed out.');
  }

  return (
    <main>
      <h1>Meridian</h1>
      {phase.kind === 'starting' && <p>Loading…</p>}
      {phase.kind === 'signed-out' && <SignedOut notice={phase.notice} onSignedIn={signedIn} />}
      {phase.kind === 'signed-in' && (
        <>
          <p>
            Signed in as <strong>{phase.email}</strong> <button onClick={() => void signOut()}>Sign out</button>
          </p>
          <AddressBook />
        </>
      )}
    </main>
  );
}
