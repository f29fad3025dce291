import { pino, type DestinationStream, type Logger } from 'pino';
import PinoPretty from 'pino-pretty';
import type { LogFormat } from './config.js';

export type { Logger };

const PARAMETER_KEYS = new Set(['params', 'parameters', 'variables']);
// drizzle puts the bound values in the message ("Failed query: …\nparams: a@b.c,$argon2id$…"),
// which the stack repeats before its first frame.
const PARAMS_IN_TEXT = /\nparams:[\s\S]*?(?=\n {4}at |$)/;

/** Drops bound query parameters (e-mails, password hashes, tokens) from an error and its causes. */
function scrub(value: unknown, depth = 0): unknown {
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (PARAMETER_KEYS.has(key)) out[key] = '[redacted]';
    else if ((key === 'message' || key === 'stack') && typeof inner === 'string') out[key] = inner.replace(PARAMS_IN_TEXT, '\nparams: [redacted]');
    else out[key] = scrub(inner, depth + 1);
  }
  return out;
}

function serializeError(error: unknown): unknown {
  return scrub(error instanceof Error ? pino.stdSerializers.errWithCause(error) : error);
}

/**
 * Structured JSON logs, or (`format: 'pretty'`, for a person at a terminal) pino-pretty's lines. Query
 * parameters never reach either (errors are scrubbed before they are formatted), and anything that
 * could carry a secret is redacted by path as a second line of defence: code must never pass
 * passwords or tokens to the logger in the first place.
 */
export function createLogger(options: { service: string; level?: string; format?: LogFormat }, destination?: DestinationStream): Logger {
  // pino-pretty as a stream in this process, not a worker transport: the last lines before process.exit are kept.
  const output =
    options.format === 'pretty'
      ? PinoPretty({ destination: destination ?? 1, sync: true, colorize: destination === undefined && process.stdout.isTTY === true, ignore: 'pid,hostname,service' })
      : destination;
  return pino(
    {
      name: options.service,
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError },
      redact: {
        paths: [
          'password',
          '*.password',
          '*.newPassword',
          'token',
          '*.token',
          'accessToken',
          'refreshToken',
          'clientSecret',
          '*.clientSecret',
          '*.accessToken',
          '*.refreshToken',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'variables',
          '*.variables',
        ],
        censor: '[redacted]',
      },
    },
    output,
  );
}
