import { afterAll, beforeAll, it } from 'vitest';
import { op, startTestGraph, type TestGraph } from './support/graph.js';
import { registerUser } from './support/seed.js';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph?.stop());

it('probe', async () => {
  const u = await registerUser(graph);
  const show = (label: string, r: { status: number; text: string; headers: Headers }) => console.log(label, r.status, r.headers.get('x-request-id'), r.text.slice(0, 400));
  let deep = 'name';
  for (let i = 0; i < 6; i++) deep = `fields { type { ${deep} } }`;
  show('deep', await graph.request(`{ __type(name: "Query") { ${deep} } }`));
  show('alias-typename', await graph.request(`{ ${Array.from({ length: 11 }, (_, i) => `a${i}: __typename`).join(' ')} }`));
  show('alias-me', await graph.request(`{ ${Array.from({ length: 11 }, (_, i) => `a${i}: me { id }`).join(' ')} }`));
  show('tokens', await graph.request(`{ ${Array.from({ length: 2000 }, () => '__typename').join(' ')} }`));
  show('directives', await graph.request(`{ ${Array.from({ length: 21 }, (_, i) => `a${i}: __typename @include(if: true)`).join(' ')} }`));
  show('directives2', await graph.request(`{ __typename ${Array.from({ length: 21 }, () => `@include(if: true)`).join(' ')} }`));
  show('introspection', await graph.request(`{ __schema { queryType { name } } }`));
  show('suggest', await graph.request(`{ mee { id } }`));
  show('users anon', await graph.request(op('Users'), {}));
  show('users cust', await graph.request(op('Users'), {}, { token: u.accessToken }));
  show('badtoken', await graph.request(op('Me'), {}, { token: 'abc.def.ghi' }));
  show('mass', await graph.request(op('Register'), { input: { email: 'x@example.com', password: 'long enough password', roles: ['admin'] } }));
  show('mass-inline', await graph.request(`mutation { register(input: { email: "x@example.com", password: "long enough password", emailVerified: true }) { __typename } }`));
  const r = await fetch(graph.routerUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 42 }) });
  console.log('notstring', r.status, await r.text());
  const hostr = await fetch(graph.routerUrl, { method: 'POST', headers: { 'content-type': 'application/json', host: 'evil.example' }, body: JSON.stringify({ query: '{__typename}' }) });
  console.log('host', hostr.status, await hostr.text());
});
