import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { stringify } from 'yaml';
import { DirectoryHolder } from '../../src/directory/directory-holder.ts';
import { loadDirectory } from '../../src/directory/load-directory.ts';
import { schemaSql } from '../../src/directory/sources/postgres-source.ts';
import { createLogger } from '../../src/log.ts';

const PG_URL = process.env.ABUSE_DESK_TEST_PG_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/test';
const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;

describe('PostgreSQL directory source', () => {
  const schema = `test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-pg-'));
  const db = new pg.Client({ connectionString: PG_URL });
  let importOutput = '';

  before(async () => {
    await db.connect();
    const customersFile = join(dir, 'customers.yaml');
    writeFileSync(customersFile, stringify({ customers: [
      { id: 'C1', name: 'One', contact: { email: 'one@one.test', language: 'fr' }, domains: ['one.test'], servers: ['192.0.2.0/24', '2001:db8:1::/48', '*.one.test', '198.51.100.7'], accounts: ['Uno'] },
      { id: 'C2', name: 'Two', contact: { email: 'two@two.test' }, domains: ['two.example.co.uk'], servers: ['192.0.2.128/25'], accounts: [] },
    ] }));
    const configFile = join(dir, 'config.yaml');
    writeFileSync(configFile, stringify({ directory: { schema } }));
    importOutput = (await promisify(execFile)(process.execPath, [BIN, 'directory', 'import', customersFile, '--to', PG_URL, '--config', configFile])).stdout;
  });

  after(async () => {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
  });

  it('imports a customers file with the shipped schema', async () => {
    assert.match(importOutput, /imported 2 customers, 2 domains, 4 networks, 1 hosts, 1 accounts/);
    const tables = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
    assert.deepEqual(tables.rows.map((r) => r.table_name), ['accounts', 'customers', 'domains', 'hosts', 'networks']);
    assert.equal(readFileSync(new URL('../../deploy/directory-schema.sql', import.meta.url), 'utf8'), schemaSql('abuse_desk'), 'deploy/directory-schema.sql is what the code creates');
  });

  it('loads the same directory back from the database', async () => {
    const d = await loadDirectory({ kind: 'postgres', location: PG_URL, schema });
    assert.deepEqual(d.counts, { customers: 2, domains: 2, hosts: 1, networks: 4, accounts: 1 });
    assert.deepEqual(d.lookup('192.0.2.200').map((m) => m.customerId), ['C2']);
    assert.deepEqual(d.lookup('198.51.100.7').map((m) => m.customerId), ['C1']);
    assert.deepEqual(d.lookup('2001:db8:1::99').map((m) => m.customerId), ['C1']);
    assert.deepEqual(d.lookup('a.b.one.test').map((m) => m.reason), ['hosted', 'registered']);
    assert.deepEqual(d.lookup('www.two.example.co.uk').map((m) => m.customerId), ['C2']);
    assert.deepEqual(d.lookup('@UNO').map((m) => m.customerId), ['C1']);
    assert.equal(d.customer('C1')?.contact.language, 'fr');
  });

  it('reloads on its interval, and keeps the previous directory when the database breaks', async () => {
    const lines: string[] = [];
    const holder = await DirectoryHolder.open({ kind: 'postgres', location: PG_URL, schema }, createLogger('info', 'test', { write: (l: string) => void lines.push(l) }), { watch: true, reloadIntervalSec: 1 });
    try {
      assert.deepEqual(holder.get().lookup('203.0.113.9').map((m) => m.customerId), []);
      await db.query(`INSERT INTO ${schema}.networks (customer_id, network) VALUES ('C2', '203.0.113.0/24')`);
      const until = async (pred: () => boolean, what: string) => {
        for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 100));
        assert.ok(pred(), what);
      };
      await until(() => holder.get().lookup('203.0.113.9').length === 1, 'the new network is picked up');

      await db.query(`ALTER TABLE ${schema}.networks RENAME TO networks_gone`);
      const reloads = holder.reloads;
      await until(() => holder.reloads > reloads, 'a reload was attempted');
      assert.deepEqual(holder.get().lookup('203.0.113.9').map((m) => m.customerId), ['C2'], 'the previous directory stays in use');
      assert.ok(lines.some((l) => /reload failed; keeping the previous one/.test(l) && /"level":50/.test(l)));
      assert.ok(!lines.some((l) => l.includes(':postgres@') || l.includes('postgres@127')), 'no credentials in the logs');
      await db.query(`ALTER TABLE ${schema}.networks_gone RENAME TO networks`);
    } finally {
      holder.close();
    }
  });
});
