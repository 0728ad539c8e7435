import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractIndicators, type ExtractContext } from '../../src/classify/extract-targets.ts';
import { refang } from '../../src/classify/refang.ts';

const ctx: ExtractContext = { ownDomains: ['example.net'], reporterDomains: ['reporter.test'], profileUrlPatterns: ['https://community.example/u/{handle}'], atHandles: true };
const values = (text: string, c = ctx) => extractIndicators([text], c).map((i) => `${i.kind}:${i.value}`).sort();

describe('refang', () => {
  const cases: Array<[string, string]> = [
    ['hxxp://bad[.]example/x', 'http://bad.example/x'],
    ['hxxps://bad(.)example', 'https://bad.example'],
    ['bad[dot]example', 'bad.example'],
    ['http[:]//bad.example', 'http://bad.example'],
    ['http: //bad.example', 'http://bad.example'],
    ['user[@]bad.example', 'user@bad.example'],
    ['hxxps[://]bad[.]example[/]', 'https://bad.example/'],
    ['hxxps[:][//]sub[.]bad[.]example[/]a[/]b[/]', 'https://sub.bad.example/a/b/'],
  ];
  for (const [input, expected] of cases) it(input, () => assert.equal(refang(input), expected));
});

describe('extractIndicators', () => {
  it('reads the target out of a look-up URL on an excluded site (whois, blocklist checkers)', () => {
    assert.deepEqual(values('see https://whois.reporter.test/results.aspx?domain=romance.example.com&x=1 and https://reporter.test/listed/?searchterm=198.51.100.9'), ['host:romance.example.com', 'ip:198.51.100.9']);
  });

  it('finds defanged URLs with ports and paths, trimming prose punctuation', () => {
    assert.deepEqual(values('See hxxp://evil[.]example:8080/login.php?a=1).'), ['url:http://evil.example:8080/login.php?a=1']);
    assert.deepEqual(values('(http://evil.example/a_(b))'), ['url:http://evil.example/a_(b)']);
  });

  it('finds IPv4 and IPv6 in their written forms, unwrapping IPv4-mapped', () => {
    assert.deepEqual(values('from 192.0.2.44, and 2001:DB8:0:0::1 and ::ffff:198.51.100.7 and 999.1.1.1'), ['ip:192.0.2.44', 'ip:198.51.100.7', 'ip:2001:db8::1']);
  });

  it('does not take times or MAC addresses for IPv6', () => {
    assert.deepEqual(values('at 10:30:00 from 00:1a:2b:3c:4d:5e'), []);
  });

  it('turns IDN into punycode', () => {
    assert.deepEqual(values('https://bücher.example/x'), ['url:https://xn--bcher-kva.example/x']);
  });

  it('drops our own domains, the reporter domains and standards boilerplate', () => {
    assert.deepEqual(values('mail abuse@example.net, see www.ietf.org/rfc/rfc5965 and me@reporter.test; bad: shop.test'), ['host:shop.test']);
  });

  it('reads profile URLs of our platform and @handles as accounts', () => {
    assert.deepEqual(values('https://community.example/u/Some_Handle and @Other.one but not me@host.test'), ['account:other.one', 'account:some_handle', 'email:me@host.test']);
  });

  it('does not take file names for hosts in prose', () => {
    assert.deepEqual(values('open invoice.zip and readme.md'), []);
  });
});
