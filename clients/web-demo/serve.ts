import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export interface WebDemo {
  /** `http://localhost:<port>`: the origin of the app's pages. */
  origin: string;
  close(): Promise<void>;
}

/** The app in one ES module, bundled with esbuild (React, Apollo Client and @meridian/client's typed documents). */
export async function bundleWebDemo(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./src/main.tsx', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild produced no output');
  return output.text;
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function page(routerUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="meridian-router" content="${escapeAttribute(routerUrl)}"><title>Meridian</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto}label{display:block;margin:.3rem 0}form{margin:1rem 0}</style></head>
<body><div id="root"></div><script type="module" src="/app.js"></script></body>
</html>`;
}

/**
 * Serves the app on `http://localhost:<port>`: `/app.js` and, for every other path (`/`,
 * `/verify-email?token=…` from the verification e-mail), its page. The port is part of the origin the
 * router must allow (CORS_ORIGINS; outside production it allows http://localhost:3000 by default), so
 * a taken port is an error, never a reason to pick another.
 */
export async function serveWebDemo(options: { routerUrl: string; port?: number }): Promise<WebDemo> {
  const port = options.port ?? 3000;
  const script = await bundleWebDemo();
  const html = page(options.routerUrl);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const isScript = new URL(req.url ?? '/', 'http://localhost').pathname === '/app.js';
    res.writeHead(200, { 'content-type': isScript ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(isScript ? script : html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} is taken: the web demo must be served on http://localhost:${port}, the origin the router allows (CORS_ORIGINS); stop what listens there`)
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// `pnpm --filter @meridian/web-demo start`, next to `pnpm start`: the app on http://localhost:3000.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const demo = await serveWebDemo({ routerUrl: process.env.ROUTER_URL ?? 'http://localhost:4000/graphql', port: Number(process.env.PORT ?? 3000) });
  console.log(`web demo on ${demo.origin}`);
}
