import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-config-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('config', () => {
  it('loads the defaults, frozen', () => {
    const c = loadConfig({ env: {} });
    assert.equal(c.imap.processedFolder, 'Processed');
    assert.equal(c.redis.prefix, 'abuse-desk');
    assert.ok(Object.isFrozen(c.imap));
  });

  it('merges a --config file over the defaults, resolving its paths from its own folder', () => {
    const c = loadConfig({ configFile: file('a.yaml', 'imap: {port: 1143, secure: false}\ndirectory: {source: customers.yaml}\n'), env: {} });
    assert.equal(c.imap.port, 1143);
    assert.equal(c.imap.host, '127.0.0.1', 'untouched keys keep their default');
    assert.equal(c.directory.source, join(dir, 'customers.yaml'));
  });

  it('leaves a database URL as it is', () => {
    const c = loadConfig({ configFile: file('pg.yaml', 'directory: {source: "postgres://localhost/x"}\n'), env: {} });
    assert.equal(c.directory.source, 'postgres://localhost/x');
  });

  it('takes secrets from the environment or from *_FILE', () => {
    const secret = file('pw', 's3cret\n');
    const c = loadConfig({ env: { ABUSE_DESK_IMAP_PASSWORD_FILE: secret, ABUSE_DESK_SMTP_PASSWORD: 'x' } });
    assert.equal(c.imap.password, 's3cret');
    assert.equal(c.smtp.password, 'x');
  });

  const bad: Array<[string, string, RegExp]> = [
    ['wrong type', 'imap: {port: "imap"}', /imap\.port: .*expected number/],
    ['out of range', 'imap: {port: 70000}', /imap\.port: .*65535/],
    ['misspelt key', 'imap: {hots: x}', /imap\.hots: unknown setting/],
    ['bad language', 'desk: {defaultLanguage: de}', /desk\.defaultLanguage: .*"en"\|"fr".*found "de"/],
    ['bad profile pattern', 'accounts: {profileUrlPatterns: ["https://x.example/u/"]}', /accounts\.profileUrlPatterns\.0: .*\{handle\}/],
    ['bad redis url', 'redis: {url: "localhost:6379"}', /redis\.url: a URL such as redis:/],
    ['backoff inverted', 'imap: {reconnect: {initialMs: 5000, maxMs: 100}}', /imap\.reconnect\.initialMs: must not exceed/],
  ];
  for (const [name, yaml, message] of bad) {
    it(`names the key and the fix: ${name}`, () => {
      assert.throws(() => loadConfig({ configFile: file(`${name}.yaml`, yaml), env: {} }), (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, message);
        return true;
      });
    });
  }

  it('never prints a secret value in an error', () => {
    assert.throws(() => loadConfig({ env: { ABUSE_DESK_REDIS_URL: 'http://user:hunter2@redis' } }), (err: Error) => {
      assert.match(err.message, /redis\.url/);
      assert.ok(!err.message.includes('hunter2'));
      return true;
    });
    assert.throws(() => loadConfig({ env: { ABUSE_DESK_CASES_URL: 'mysql://desk:hunter3@db/cases' } }), (err: Error) => {
      assert.match(err.message, /cases\.database/);
      assert.ok(!err.message.includes('hunter3'), err.message);
      return true;
    });
  });
});

describe('connection URLs in errors and logs', () => {
  it('lose their user and password, keep where they point', async () => {
    const { withoutCredentials } = await import('../../src/config/url-credentials.ts');
    assert.equal(withoutCredentials('postgres://desk:s3cret@db.internal:5432/cases'), 'postgres://…@db.internal:5432/cases');
    assert.equal(withoutCredentials('redis://:hunter2@redis.internal:6379'), 'redis://…@redis.internal:6379');
    assert.equal(withoutCredentials('postgres://db.internal/cases'), 'postgres://db.internal/cases');
  });
});
