import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { LoginDocument, RegisterDocument } from '@meridian/client';
import type { SignedInSession } from './App.js';

const field = (form: HTMLFormElement, name: string) => String(new FormData(form).get(name) ?? '');
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function SignedOut({ notice, onSignedIn }: { notice: string | null; onSignedIn: (session: SignedInSession) => void }) {
  const [register] = useMutation(RegisterDocument);
  const [login] = useMutation(LoginDocument);
  const [message, setMessage] = useState<string | null>(notice);

  async function signUp(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const { data } = await register({ variables: { input: { email: field(form, 'email'), password: field(form, 'password'), displayName: field(form, 'displayName') || null } } });
    const result = data?.register;
    if (result?.__typename === 'VerificationEmailSent') setMessage(`Check your inbox: we sent a link to ${result.email}.`);
    else setMessage(result && 'message' in result ? result.message : 'Something went wrong');
  }

  async function signIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    // COOKIE: the refresh token goes to an HttpOnly cookie that no script (this one included) can read.
    const { data } = await login({ variables: { input: { email: field(form, 'email'), password: field(form, 'password') }, tokenDelivery: 'COOKIE' } });
    const result = data?.login;
    if (result?.__typename === 'AuthSession') onSignedIn(result);
    else setMessage(result && 'message' in result ? result.message : 'Something went wrong');
  }

  return (
    <>
      {message && <p role="status">{message}</p>}
      <form aria-label="Sign in" onSubmit={(event) => signIn(event).catch((error: unknown) => setMessage(messageOf(error)))}>
        <h2>Sign in</h2>
        <label>
          E-mail <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit">Sign in</button>
      </form>
      <form aria-label="Create an account" onSubmit={(event) => signUp(event).catch((error: unknown) => setMessage(messageOf(error)))}>
        <h2>Create an account</h2>
        <label>
          E-mail <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password <input name="password" type="password" autoComplete="new-password" required />
        </label>
        <label>
          Name <input name="displayName" autoComplete="name" />
        </label>
        <button type="submit">Create account</button>
      </form>
    </>
  );
}
