// `pnpm keys:generate`: fresh Ed25519 keys for production configuration, printed as environment variables.
import { generateSigningJwk, toPublicJwk } from '@meridian/platform';

const auth = [await generateSigningJwk()];
const router = [await generateSigningJwk()];
const line = (name: string, value: unknown) => console.log(`${name}='${JSON.stringify(value)}'`);
console.log('# auth subgraph (private: keep secret). To rotate, put the new key first and keep the old one until its tokens expire.');
line('AUTH_SIGNING_KEYS', auth);
console.log('# router (private: keep secret)');
line('ROUTER_SIGNING_KEYS', router);
console.log("# every subgraph (public: the router's verification keys)");
line('ROUTER_JWKS', { keys: router.map(toPublicJwk) });
