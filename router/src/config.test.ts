import { describe, expect, it } from 'vitest';
import { ConfigError } from '@meridian/platform';
import { readRouterConfig } from './config.js';
import { isOriginAllowed } from './cors.js';

describe('CORS_ORIGINS', () => {
  it('takes exact origins, comma-separated', () => {
    expect(readRouterConfig({ CORS_ORIGINS: ' https://shop.example , http://localhost:5173,https://shop.example' }).corsOrigins).toEqual([
      'https://shop.example',
      'http://localhost:5173',
    ]);
  });

  it('refuses "*" and anything that is not exactly scheme://host[:port], naming the entry', () => {
    const cases: [string, RegExp][] = [
      ['*', /CORS_ORIGINS may not contain "\*"/],
      ['https://shop.example, *', /may not contain "\*"/],
      ['https://shop.example/', /entry "https:\/\/shop.example\/" is not an origin .*did you mean "https:\/\/shop.example"/],
      ['https://shop.example/app', /entry "https:\/\/shop.example\/app" is not an origin/],
      ['HTTPS://Shop.Example', /entry "HTTPS:\/\/Shop.Example" is not an origin .*did you mean "https:\/\/shop.example"/],
      ['https://shop.example:443', /did you mean "https:\/\/shop.example"/],
      ['shop.example', /entry "shop.example" is not an origin/],
      ['ftp://shop.example', /entry "ftp:\/\/shop.example" is not an origin/],
      ['null', /entry "null" is not an origin/],
    ];
    for (const [value, message] of cases) {
      expect(() => readRouterConfig({ CORS_ORIGINS: value })).toThrow(ConfigError);
      expect(() => readRouterConfig({ CORS_ORIGINS: value })).toThrow(message);
    }
  });

  it('defaults to the origin of PUBLIC_BASE_URL outside production, and to none in production', () => {
    expect(readRouterConfig({}).corsOrigins).toEqual(['http://localhost:3000']);
    expect(readRouterConfig({ PUBLIC_BASE_URL: 'https://shop.example/app/' }).corsOrigins).toEqual(['https://shop.example']);
    expect(readRouterConfig({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://shop.example' }).corsOrigins).toEqual([]);
    expect(readRouterConfig({ NODE_ENV: 'production', CORS_ORIGINS: 'https://shop.example' }).corsOrigins).toEqual(['https://shop.example']);
  });

  it('allows exactly the listed origins', () => {
    const listed = ['https://shop.example', 'http://localhost:3000'];
    expect(isOriginAllowed('https://shop.example', listed)).toBe(true);
    expect(isOriginAllowed('http://localhost:3000', listed)).toBe(true);
    for (const origin of [undefined, 'null', 'http://shop.example', 'https://shop.example.evil.test', 'https://evil.test', 'http://localhost:3001']) {
      expect(isOriginAllowed(origin, listed)).toBe(false);
    }
  });
});

describe('PERSISTED_QUERIES', () => {
  it('defaults to safelist in production and apq elsewhere, and takes only its three modes', () => {
    expect(readRouterConfig({ NODE_ENV: 'production' }).persistedQueries).toBe('safelist');
    expect(readRouterConfig({}).persistedQueries).toBe('apq');
    expect(readRouterConfig({ NODE_ENV: 'production', PERSISTED_QUERIES: 'off' }).persistedQueries).toBe('off');
    expect(() => readRouterConfig({ PERSISTED_QUERIES: 'allowlist' })).toThrow(/PERSISTED_QUERIES must be one of safelist, apq, off, got "allowlist"/);
  });
});

describe('<NAME>_SUBGRAPH_URL', () => {
  it('takes one URL or several, comma-separated: the replicas of one subgraph', () => {
    const config = readRouterConfig({
      AUTH_SUBGRAPH_URL: 'http://auth-1:4001/graphql, http://auth-2:4001/graphql',
      USERS_SUBGRAPH_URL: 'http://users:4002/graphql',
    });
    expect(config.subgraphUrls).toEqual({ auth: ['http://auth-1:4001/graphql', 'http://auth-2:4001/graphql'], users: ['http://users:4002/graphql'] });
  });

  it('refuses a list with a malformed entry, a repeated replica, or replicas on different paths, naming the variable', () => {
    const cases: [string, RegExp][] = [
      ['http://auth-1:4001/graphql,', /AUTH_SUBGRAPH_URL has an empty entry/],
      ['http://auth-1:4001/graphql,auth-2:4001/graphql', /AUTH_SUBGRAPH_URL entry "auth-2:4001\/graphql" is not an absolute http\(s\) URL/],
      ['http://auth-1:4001/graphql,ftp://auth-2/graphql', /AUTH_SUBGRAPH_URL entry "ftp:\/\/auth-2\/graphql" is not an absolute http\(s\) URL/],
      ['http://auth-1:4001/graphql,http://auth-1:4001/graphql', /AUTH_SUBGRAPH_URL names http:\/\/auth-1:4001 twice/],
      ['http://auth-1:4001/graphql,http://auth-2:4001/api', /AUTH_SUBGRAPH_URL: every replica must serve the same path/],
    ];
    for (const [value, message] of cases) {
      expect(() => readRouterConfig({ AUTH_SUBGRAPH_URL: value })).toThrow(ConfigError);
      expect(() => readRouterConfig({ AUTH_SUBGRAPH_URL: value })).toThrow(message);
    }
  });

  it('ejects a failing replica for SUBGRAPH_EJECTION_MS at first, doubling up to SUBGRAPH_EJECTION_MAX_MS', () => {
    expect(readRouterConfig({})).toMatchObject({ subgraphEjectionMs: 1_000, subgraphEjectionMaxMs: 30_000 });
    expect(readRouterConfig({ SUBGRAPH_EJECTION_MS: '200', SUBGRAPH_EJECTION_MAX_MS: '800' })).toMatchObject({ subgraphEjectionMs: 200, subgraphEjectionMaxMs: 800 });
    expect(() => readRouterConfig({ SUBGRAPH_EJECTION_MS: '2000', SUBGRAPH_EJECTION_MAX_MS: '1000' })).toThrow(/SUBGRAPH_EJECTION_MAX_MS must be at least SUBGRAPH_EJECTION_MS/);
  });
});
