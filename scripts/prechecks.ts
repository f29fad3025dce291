// `pnpm test`'s checks before vitest (codegen:check, typecheck, lint, schema:check), run at once: typecheck
// keeps one core busy for most of the time, the others share the second. Each check's output is printed
// whole when it ends; the run fails if any check fails, after all of them ended.
import { spawn } from 'node:child_process';

const checks = process.argv.slice(2);
const results = await Promise.all(
  checks.map(
    (script) =>
      new Promise<boolean>((resolve) => {
        const started = Date.now();
        const child = spawn('pnpm', ['--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('close', (code, signal) => {
          const ok = code === 0;
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          process.stdout.write(`${ok ? '✓' : '✗'} ${script} (${seconds} s)${ok ? '' : `: ${signal ?? `exit code ${code}`}`}\n${output}`);
          resolve(ok);
        });
      }),
  ),
);
process.exitCode = results.every(Boolean) ? 0 : 1;
