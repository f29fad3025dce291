import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebDemo, type WebDemo } from '@meridian/web-demo/serve';
import { launchChromium, type Browser } from './support/browser.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

// The web app's origin: outside production the router's default CORS_ORIGINS is the origin of
// PUBLIC_BASE_URL, whose default is this one, and the verification e-mail links to it.
const APP_ORIGIN = 'http://localhost:3000';
const COOKIE = '__Host-meridian_refresh';

let graph: TestGraph;
let demo: WebDemo;
let browser: Browser;
/** The router as the page calls it: on `localhost`, the same site as the app, so the SameSite=Strict cookie goes along. */
let routerUrl: string;

beforeAll(async () => {
  graph = await startTestGraph({ env: { PUBLIC_BASE_URL: APP_ORIGIN } });
  const url = new URL(graph.routerUrl);
  url.hostname = 'localhost';
  routerUrl = url.toString();
  [demo, browser] = await Promise.all([serveWebDemo({ routerUrl, port: 3000 }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await graph?.stop();
});

/** The operations the page sends to the router, by name, in order. */
function recordOperations(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url() === routerUrl) names.push((JSON.parse(request.postData() ?? '{}') as { operationName?: string }).operationName ?? '?');
  });
  return names;
}

describe('the React + Apollo Client web app (clients/web-demo) in headless Chromium', () => {
  it('signs up, verifies, signs in with the refresh cookie, edits the address book from the cache, survives a reload and signs out', async () => {
    expect(demo.origin).toBe(APP_ORIGIN);
    const email = `ada-${randomUUID()}@example.com`;
    const password = 'correct horse battery staple';
    const page = await browser.newPage();
    // A step that does not happen fails naming what it waited for, well inside the test's own timeout.
    page.setDefaultTimeout(10_000);
    const operations = recordOperations(page);
    const refreshCookie = async () => (await page.context().cookies(routerUrl)).find((cookie) => cookie.name === COOKIE);
    const signedIn = page.getByText(`Signed in as ${email}`);
    const signInForm = page.getByRole('form', { name: 'Sign in' });

    // Sign up; the test reads the verification mail and follows its link, as the user would.
    await page.goto(`${APP_ORIGIN}/`);
    const signUp = page.getByRole('form', { name: 'Create an account' });
    await signUp.getByLabel('E-mail').fill(email);
    await signUp.getByLabel('Password').fill(password);
    await signUp.getByLabel('Name').fill('Ada');
    await signUp.getByRole('button', { name: 'Create account' }).click();
    await page.getByText(`Check your inbox: we sent a link to ${email}.`).waitFor();
    const mail = await graph.mailbox.waitFor((received) => received.to === email && received.link?.includes('/verify-email') === true);
    await page.goto(`${APP_ORIGIN}/verify-email?token=${encodeURIComponent(mail.token!)}`);
    await signedIn.waitFor();
    expect(page.url()).toBe(`${APP_ORIGIN}/`);
    expect(await refreshCookie()).toMatchObject({ domain: 'localhost', path: '/', httpOnly: true, secure: true, sameSite: 'Strict' });

    // Sign out, then in again with the password (tokenDelivery: COOKIE).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect(await refreshCookie()).toBeUndefined();
    await signInForm.getByLabel('E-mail').fill(email);
    await signInForm.getByLabel('Password').fill(password);
    await signInForm.getByRole('button', { name: 'Sign in' }).click();
    await signedIn.waitFor();
    const cookieAtSignIn = await refreshCookie();
    expect(cookieAtSignIn?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Neither token is anywhere a script could read it later.
    expect(await page.evaluate(() => [document.cookie, JSON.stringify(localStorage), JSON.stringify(sessionStorage)])).toEqual(['', '{}', '{}']);

    // The address book: add, edit, delete; the list follows from the mutations' answers, never a refetch.
    const addresses = page.getByRole('list', { name: 'Addresses' });
    await page.getByText('Ada’s addresses').waitFor();
    const mesBefore = operations.filter((name) => name === 'Me').length;
    const add = page.getByRole('form', { name: 'Add address' });
    await add.getByLabel('Full name').fill('Ada Lovelace');
    await add.getByLabel('Street').fill('10 Downing Street');
    await add.getByLabel('City').fill('London');
    await add.getByLabel('Postal code').fill('sw1a2aa');
    await add.getByLabel('Country').selectOption('GB');
    await add.getByRole('button', { name: 'Add address' }).click();
    await addresses.getByText('Ada Lovelace, 10 Downing Street, SW1A 2AA London, GB').waitFor();

    await addresses.getByRole('button', { name: 'Edit' }).click();
    const edit = addresses.getByRole('form', { name: 'Save address' });
    await edit.getByLabel('Street').fill('55 Rue du Faubourg Saint-Honoré');
    await edit.getByLabel('City').fill('Paris');
    await edit.getByLabel('Postal code').fill('75008');
    await edit.getByLabel('Country').selectOption('FR');
    await edit.getByRole('button', { name: 'Save address' }).click();
    await addresses.getByText('Ada Lovelace, 55 Rue du Faubourg Saint-Honoré, 75008 Paris, FR').waitFor();

    await addresses.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No addresses yet.').waitFor();
    expect(operations.filter((name) => name === 'Me')).toHaveLength(mesBefore);
    expect(operations.slice(-3)).toEqual(['AddAddress', 'UpdateAddress', 'DeleteAddress']);

    // A reload forgets the access token; the refresh cookie brings a new one, and is rotated.
    const beforeReload = operations.length;
    await page.reload();
    await signedIn.waitFor();
    await page.getByText('No addresses yet.').waitFor();
    expect(operations.slice(beforeReload)).toEqual(['RefreshSession', 'Me']);
    const rotated = await refreshCookie();
    expect(rotated?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated?.value).not.toBe(cookieAtSignIn?.value);

    // Signing out ends the session and deletes the cookie; a reload stays signed out.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect(operations.at(-1)).toBe('Logout');
    expect(await refreshCookie()).toBeUndefined();
    await page.reload();
    await signInForm.waitFor();
    expect(await signedIn.count()).toBe(0);
    await page.close();
  });
});
