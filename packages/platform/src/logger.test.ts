import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ service: 'test' }, stream), lines };
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
});
