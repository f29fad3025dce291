import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Anything that could carry a secret is redacted by path as a second line of
 * defence: code must never pass passwords or tokens to the logger in the first place.
 */
export function createLogger(options: { service: string; level?: string }): Logger {
  return pino({
    name: options.service,
    level: options.level ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'password',
        '*.password',
        '*.newPassword',
        'token',
        '*.token',
        'accessToken',
        'refreshToken',
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
  });
}
