import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, readLogFormat, type LogFormat } from './config.js';
import { createLogger } from './logger.js';

function capture(format?: LogFormat) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ service: 'test', ...(format ? { format } : {}) }, stream), lines };
}

describe('logger', () => {
  it('drops query parameters from database errors and their causes', () => {
    const { logger, lines } = capture();
    const driverError = Object.assign(new Error('duplicate key value'), { parameters: ['ada@example.com', '$argon2id$v=19$secret'] });
    const queryError = Object.assign(
      new Error('Failed query: insert into "auth"."users" ("email", "password_hash") values ($1, $2)\nparams: ada@example.com,$argon2id$v=19$secret', {
        cause: driverError,
      }),
      { params: ['ada@example.com', '$argon2id$v=19$secret'] },
    );
    logger.error({ err: queryError }, 'unexpected error');
    const line = lines.join('');
    expect(line).toContain('Failed query: insert into');
    expect(line).toContain('duplicate key value');
    expect(line).not.toContain('ada@example.com');
    expect(line).not.toContain('argon2id');
  });

  it('redacts secrets passed by field name', () => {
    const { logger, lines } = capture();
    logger.info({ password: 'hunter22', input: { password: 'hunter22', refreshToken: 'r' }, authorization: 'Bearer x' }, 'careless');
    expect(lines.join('')).not.toMatch(/hunter22|Bearer x|"r"/);
  });

  it('keeps CR and LF inside one JSON line', () => {
    const { logger, lines } = capture();
    logger.info({ email: 'a@b.c\r\n{"level":60,"msg":"forged"}' }, 'line\ninjection');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.trimEnd().split('\n')).toHaveLength(1);
  });

  it('writes pino-pretty lines when asked, with the same scrubbing and redaction', () => {
    const { logger, lines } = capture('pretty');
    const queryError = Object.assign(new Error('Failed query: select 1 where "email" = $1\nparams: ada@example.com'), { params: ['ada@example.com'] });
    logger.error({ err: queryError, input: { password: 'hunter22' }, authorization: 'Bearer x' }, 'pretty and safe');
    const text = lines.join('');
    expect(text).toMatch(/ERROR.*\(test\): pretty and safe/);
    expect(text).not.toMatch(/^\{/);
    expect(text).toContain('Failed query: select 1');
    expect(text).not.toMatch(/ada@example\.com|hunter22|Bearer x/);
  });
});

describe('LOG_FORMAT', () => {
  it('is pretty only for a terminal outside production, unless set', () => {
    expect(readLogFormat({}, true)).toBe('pretty');
    expect(readLogFormat({}, false)).toBe('json');
    expect(readLogFormat({ NODE_ENV: 'production' }, true)).toBe('json');
    expect(readLogFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(readLogFormat({ LOG_FORMAT: 'pretty', NODE_ENV: 'production' }, false)).toBe('pretty');
    expect(() => readLogFormat({ LOG_FORMAT: 'yaml' }, true)).toThrow(ConfigError);
  });
});
