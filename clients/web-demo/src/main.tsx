import { ApolloProvider } from '@apollo/client/react';
import { createRoot } from 'react-dom/client';
import { createAccessToken, createApolloClient } from './apollo.js';
import { App } from './App.js';

// The router's URL comes with the page (serve.ts), as a build would inline it.
const routerUrl = document.querySelector<HTMLMetaElement>('meta[name="meridian-router"]')?.content ?? 'http://localhost:4000/graphql';
const accessToken = createAccessToken();
const client = createApolloClient(routerUrl, accessToken);

createRoot(document.getElementById('root')!).render(
  <ApolloProvider client={client}>
    <App accessToken={accessToken} />
  </ApolloProvider>,
);
