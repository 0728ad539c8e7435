import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { loadDirectory, readSource, sourceOf } from '../../src/directory/load-directory.ts';

const BIN = new URL('../../bin/abuse-desk.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'abuse-desk-sources-'));
const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const src = (file: string) => sourceOf({ source: file, schema: 'abuse_desk' });

const customers = [
  { id: 'A', name: 'Alpha', contact: { email: 'a@alpha.test', language: 'fr' }, domains: ['alpha.test', 'bücher.example'], servers: ['192.0.2.0/24', '*.cdn.alpha.test'], accounts: ['Zoë'] },
  { id: 'B', name: 'Beta', contact: { email: 'b@beta.test', language: 'en' }, domains: ['beta.co.uk'], servers: ['192.0.2.128/25', '2001:db8::/32', 'www.beta.co.uk'], accounts: ['bob'] },
];
const csv = ['id,name,email,language,domains,servers,accounts', ...customers.map((c) => [c.id, c.name, c.contact.email, c.contact.language, c.domains.join(' '), c.servers.join(';'), c.accounts.join(' ')].join(','))].join('\n');
const files = {
  yaml: write('customers.yaml', stringify({ customers })),
  json: write('customers.json', JSON.stringify({ customers })),
  jsonl: write('customers.jsonl', customers.map((c) => JSON.stringify(c)).join('\n')),
  csv: write('customers.csv', csv),
};

describe('directory sources', () => {
  for (const [kind, file] of Object.entries(files)) {
    it(`${kind}: the same directory from the same customers`, async () => {
      const d = await loadDirectory(src(file));
      assert.deepEqual(d.counts, { customers: 2, domains: 3, hosts: 2, networks: 3, accounts: 2 });
      assert.deepEqual(d.lookup('http://img.cdn.alpha.test/x').map((m) => [m.customerId, m.reason]), [['A', 'hosted'], ['A', 'registered']]);
      assert.deepEqual(d.lookup('192.0.2.200').map((m) => [m.customerId, m.entry]), [['B', '192.0.2.128/25']]);
      assert.deepEqual(d.lookup('www.xn--bcher-kva.example').map((m) => m.customerId), ['A'], 'IDN registered in Unicode, looked up in punycode');
      assert.deepEqual(d.lookup('shop.bücher.example').map((m) => m.customerId), ['A']);
      assert.deepEqual(d.lookup('@ZOË').map((m) => m.customerId), ['A']);
      assert.equal(d.customer('A')?.contact.language, 'fr');
    });
  }

  it('names the line and the field of each bad row (JSON Lines)', async () => {
    const bad = write('bad.jsonl', [JSON.stringify(customers[0]), '{not json', JSON.stringify({ ...customers[1], contact: { email: 'nope' } })].join('\n'));
    await assert.rejects(loadDirectory(src(bad)), /line 2: not JSON[\s\S]*line 3: contact\.email/);
  });

  it('names the line and the field of each bad row (CSV), and missing columns', async () => {
    const bad = write('bad.csv', 'id,name,email,language,domains,servers,accounts\nA,Alpha,a@alpha.test,en,alpha.test,999.1.1.1/8,\nB,Beta,beta,en,,,\n');
    await assert.rejects(loadDirectory(src(bad)), /line 2 \(A\): "999\.1\.1\.1\/8" is not a valid IP address[\s\S]*line 3: email/);
    const noCols = write('nocols.csv', 'id,name\nA,Alpha\n');
    await assert.rejects(loadDirectory(src(noCols)), /missing column\(s\) email, language, domains, servers, accounts/);
  });

  it('refuses an unknown file kind, naming the setting', () => {
    assert.throws(() => src('customers.txt'), /directory\.source "customers\.txt": expected a \.yaml/);
  });

  it('reports duplicates and who shares them', async () => {
    const dup = write('dup.yaml', stringify({ customers: [customers[0], { ...customers[1], domains: ['alpha.test'], servers: ['192.0.2.0/24'] }] }));
    const b = await readSource(src(dup));
    assert.deepEqual(b.duplicates.map((d) => `${d.kind} ${d.value}: ${d.customerIds.join(',')}`).sort(), ['domain alpha.test: A,B', 'network 192.0.2.0/24: A,B']);
  });
});

describe('abuse-desk lookup and directory check', () => {
  const run = (args: string[]) => promisify(execFile)(process.execPath, [BIN, ...args]).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);

  it('lookup says who owns a target and why, and exits 1 when nobody does', async () => {
    const hit = await run(['lookup', 'https://www.beta.co.uk/login', '--customers', files.yaml]);
    assert.equal(hit.code, 0);
    assert.match(hit.stdout, /B Beta <b@beta\.test> — hosted \(www\.beta\.co\.uk\)/);
    assert.match(hit.stdout, /B Beta <b@beta\.test> — registered \(beta\.co\.uk\)/);
    const json = JSON.parse((await run(['lookup', '2001:db8::5', '--customers', files.csv, '--json'])).stdout);
    assert.deepEqual(json.matches.map((m: { customerId: string; reason: string }) => [m.customerId, m.reason]), [['B', 'hosted']]);
    const miss = await run(['lookup', 'nobody.example', '--customers', files.yaml]);
    assert.equal(miss.code, 1);
    assert.match(miss.stdout, /no customer owns it/);
  });

  it('directory check reports overlapping networks, duplicates and counts; exits 1 on errors', async () => {
    const ok = await run(['directory', 'check', '--customers', files.jsonl]);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /overlap: 192\.0\.2\.128\/25 \(B\) lies inside 192\.0\.2\.0\/24 \(A\)/);
    assert.match(ok.stdout, /2 customers, 3 domains, 2 hosts, 3 networks, 2 accounts; 0 errors, 0 duplicates, 1 overlapping networks/);
    const bad = await run(['directory', 'check', '--customers', write('bad2.yaml', stringify({ customers: [{ id: 'X', name: 'X', contact: { email: 'x' } }] }))]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /error: customers\[0\]\.contact\.email/);
  });
});
