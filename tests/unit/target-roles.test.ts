import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Indicator } from '../../src/classify/extract-targets.ts';
import { RoleScan } from '../../src/classify/target-roles.ts';
import { loadConfig } from '../../src/config/load.ts';
import { loadDirectory, sourceOf } from '../../src/directory/load-directory.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { decide } from '../../src/triage/decide.ts';
import { triageSettings } from '../../src/triage/triage-message.ts';

const CORPUS = new URL('../../../shared/corpus/', import.meta.url).pathname;
const config = loadConfig({ env: {} });
const directory = await loadDirectory(sourceOf(config.directory));
const settings = triageSettings(config);

const url = (u: string): Indicator => ({ kind: 'url', value: new URL(u).href, host: new URL(u).hostname });
const host = (h: string): Indicator => ({ kind: 'host', value: h, host: h });
const ip = (a: string): Indicator => ({ kind: 'ip', value: a, host: a });
const role = (body: string, ind: Indicator): string => new RoleScan(body, settings.rules.roles).roleOf(ind).role;

const mail = (from: string, subject: string, body: string): Buffer =>
  Buffer.from(`From: ${from}\r\nTo: abuse@example.net\r\nSubject: ${subject}\r\nMessage-ID: <roles.${Math.random()}@reporter.test>\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n`);
const rolesOf = async (raw: Buffer): Promise<Map<string, string>> => {
  const d = decide(await parseMessage(raw, config.limits), directory, settings);
  return new Map(d.targets.map((t) => [t.value, t.role]));
};
const corpus = async (file: string) => decide(await parseMessage(readFileSync(`${CORPUS}${file}`), config.limits), directory, settings);

describe('target roles', () => {
  it("the reporter's signature is context, in English and French; what they report is not", () => {
    const en = 'Hello,\n\nhttp://evil-shop.test/checkout steals card numbers.\n\nBest regards,\nJane Doe\nSecurity team, Acme Bank\nhttps://www.acme-bank.test\n';
    assert.equal(role(en, url('http://evil-shop.test/checkout')), 'reported');
    assert.equal(role(en, url('https://www.acme-bank.test/')), 'context');
    const fr = 'Bonjour,\n\nLe site http://faux-colis.test/suivi vole des données bancaires.\n\nCordialement,\nJean Dupont\nwww.mairie-exemple.test\n';
    assert.equal(role(fr, url('http://faux-colis.test/suivi')), 'reported');
    assert.equal(role(fr, host('www.mairie-exemple.test')), 'context');
    // Evidence after the sign-off (as DMCA notices put it) is not a signature.
    const dmca = `Sincerely,\nAgent\n${'Infringing work listed below.\n'.repeat(20)}http://pirate.test/movie\n`;
    assert.equal(role(`Notice.\n${dmca}`, url('http://pirate.test/movie')), 'reported');
  });

  it('the genuine site a phishing page imitates, or a brand protection client, is context (English and French)', () => {
    assert.equal(role('This page impersonates www.bigbank.test and steals passwords: http://bigbank-login.test', host('www.bigbank.test')), 'context');
    assert.equal(role('This page impersonates www.bigbank.test and steals passwords: http://bigbank-login.test', url('http://bigbank-login.test')), 'reported');
    assert.equal(role('On behalf of our client Brand Co (brand.test), we report counterfeits sold on http://fake-brand.test', host('brand.test')), 'context');
    assert.equal(role('Le site usurpe le site officiel de la banque www.banque.test : http://faux.test', host('www.banque.test')), 'context');
    assert.equal(role('Le site usurpe le site officiel de la banque www.banque.test : http://faux.test', url('http://faux.test')), 'reported');
    // A brand named before where the abuse is, or before a comma, leaves the abusive site reported.
    assert.equal(role('A phishing site imitating PayPal at http://evil.test/login', url('http://evil.test/login')), 'reported');
    assert.equal(role('Fake shop imitating Nike, http://fake.test', url('http://fake.test')), 'reported');
  });

  it('the victim or destination of an attack is context; its source is reported', () => {
    const report = 'Attack details:\n - Destination IP: 198.51.100.20\n - Source IP: 203.0.113.9\nAttacks against 198.51.100.21 continued.\n';
    assert.equal(role(report, ip('198.51.100.20')), 'context');
    assert.equal(role(report, ip('198.51.100.21')), 'context');
    assert.equal(role(report, ip('203.0.113.9')), 'reported');
    const fr = 'Cible : 198.51.100.30\nAttaquant : 203.0.113.10\n';
    assert.equal(role(fr, ip('198.51.100.30')), 'context');
    assert.equal(role(fr, ip('203.0.113.10')), 'reported');
  });

  it('share links, unsubscribe links in the reporter’s mail, registries and blocklists are context', () => {
    const body = 'Spam from http://spam.test\nShare: https://www.facebook.com/sharer/sharer.php?u=x\nUnsubscribe: https://lists.cert.test/unsubscribe?id=1\nSee https://www.spamhaus.org/query/ip/203.0.113.9\n';
    assert.equal(role(body, url('https://www.facebook.com/sharer/sharer.php?u=x')), 'context');
    assert.equal(role(body, url('https://lists.cert.test/unsubscribe?id=1')), 'context');
    assert.equal(role(body, url('https://www.spamhaus.org/query/ip/203.0.113.9')), 'context');
    assert.equal(role(body, url('http://spam.test')), 'reported');
  });

  it('loopback is context; a private address is context beside a public one, reported when it is all the report names', async () => {
    assert.equal(role('seen from 127.0.0.1', ip('127.0.0.1')), 'context');
    const both = await rolesOf(mail('Kim <kim@reporter.test>', 'scan', 'Port scans from 203.0.113.9, seen on our gateway 10.1.2.3.'));
    assert.equal(both.get('203.0.113.9'), 'reported');
    assert.equal(both.get('10.1.2.3'), 'context');
    const alone = await rolesOf(mail('Kim <kim@reporter.test>', 'scan', 'Port scans from 10.9.8.7 all night.'));
    assert.equal(alone.get('10.9.8.7'), 'reported');
  });

  it("the recipient of a forwarded spam and a client's contact details are context; an accusing label stays reported", () => {
    const fwd = 'Fwd spam:\nde : Promo <promo@spam-sender.test>\nà : Camille <camille@mailbox.test>\nobjet : Gagnez !\nhttp://spam-link.test/x\n';
    assert.equal(role(fwd, { kind: 'email', value: 'camille@mailbox.test', host: 'mailbox.test' }), 'context');
    assert.equal(role(fwd, { kind: 'email', value: 'promo@spam-sender.test', host: 'spam-sender.test' }), 'reported');
    const notice = 'Material belonging to our client:\n  Client:  Studio Ltd\n  Tel:     +35700000000\n  Website: http://www.studio.test/\n\nYou can contact us on our website:\n  http://www.agency.test/contact\n\nLink: http://files.test/share/123\n';
    assert.equal(role(notice, url('http://www.studio.test/')), 'context');
    assert.equal(role(notice, url('http://www.agency.test/contact')), 'context');
    assert.equal(role(notice, url('http://files.test/share/123')), 'reported');
    assert.equal(role('We found a website impersonating our client:\nhttp://evil.test/x\n', url('http://evil.test/x')), 'reported');
    assert.equal(role('The website impersonating our client: http://evil.test/x\n', url('http://evil.test/x')), 'reported');
    assert.equal(role('The REAL WEBSITE of our client is: www.bank.test', host('bank.test')), 'context');
  });

  it("whois ranges, link rewriters, 'follow us' links and the recipient's provider's internal hops are context", () => {
    const whois = 'Your block 198.51.100.0 - 198.51.100.255 (whois) sends abuse from 198.51.100.77 to our servers.\n';
    assert.equal(role(whois, ip('198.51.100.0')), 'context');
    assert.equal(role(whois, ip('198.51.100.77')), 'reported');
    assert.equal(role('- 198.51.100.9:80 [tcp] exposed', ip('198.51.100.9')), 'reported', 'a list bullet is not a range');
    assert.equal(role('See https://urldefense.com/v3/__http://evil.test__', url('https://urldefense.com/v3/__http://evil.test__')), 'context');
    assert.equal(role('Scam at http://scam.test\nFollow us on https://social.test/cert', url('https://social.test/cert')), 'context');
    const headers = 'Received: from MW4PR03CA0001.namprd03.prod.outlook.test (2001:db8:303::8) by DM6PR1.namprd1.prod.outlook.test (2001:db8:1::5) with SMTP\nReceived: from sender.spam.test (198.51.100.66) by MW4PR03CA0001.outlook.test\nReceived: by 2001:db8:99::1 with SMTP id x\n';
    assert.equal(role(headers, ip('2001:db8:303::8')), 'context', 'a hop inside one provider');
    assert.equal(role(headers, ip('2001:db8:99::1')), 'context', 'the receiving side');
    assert.equal(role(headers, ip('198.51.100.66')), 'reported', 'the sender handing over to the provider');
  });

  it('on real reports: the legitimate site of a brand-protection notice, the victim range, the recipient’s relays', async () => {
    const doppel = await corpus('abusix-inbound-parsers/doppel.phishing.2.eml');
    assert.equal(doppel.targets.find((t) => t.value === 'americanexpress.com')?.role, 'context');
    assert.equal(doppel.targets.find((t) => t.value === 'f2.americanexpressforex.co.za')?.role, 'reported');
    const mnemo = await corpus('abusix-inbound-parsers/mnemo.phishing.0.eml');
    assert.equal(mnemo.targets.find((t) => t.value === 'correos.es')?.role, 'context');
    const webiron = await corpus('abuseio/webiron/Webiron_Example_2.eml');
    assert.equal(webiron.targets.find((t) => t.value === '172.16.10.13')?.role, 'reported', 'the offending source, stated by its label');
    assert.equal(webiron.targets.find((t) => t.value === '172.16.30.0')?.role, 'context', 'the targeted range');
    const hotmail = await corpus('abusix-inbound-parsers/hotmail.spam.5.eml');
    assert.equal(hotmail.targets.find((t) => t.value === '143.42.74.171')?.role, 'reported', 'the server that sent the spam');
    assert.equal(hotmail.targets.find((t) => t.value === 'office365.com')?.role, 'context', "the recipient's provider's relays");
  });

  it('notifies only the owners of reported targets: a customer whose genuine site is imitated gets no notice', async () => {
    // example.test is customer C100's, shop.test C200's (config/customers.example.yaml).
    const raw = mail('Kim <kim@reporter.test>', 'phishing', 'This page impersonates www.example.test and steals passwords: http://login.shop.test/verify');
    const d = decide(await parseMessage(raw, config.limits), directory, settings);
    const notified = d.actions.filter((a) => a.kind === 'notify').map((a) => (a as { customerId: string }).customerId);
    assert.deepEqual(notified, ['C200']);
    assert.equal(d.targets.find((t) => t.value === 'www.example.test')?.role, 'context');
    assert.match(d.why.join('\n'), /context: www\.example\.test \(named after "impersonates"\): not notified/);
  });
});
