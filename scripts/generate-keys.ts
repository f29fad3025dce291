// `pnpm keys:generate`: fresh keys and secrets for production configuration, printed as environment variables.
import { randomBytes } from 'node:crypto';
import { generateRouterMacSecret, generateSigningJwk, routerMacKeyEntries, toPublicJwk } from '@meridian/platform';

const auth = [await generateSigningJwk()];
const router = [await generateSigningJwk()];
const line = (name: string, value: unknown) => console.log(`${name}='${JSON.stringify(value)}'`);
console.log('# auth subgraph (private: keep secret). To rotate, put the new key first and keep the old one until its tokens expire.');
line('AUTH_SIGNING_KEYS', auth);
console.log('# auth subgraph (secret): keys e-mail link hashes, outbox encryption, refresh successors and counter pseudonyms; every replica needs the same');
console.log(`AUTH_SECRET='${randomBytes(32).toString('base64url')}'`);
console.log('# router (private: keep secret); signs router tokens where no MAC secret is set. Leave it and ROUTER_JWKS out to accept MACed router tokens only.');
line('ROUTER_SIGNING_KEYS', router);
console.log("# every subgraph (public: the router's verification keys for signed router tokens)");
line('ROUTER_JWKS', { keys: router.map(toPublicJwk) });
const macSecrets = [generateRouterMacSecret()];
console.log('# router (secret): router tokens are MACed per subgraph with keys derived from it. To rotate, see README "Router tokens: signed or MACed".');
line('ROUTER_MAC_SECRETS', macSecrets);
for (const subgraph of ['auth', 'users', 'localization', 'catalog', 'inventory', 'cart', 'orders', 'notifications', 'payments']) {
  console.log(`# the ${subgraph} subgraph only (secret: it vouches for any caller to ${subgraph})`);
  line('ROUTER_MAC_KEYS', routerMacKeyEntries(macSecrets, subgraph));
}
