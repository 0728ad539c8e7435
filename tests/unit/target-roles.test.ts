import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Indicator } from '../../src/classify/indicator.ts';
import { RoleScan, type ScanOptions } from '../../src/classify/role-scan.ts';
import { loadConfig } from '../../src/config/load.ts';
import { loadDirectory, sourceOf } from '../../src/directory/load-directory.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { decide } from '../../src/triage/decide.ts';
import { triageSettings } from '../../src/triage/triage-settings.ts';
import { CORPUS } from '../support/corpus.ts';

const config = loadConfig({ env: {} });
const directory = await loadDirectory(sourceOf(config.directory));
const settings = triageSettings(config);

const url = (u: string): Indicator => ({ kind: 'url', value: new URL(u).href, host: new URL(u).hostname });
const host = (h: string): Indicator => ({ kind: 'host', value: h, host: h });
const ip = (a: string): Indicator => ({ kind: 'ip', value: a, host: a });
const email = (a: string): Indicator => ({ kind: 'email', value: a, host: a.slice(a.indexOf('@') + 1) });
const role = (body: string, ind: Indicator, options?: ScanOptions): string => new RoleScan(body, settings.rules.roles, undefined, options).roleOf(ind).role;

const mail = (from: string, subject: string, body: string): Buffer =>
  Buffer.from(`From: ${from}\r\nTo: abuse@example.net\r\nSubject: ${subject}\r\nMessage-ID: <roles.${Math.random()}@reporter.test>\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n`);
const rolesOf = async (raw: Buffer): Promise<Map<string, string>> => {
  const d = decide(await parseMessage(raw, config.limits), directory, settings);
  return new Map(d.targets.map((t) => [t.value, t.role]));
};
const corpus = async (file: string) => decide(await parseMessage(readFileSync(`${CORPUS}${file}`), config.limits), directory, settings);
const target = (d: Awaited<ReturnType<typeof corpus>>, value: string) => d.targets.find((t) => t.value === value);

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
    // A DNS blocklist's zone in a rejection log line.
    const log = 'NOQUEUE: reject: RCPT from mail.spam.test[203.0.113.4]: 554 5.7.1 ix.dnsbl.example.net RBLTRAP: listed\n';
    assert.equal(role(log, host('ix.dnsbl.example.net')), 'context');
    assert.equal(role(log, host('mail.spam.test')), 'reported');
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
    assert.equal(role(fwd, email('camille@mailbox.test')), 'context');
    assert.equal(role(fwd, email('promo@spam-sender.test')), 'reported');
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

describe('target roles: machine output, links and the mail path', () => {

  it('an XML namespace or schema location is context; the infringer in the same XML is reported', async () => {
    const xml = '<Infringement xmlns="http://www.acns.test/ACNS" xsi:schemaLocation="http://www.acns.test/ACNS http://schemas.acns.test/v1.2/ACNS.xsd">\n<Source><IP_Address>198.51.100.7</IP_Address></Source>';
    assert.equal(role(xml, url('http://www.acns.test/ACNS')), 'context');
    assert.equal(role(xml, url('http://schemas.acns.test/v1.2/ACNS.xsd')), 'context', 'the second URL of schemaLocation');
    assert.equal(role(xml, ip('198.51.100.7')), 'reported');
    const echelon = await corpus('abuseio/ip-echelon/ip-echelon_sample1.eml');
    assert.equal(target(echelon, 'www.acns.net')?.role, 'context');
    assert.equal(target(echelon, '192.168.2.200')?.role, 'reported');
  });

  it('an image in a copied mail or a machine report is context; in the reporter’s own words it may be what they report', () => {
    const html = '<a href="http://spam-shop.test/buy"><img src="https://images.cdn.test/banner.jpg"></a><div style=\'background-image: url("https://bg.cdn.test/x.png")\'>';
    const machine = (body: string, ind: Indicator): string => role(body, ind, { automated: true });
    assert.equal(machine(html, url('https://images.cdn.test/banner.jpg')), 'context');
    assert.equal(machine(html, url('https://bg.cdn.test/x.png')), 'context');
    assert.equal(machine(html, url('http://spam-shop.test/buy')), 'reported', 'href is an attribute, not a label naming the link');
    const forwarded = `This spam keeps coming.\n\n---------- Forwarded message ---------\nFrom: promo@spam-shop.test\n\n${html}`;
    assert.equal(role(forwarded, url('https://images.cdn.test/banner.jpg')), 'context');
    assert.equal(role('He posted my private photo: <img src="https://imgs.leak.test/p/123.jpg">', url('https://imgs.leak.test/p/123.jpg')), 'reported');
  });

  it('traceroute hops, the destination of a logged connection and packet payloads are context; the source is reported', async () => {
    const trace = 'Hosted at 203.0.113.50.\nA sample traceroute:\n 1  \n 2  192.0.2.1 (192.0.2.1)\n 3  ae-2.core.transit.test (198.51.100.1)  1.2 ms\n';
    assert.equal(role(trace, ip('192.0.2.1')), 'context');
    assert.equal(role(trace, host('ae-2.core.transit.test')), 'context');
    assert.equal(role(trace, ip('198.51.100.1')), 'context');
    assert.equal(role(trace, ip('203.0.113.50')), 'reported');
    assert.equal(role('1  evil.example.test\n2  other.example.test\n', host('evil.example.test')), 'reported', 'a numbered list is not a traceroute');
    const log = '2025-05-07 11:02:39: 198.51.100.164 => 192.0.2.27:22 proto TCP\n';
    assert.equal(role(log, ip('198.51.100.164')), 'reported');
    assert.equal(role(log, ip('192.0.2.27')), 'context');
    const dump = '12:00:01 IP 198.51.100.9.53 > 192.0.2.44.1234: 17767 NS ns1.victim-dns.test.\n\t0x0020:  726f 7574 6520  route.inbound.test\n';
    assert.equal(role(dump, host('ns1.victim-dns.test')), 'context');
    assert.equal(role(dump, host('route.inbound.test')), 'context');
    assert.equal(role(dump, ip('198.51.100.9')), 'reported');
    const netis = await corpus('abusix-inbound-parsers/netis.portscan.0.eml');
    assert.equal(target(netis, '98.20.252.164')?.role, 'reported', 'the scanner');
    assert.equal(target(netis, '213.187.112.27')?.role, 'context', 'one of the scanned');
    const netcraft = await corpus('abusix-inbound-parsers/netcraft.fraud.0.eml');
    assert.equal(target(netcraft, '129.250.2.243')?.role, 'context', 'a transit router on the traceroute');
    assert.equal(target(netcraft, 'mkriwhuuluhwsyx.ru')?.role, 'reported');
  });

  it('signature fields pasted without their indent, or folded over many lines, are still header fields', () => {
    assert.equal(role('ARC-Message-Signature: i=1; a=rsa-sha256;\nd=mailer.test; s=arc-2016;\nFrom: promo@spam.test\n', host('mailer.test')), 'context');
    const folds = Array.from({ length: 20 }, (_, k) => `         b${k}Xq9ZkL0aP3mN7vR2tY5uW8eI1oA4sD6fG==`).join('\n');
    assert.equal(role(`ARC-Seal: i=1; a=rsa-sha256; t=1; cv=none;\n${folds}\n        dara=mailer.test\nFrom: promo@spam.test\n`, host('mailer.test')), 'context');
    // The tail of a wrapped trace line is no field name.
    const wrapped = new RoleScan('spf=pass (domain of\n192.0.2.1 as permitted sender) smtp.mailfrom=bulk.test\n', settings.rules.roles).roleOf(host('bulk.test'));
    assert.doesNotMatch(wrapped.why, /labelled/);
  });

  it("software versions, message identifiers and the receiving side of the mail path are context; the spam's sender is not", async () => {
    assert.equal(role('User-Agent: Mailbird 2.9.67.0\nFrom: x@spam.test\n', ip('2.9.67.0')), 'context');
    assert.equal(role('Original Message\nMessage ID <ABC123DEF@relay.sender.test>\n', host('relay.sender.test')), 'context');
    const feedback = await corpus('abusix-inbound-parsers/02_feedback_loop.1.eml');
    assert.equal(target(feedback, 'formdmail.com')?.role, 'reported', 'the envelope sender named in a Received field');
    assert.equal(target(feedback, 'digibros.cz')?.role, 'context', "the recipient's MX");
    const hotmail = await corpus('abusix-inbound-parsers/hotmail.spam.5.eml');
    assert.equal(target(hotmail, 'outlook.com')?.role, 'context', "the recipient's provider, above the spam's source");
    assert.equal(target(hotmail, '2603:10a6:4:b7::23')?.role, 'context');
    assert.equal(target(hotmail, '143.42.74.171')?.role, 'reported');
    const zia = await corpus('abusix-inbound-parsers/humongoushibiscus.spam.0.eml');
    assert.equal(target(zia, 'zia.io')?.role, 'context', "the recipient's MX (bunny.zia.io)");
    // The reporter's own relays above the source are context even when no text says so.
    const own = await rolesOf(
      mail(
        'Alice <alice@reporter.test>',
        'Fwd: spam',
        'Spam below.\n\nReceived: from mx.reporter.test (mx.reporter.test [198.51.100.2]) by store.mailhost.test with LMTP\nReceived: from sender.spam.test (sender.spam.test [203.0.113.5]) by mx.reporter.test with ESMTP\nFrom: promo@spam.test\nSubject: Win\n\nBuy now',
      ),
    );
    assert.equal(own.get('203.0.113.5'), 'reported');
    assert.equal(own.get('198.51.100.2'), 'context');
    // A desk copied in (abuse@ the sender's provider) is no reason to trust that provider's relays.
    const djr = await corpus('abusix-inbound-parsers/djr_co.spam.0.eml');
    assert.match(djr.why.join('\n'), /spam source: first Received hop outside the reporter's network \(hop 0\): 62\.149\.157\.58/);
  });

  it("desks' mailboxes and the reporter's contact lines are context, in English and French; a sender's address is not", async () => {
    assert.equal(role('Please reply to abuse-desk@isp.test with the ticket number.', email('abuse-desk@isp.test')), 'context');
    assert.equal(role('If you have questions, contact us at noc@cert.test.', email('noc@cert.test')), 'context');
    assert.equal(role('Pour toute question, contactez-nous à info@cabinet.test.', email('info@cabinet.test')), 'context');
    assert.equal(role('The phishing mail came from info@fake-bank.test and asked for my PIN.', email('info@fake-bank.test')), 'reported');
    assert.equal(role('I was contacted by support@scam-desk.test, who asked for money.', email('support@scam-desk.test')), 'reported', '"contacted by" names the accused');
    const nfo = await corpus('abusix-inbound-parsers/nfoservers.recursive_resolver.eml');
    assert.equal(target(nfo, 'nfoe.net')?.role, 'context');
    const entura = await corpus('abusix-inbound-parsers/entura.copyright.5.eml');
    assert.equal(target(entura, 'entura.co.uk')?.role, 'context');
  });

  it('documentation pages in the reporter’s words are context; pages where users publish, and pages that run the abuse, are not', async () => {
    const doc = 'Your MongoDB is open to anyone. MongoDB is not designed to be exposed, see https://www.mongodb.test/docs/manual/security/ for how to close it.';
    assert.equal(role(doc, url('https://www.mongodb.test/docs/manual/security/')), 'context');
    assert.equal(role('The user of http://forum.example.test/forum/thread/12 keeps posting threats against me.', url('http://forum.example.test/forum/thread/12')), 'reported');
    assert.equal(role('Le site http://victime.test/docs/login.php imite ma banque.', url('http://victime.test/docs/login.php')), 'reported', 'a page that runs the phishing');
    const open = await corpus('abusix-inbound-parsers/netcraft.open.0.eml');
    assert.equal(target(open, 'www.mongodb.com')?.role, 'context');
  });

  it('footer links (a social network named by its link text, a row of links) are context; a profile reported for harassment is not', async () => {
    const footer = 'Best,\nOnePanel<https://panel.host.test/login> | Get support<https://panel.host.test/support>\n[Facebook]<https://www.facebook.com/hoster.network> [Twitter] <https://twitter.com/hoster>';
    assert.equal(role(footer, url('https://www.facebook.com/hoster.network')), 'context');
    assert.equal(role(footer, url('https://twitter.com/hoster')), 'context');
    assert.equal(role(footer, url('https://panel.host.test/login')), 'context');
    assert.equal(role('This account harasses me every day: https://twitter.com/troll_account', url('https://twitter.com/troll_account')), 'reported');
    const fr = 'Retrouvez la DGFiP sur :\n\n<https://twitter.com/dgfip_officiel>\n';
    assert.equal(role(fr, url('https://twitter.com/dgfip_officiel')), 'context');
    const oneprovider = await corpus('abusix-inbound-parsers/abuse_oneprovider.eml');
    assert.equal(target(oneprovider, 'www.facebook.com')?.role, 'context');
    assert.equal(target(oneprovider, 'panel.op-net.com')?.role, 'context');
  });

  it("an access network's name for a reported address is context; a host name the feed states is reported", async () => {
    const urlhaus = await corpus('abusix-inbound-parsers/urlhaus.bot.0.eml');
    assert.equal(target(urlhaus, '24.222.20.254')?.role, 'reported');
    assert.equal(target(urlhaus, 'eastlink.ca')?.role, 'context', 'host-24-222-20-254.public.eastlink.ca');
    assert.equal(role('Scanning from 198.51.100.7 (ip-198-51-100-8.dyn.isp.test)', host('ip-198-51-100-8.dyn.isp.test')), 'reported', 'it spells another address');
  });

  it("the recipient's mail domain in an ARF report is context; a sender's domain under it, stated by the report, is not", async () => {
    const comcast = await corpus('abuseio/feedback-loop/Comcast_example_1.eml');
    assert.equal(target(comcast, 'comcast.net')?.role, 'context');
    assert.equal(target(comcast, '10.17.18.5')?.role, 'reported');
    const wisc = await corpus('abusix-inbound-parsers/01_marf.not_spam.eml');
    assert.equal(target(wisc, 'g-groups.wisc.edu')?.role ?? target(wisc, 'wisc.edu')?.role, 'reported');
  });

  it('a line introducing the genuine site or the victim makes what is under it context, in English, French and German', async () => {
    // Quoted, as a desk passing on the complaint it received quotes it.
    const quoted = 'Forwarded:\n> The page http://bank-login.evil.test/ copies the look of our site.\n> More about us on our website:\n> https://www.acme-bank.test/\n';
    assert.equal(role(quoted, url('https://www.acme-bank.test/')), 'context');
    assert.equal(role(quoted, url('http://bank-login.evil.test/')), 'reported');
    const en = 'The legitimate and official interface can be found on the following URL:\nhttps://www.bank.test/\n\nPhishing URL:\nhttps://bank-login.evil.test/\n';
    assert.equal(role(en, url('https://www.bank.test/')), 'context');
    assert.equal(role(en, url('https://bank-login.evil.test/')), 'reported');
    const victim = 'The IP 198.51.100.117 has attacked one of our servers:\nhera.ourhost.test - IPv4: 192.0.2.25\n';
    assert.equal(role(victim, host('hera.ourhost.test')), 'context');
    assert.equal(role(victim, ip('192.0.2.25')), 'context');
    assert.equal(role(victim, ip('198.51.100.117')), 'reported');
    const fr = 'Le site https://faux.test/connexion imite le site officiel https://www.client.test/ de notre client.';
    assert.equal(role(fr, url('https://www.client.test/')), 'context');
    assert.equal(role(fr, url('https://faux.test/connexion')), 'reported');
    assert.equal(role('Die echte Homepage unseres Kunden lautet https://www.kunde.test.', url('https://www.kunde.test/')), 'context');
    assert.equal(role('Die Rechte unseres Mandanten werden verletzt auf https://pirat.test/film', url('https://pirat.test/film')), 'reported', '"Rechte" holds no cue, and "auf" says where');
    assert.equal(role('This known phishing site https://known-phish.test/ steals logins.', url('https://known-phish.test/')), 'reported', '"known" is not "own"');
    assert.equal(role('Urheberrechte verletzt durch https://pirat.test/film', url('https://pirat.test/film')), 'reported', 'a cue starts a word: "Urheberrechte" holds no "echte"');
  });

  it("a domain's whois pasted by a reporter: the registrar, name servers and registrant contact are context; the domain is not", () => {
    const body = 'The shop evil-shop.test sells fakes. Whois:\nDomain Name: EVIL-SHOP.TEST\nRegistrar URL: http://www.registrar.test\nName Server: NS1.DNSHOST.TEST\nRegistrant Email: owner@privacy-proxy.test\n';
    assert.equal(role(body, host('evil-shop.test')), 'reported');
    assert.equal(role(body, url('http://www.registrar.test/')), 'context');
    assert.equal(role(body, host('ns1.dnshost.test')), 'context');
    assert.equal(role(body, email('owner@privacy-proxy.test')), 'context');
  });

  it('whois allocations are context however they are written; a reported block stays reported', () => {
    const whois = 'NetRange: 203.0.0.0 –\n> 203.0.255.255\nnetwork:IP-Network:203.0.0.0/16\nRef: https://rdap.registry.test/registry/ip/203.0.0.0\n';
    assert.equal(role(whois, ip('203.0.0.0')), 'context');
    assert.equal(role(whois, ip('203.0.255.255')), 'context');
    assert.equal(role('IP: 23.227.32.0/19 is scanning our network', ip('23.227.32.0')), 'reported');
  });
});

describe("the reporter's own pages and evidence", () => {
  it("a machine report's social page named like its sender's domain is the reporter's; a person's look-alike account is what they report", async () => {
    const footer = 'Port scans from 203.0.113.8 against our network.\n\nAcme Hosting\nhttps://www.acmehosting.test\nhttps://www.facebook.com/AcmeHosting.Network\nhttps://twitter.com/AcmeHostingLLC';
    const machine = (body: string, ind: Indicator): string => role(body, ind, { automated: true, reporterDomains: ['acmehosting.test'] });
    assert.equal(machine(footer, ip('203.0.113.8')), 'reported');
    assert.equal(machine(footer, url('https://www.facebook.com/AcmeHosting.Network')), 'context');
    assert.equal(machine(footer, url('https://twitter.com/AcmeHostingLLC')), 'context');
    assert.equal(machine('This page pretends to be us: https://www.facebook.com/fake.support.page.2024', url('https://www.facebook.com/fake.support.page.2024')), 'reported');
    const person = await rolesOf(mail('Jane Doe <jane@janedoe.test>', 'impersonation', 'This account pretends to be me: https://twitter.com/janedoe_official'));
    assert.equal(person.get('twitter.com'), 'reported', 'an account imitating a person is named like them');
    const gmail = role('Harasses me: https://twitter.com/gmailteam_fake', url('https://twitter.com/gmailteam_fake'), { automated: true, reporterDomains: ['gmail.test'] });
    assert.equal(gmail, 'reported', "a mailbox provider's name says nothing of who the reporter is");
    const tier = await corpus('abusix-inbound-parsers/mail_reject.tier.rejected.0.eml');
    assert.equal(tier.targets.find((t) => t.value === 'www.facebook.com')?.role, 'context');
    // A reporting service's portal under another top-level domain; a person's look-alike complaint names one just so.
    assert.equal(machine('Manage your listings at https://manage.acmehosting.example/listings', host('manage.acmehosting.example')), 'context');
    const spamhaus = await corpus('abusix-inbound-parsers/spamhaus.1.eml');
    assert.equal(target(spamhaus, 'manage.spamhaus.com')?.role, 'context');
    const lookalike = await rolesOf(mail('Jane <jane@acmebank.test>', 'look-alike', 'Someone registered acmebank.example to phish our customers.'));
    assert.equal(lookalike.get('acmebank.example'), 'reported');
  });

  it("a link's text is read like the words before a name (HTML rendered to text, mail clients' links)", () => {
    const html = 'The fake page [http://bank-login.evil.test/] copies our client’s official website [https://www.client-bank.test/].';
    assert.equal(role(html, url('https://www.client-bank.test/')), 'context');
    assert.equal(role(html, url('http://bank-login.evil.test/')), 'reported');
    assert.equal(role('Le site imite le site officiel <https://www.banque.test/>', url('https://www.banque.test/')), 'context');
    // A link on its own line under its text, as Gmail's "Show original" renders it.
    const shown = 'SPF: PASS with IP 192.0.2.7 Learn more\n<https://support.mailer.test/a?p=show_original>\nClick <https://evil-offer.test/win>\n';
    assert.equal(role(shown, url('https://support.mailer.test/a?p=show_original')), 'context');
    assert.equal(role(shown, url('https://evil-offer.test/win')), 'reported');
  });

  it('wording that names a contact, an owner, a victim or reading matter is not read into a person’s accusation', async () => {
    const scam = `I received this scam.\n\n---------- Forwarded message ---------\nFrom: lottery@prize.test\n\nYou won! Contact us at claims@lottery-scam.test to receive your prize.`;
    assert.equal(role(scam, email('claims@lottery-scam.test')), 'reported', "the scam's own \"contact us at\"");
    assert.equal(role('He harasses me on Twitter <https://twitter.com/troll_account>', url('https://twitter.com/troll_account')), 'reported', 'a network named in prose is no footer');
    assert.equal(role('He owns the website http://fake-goods.test where he sells counterfeits.', url('http://fake-goods.test/')), 'reported');
    assert.equal(role('These accounts attacked me:\nhttps://social.test/u/troll1\n', url('https://social.test/u/troll1')), 'reported');
    assert.equal(role('More details:\nhttp://evil-login.test/verify\n', url('http://evil-login.test/verify')), 'reported');
    assert.equal(role('The fake shop lists a false address on http://fake-shop.test/about-us', url('http://fake-shop.test/about-us')), 'reported');
    assert.equal(role('The phishing mail came from security@paypa1-verify.test', email('security@paypa1-verify.test')), 'reported');
    assert.equal(role('This site copies our website:\nhttp://clone-of-us.test/\n', url('http://clone-of-us.test/')), 'reported');
  });

  it("the reporter's logs, the address for questions and a report's identifier are context", () => {
    const text = 'Attacks from 203.0.113.77. DNS query logs for the event are available here https://logs.reporter.test/ev/991\nPlease send any questions to jane.doe@agency.test\nReport-ID: 1636584767-a59f@reporter.test\n';
    assert.equal(role(text, url('https://logs.reporter.test/ev/991')), 'context');
    assert.equal(role(text, email('jane.doe@agency.test')), 'context');
    assert.equal(role(text, email('1636584767-a59f@reporter.test')), 'context');
    assert.equal(role(text, ip('203.0.113.77')), 'reported');
  });

  it('evidence kept on the reporter’s side, under a heading, is context; a sender certification address is context', async () => {
    const zx = await corpus('abusix-inbound-parsers/ZX_simple_guess_parser.rejected.0.eml');
    assert.equal(zx.targets.find((t) => t.value === 'ipxo.abusehq.net')?.role, 'context', '"--- The following material was provided to us as evidence ---", quoted');
    assert.equal(zx.targets.find((t) => t.value === '191.101.13.168')?.role, 'reported');
    const fr = 'Bonjour,\n--- Éléments fournis à titre de preuve ---\nhttps://preuves.reporter.test/dossier/42\n\nLe site https://arnaque.test/paiement vole des cartes.';
    assert.equal(role(fr, url('https://preuves.reporter.test/dossier/42')), 'context');
    assert.equal(role(fr, url('https://arnaque.test/paiement')), 'reported');
    assert.equal(role('Evidence:\nhttps://forum.test/post/123 (the threat)', url('https://forum.test/post/123')), 'reported', 'a bare "Evidence:" label often points at the post itself');
    assert.equal(role('X-CSA-Complaints: whitelist-complaints@eco.test\nFrom: news@shop.test', email('whitelist-complaints@eco.test')), 'context');
  });
});

describe('forged senders', () => {
  it("a sender whose SPF or DMARC check failed in the copied headers is the name imitated; DKIM passing for it keeps it reported", async () => {
    const forged = 'Received-SPF: fail (mx.recipient.test: domain of service@bank.test does not designate 203.0.113.9 as permitted sender)\nFrom: Bank <service@bank.test>\nReply-To: payme@drop-box.test\n\nVerify at http://bank-verify.test/login\n<img src="https://www.bank.test/logo.png"> Offers: https://www.bank.test/offers/spring';
    assert.equal(role(forged, email('service@bank.test')), 'context');
    assert.equal(role(forged, url('https://www.bank.test/offers/spring')), 'context', 'a link to the site the mail imitates');
    assert.equal(role(forged, url('http://bank-verify.test/login')), 'reported');
    assert.equal(role(forged, email('payme@drop-box.test')), 'reported', 'the reply address is the scammer’s own');
    const dmarc = 'Authentication-Results: mx.recipient.test; spf=none; dmarc=fail (p=reject) header.from=shop.test\nFrom: news@shop.test\n';
    assert.equal(role(dmarc, email('news@shop.test')), 'context');
    const signed = 'Authentication-Results: mx.recipient.test; spf=softfail smtp.mailfrom=news@esp.test; dkim=pass header.d=esp.test\nFrom: news@esp.test\n';
    assert.equal(role(signed, email('news@esp.test')), 'reported', 'DKIM vouches for it');
    assert.equal(role('From: promo@spam-sender.test\nSubject: Win\n', email('promo@spam-sender.test')), 'reported', 'no check copied: the sender stays reported');
    const victor = await corpus('abusix-inbound-parsers/gmail_parser.victor4.spam.0.eml');
    assert.ok(victor.targets.some((t) => t.type === 'domain' && t.value === 'nordexbordi.it' && t.role === 'context'), 'Received-SPF: fail for news@nordexbordi.it');
  });
});

describe('pages about a reported name', () => {
  it("a page about a reported name, in the reporter's words, is context; a redirector in the forwarded spam is not", async () => {
    const own = await rolesOf(mail('Ann <ann@reporter.test>', 'phishing', 'The phishing page http://evil-login.test/verify is listed at https://lookup.test/check/evil-login.test and I reported it there.'));
    assert.equal(own.get('evil-login.test'), 'reported');
    assert.equal(own.get('lookup.test'), 'context');
    const fwd = await rolesOf(mail('Ann <ann@reporter.test>', 'Fwd: spam', 'Spam below.\n\n---------- Forwarded message ---------\nFrom: promo@spam-shop.test\nSubject: Deal\n\nClick http://redir.test/go?to=http://spam-shop.test/buy now'));
    assert.equal(fwd.get('redir.test'), 'reported');
  });
});

describe('what a report states beside the URL', () => {
  it('an address written beside a stated URL is stated too (X-ARF, SpamCop)', async () => {
    const xarf = await corpus('abusix-inbound-parsers/02_xarf.fraud.eml');
    assert.equal(xarf.targets.find((t) => t.value === '139.59.136.84')?.role, 'reported');
    const spamcop = await corpus('abusix-inbound-parsers/spamcop.1.eml');
    assert.equal(spamcop.targets.find((t) => t.value === '128.199.63.142')?.role, 'reported', '"http://… is 128.199.63.142"');
  });

  it("a URL broken before its top-level domain is read whole; a customer's site under the desk's own domain is a target", async () => {
    const gsb = await corpus('abusix-inbound-parsers/googlesafebrowsing.0.eml');
    assert.ok(gsb.targets.some((t) => t.value.endsWith('lavaestofado.com.br') && t.role === 'reported'), 'http://lavaestofado .com.br/');
    const cyscon = await corpus('abuseio/cyscon/Cyscon_Example_1.eml');
    assert.ok(cyscon.targets.some((t) => t.value.endsWith('domain.tld') && t.seen.some((s) => s.includes('malware.cust.domain.tld')) && t.role === 'reported'));
  });
});

describe("the spam's mail path once its source is known", () => {
  const pasted = (ownWords: string) =>
    mail(
      'Alice <alice@reporter.test>',
      'Fwd: spam',
      `${ownWords}\n\nReceived: from mx.reporter.test (mx.reporter.test [198.51.100.2]) by store.mailhost.test with LMTP\nReceived: from out.bulk.test (out.bulk.test [203.0.113.5]) by mx.reporter.test with ESMTP\nReceived: from pc ([192.0.2.77]) by relay.elsewhere.test with ESMTPA\nX-Originating-IP: [192.0.2.99]\nFrom: promo@bulk.test\nSubject: Win\n\nBuy now`,
    );

  it('hops below the source and the client behind it are context; the reporter naming one keeps it reported', async () => {
    const plain = await rolesOf(pasted('Spam below.'));
    assert.equal(plain.get('203.0.113.5'), 'reported');
    assert.equal(plain.get('192.0.2.77'), 'context', 'a hop the sender wrote, below the source');
    assert.equal(plain.get('192.0.2.99'), 'context', 'the client that handed the spam to the source');
    const named = await rolesOf(pasted('Spam below. It was injected from 192.0.2.77, please look at it.'));
    assert.equal(named.get('192.0.2.77'), 'reported');
  });

  it('on real reports: a forwarded complaint wrapping the spam, a pasted fold, headers pasted double-spaced', async () => {
    const wrapped = await corpus('abusix-inbound-parsers/hotmail.old.0.eml');
    assert.equal(target(wrapped, '205.169.121.111')?.role, 'reported', 'the spam inside the forwarded Hotmail complaint');
    assert.equal(target(wrapped, '208.65.145.247')?.role, 'context', "the forwarded complaint's own path");
    const folded = await corpus('abusix-inbound-parsers/gmail_parser.victor4.spam.0.eml');
    assert.match(folded.why.join('\n'), /spam source: .*45\.56\.74\.208/);
    assert.equal(target(folded, '77.40.9.102')?.role, 'context');
    const doubled = await corpus('abusix-inbound-parsers/hotmail.spam.9.eml');
    assert.match(doubled.why.join('\n'), /spam source: .*62\.149\.158\.244/);
    assert.equal(target(doubled, '92.223.44.81')?.role, 'context', 'the client behind the Aruba relay (X-Sender IP)');
  });
});

describe('SpamCop reports', () => {
  const passedOn = (about: string) =>
    mail(
      'Abuse Team <abuse-team@bighost.test>',
      'Abuse Message [AbuseID:1]: [SpamCop]',
      `Dear customer,\n\nwe received the report below about your server. Please resolve it.\n\n> [ SpamCop V5.4.0 ]\n> This message is brief for your comfort.\n>\n> ${about}\n> https://www.spamcop.net/w3m?i=z1\n>\n> [ Offending message ]\n> From: promo@shop-spam.test\n> Subject: Deal\n>\n> See https://cdn-images.test/banner.png and http://shop-spam.test/buy\n`,
    );

  it('what a SpamCop report is about is stated, even passed on quoted by a provider; the copied spam is not', async () => {
    const site = await rolesOf(passedOn('Spamvertised web site: http://pills.test/rd/1\n> http://pills.test/rd/1 is 203.0.113.40; Tue, 13 Dec 2022 19:53:48 GMT'));
    assert.equal(site.get('pills.test'), 'reported');
    assert.equal(site.get('203.0.113.40'), 'reported');
    assert.equal(site.get('cdn-images.test'), undefined);
    assert.equal(site.get('shop-spam.test'), undefined);
    const source = await rolesOf(passedOn('Email from 198.51.100.66 / Tue, 18 Jan 2022 13:24:01 +0100'));
    assert.deepEqual([...source].filter(([, r]) => r === 'reported').map(([v]) => v), ['198.51.100.66']);
  });

  it("SpamCop's ARF about an advertised site leaves its Source-IP out; a source report keeps only the source", async () => {
    const arf = await corpus('abusix-inbound-parsers/spamcop.1.eml');
    assert.equal(target(arf, '186.220.240.72'), undefined);
    assert.equal(target(arf, 'rps.tomsk.ru')?.role, 'reported');
    const source = await corpus('abusix-inbound-parsers/spamcop.6.eml');
    assert.deepEqual(source.targets.filter((t) => t.role === 'reported').map((t) => t.value), ['139.162.6.54']);
  });
});

describe("a person's words and the copy they forward", () => {
  const forward = (ownWords: string, subject = 'Fwd: Votre compte') =>
    mail('Bob <bob@reporter.test>', subject, `${ownWords}\n\n---------- Forwarded message ---------\nFrom: Bank <info@bank-mail.test>\nSubject: Votre compte\n\nConnectez-vous sur http://bank-login.evil.test/verify\nSuivez-nous : https://www.bank.test/actualites\nhttps://help.bank.test/aide`);

  it('when the person names what they report, what only the copy names is evidence (English and French)', async () => {
    const en = await rolesOf(forward('Please take down http://bank-login.evil.test/verify, a phishing page. The mail is below.'));
    assert.equal(en.get('bank-login.evil.test'), 'reported');
    assert.equal(en.get('help.bank.test'), 'context');
    const fr = await rolesOf(forward("Bonjour, le site d'hameçonnage bank-login.evil.test vole des identifiants."));
    assert.equal(fr.get('bank-login.evil.test'), 'reported');
    assert.equal(fr.get('help.bank.test'), 'context');
    // Naming the site's domain names its pages on any host of it.
    const domain = await rolesOf(forward('The phishing site is on evil.test, see below.'));
    assert.equal(domain.get('bank-login.evil.test'), 'reported');
    assert.equal(domain.get('help.bank.test'), 'context');
    const subject = await rolesOf(forward('See below.', 'Phishing at bank-login.evil.test'));
    assert.equal(subject.get('help.bank.test'), 'context', 'the subject is the reporter’s words too');
    // An address on the copy's mail path is left to the path's rules, even when the person names a link.
    const path = await rolesOf(
      mail('Bob <bob@reporter.test>', 'Fwd: offer', 'The spam advertises http://pills-shop.test/buy\n\n---------- Forwarded message ---------\nReceived-SPF: pass (domain of promo@bulk.test designates 203.0.113.62 as permitted sender)\nFrom: promo@bulk.test\n\nBuy at http://pills-shop.test/buy or http://other-pills.test'),
    );
    assert.equal(path.get('other-pills.test'), 'context');
    assert.equal(path.get('203.0.113.62'), 'reported');
    // Naming the spam's source is saying what they report, though the headers show it too.
    const source = await rolesOf(
      mail('Bob <bob@reporter.test>', 'Fwd: offer', 'Junk mail from your subscriber [203.0.113.63].\n\n---------- Forwarded message ---------\nReceived: from out.bulk.test (out.bulk.test [203.0.113.63]) by mx.reporter.test\nFrom: promo@bulk.test\n\nBuy at http://pills-shop.test/buy'),
    );
    assert.equal(source.get('203.0.113.63'), 'reported');
    assert.equal(source.get('pills-shop.test'), 'context');
  });

  it("when the person names nothing, the copy's links stay reported", async () => {
    const bare = await rolesOf(forward('Phishing, see below.'));
    assert.equal(bare.get('bank-login.evil.test'), 'reported');
    assert.equal(bare.get('help.bank.test'), 'reported');
    // Headers pasted without a forward marker are not the reporter's words, nor is the source an address of the copy's content.
    const headers = await rolesOf(
      mail('Bob <bob@reporter.test>', 'Fwd: offer', 'Spam:\nReturn-Path: <promo@bulk-sender.test>\nX-Spam-Flag: YES\n\n-----Original Message-----\nFrom: promo@bulk-sender.test\nSubject: Deal\n\nBuy at http://pills-shop.test/buy'),
    );
    assert.equal(headers.get('pills-shop.test'), 'reported');
  });

  it("the domain of a desk's mailbox (abuse@, noc@) is context; a sender's is not", async () => {
    const body = 'Spam again from mailer.bulkhost.test, their desk is abuse@staff.bulkhost.test.\nThe sender was sales@staff.spamco.test.';
    assert.equal(role(body, host('bulkhost.test')), 'reported', 'named on its own first');
    assert.equal(role('Spam sent through a relay of theirs, write to abuse@staff.bulkhost.test', host('bulkhost.test')), 'context');
    assert.equal(role(body, host('spamco.test')), 'reported');
  });
});

describe('signatures of complaints passed on', () => {
  const notice = (signature: string) =>
    mail(
      'Abuse Desk <abuse@isp.test>',
      'DMCA notice for your account',
      `Dear customer,\n\nwe received the notice below about your connection.\n\n-----Original Message-----\n    Dear Sir or Madam,\n    the file at http://files.pirate.test/movie.mkv infringes the copyright of our client.\n    All correspondence should be directed to:\n\n    Email: info@rights-agent.test\n\n${signature}\n\n    INFRINGEMENT DETAIL\n    http://files.pirate.test/movie.mkv\n`,
    );

  it("a notice's signature block, indented or quoted, is its sender's; so is the address correspondence goes to", async () => {
    const roles = await rolesOf(notice('    Sincerely,\n    Jane Agent\n    Rights Agent LLC\n    https://www.rights-agent.test\n    Email: info@rights-agent.test'));
    assert.equal(roles.get('files.pirate.test'), 'reported');
    assert.equal(roles.get('www.rights-agent.test'), 'context');
    assert.equal(roles.get('rights-agent.test'), 'context');
    const fr = await rolesOf(
      mail(
        'Service abus <abuse@fai.test>',
        'Notification de contrefaçon',
        "Bonjour,\n\nnous avons reçu la notification ci-dessous.\n\n-----Message d'origine-----\n> Le fichier http://fichiers.pirate.test/film.mkv porte atteinte aux droits de notre client.\n>\n> Cordialement,\n> Cabinet Droits\n> https://www.cabinet-droits.test\n>\n> Détail : http://fichiers.pirate.test/film.mkv\n",
      ),
    );
    assert.equal(fr.get('fichiers.pirate.test'), 'reported');
    assert.equal(fr.get('www.cabinet-droits.test'), 'context');
  });

  it('evidence listed right after a sign-off is no signature; a spam’s or phishing mail’s sign-off block is its own', async () => {
    const scan = await rolesOf(mail('Scan Team <scan@univ.test>', 'Open SNMP services', 'Hello,\n\nwe found open services on your network.\n\nBest regards,\nScan Team\n198.51.100.7\tSNMPv3 (UDP 161)\n198.51.100.8\tSNMPv3 (UDP 161)\n'));
    assert.equal(scan.get('198.51.100.7'), 'reported');
    const phish = await rolesOf(
      mail('Bob <bob@reporter.test>', 'Fwd: your account', 'Phishing, see below.\n\n---------- Forwarded message ---------\nFrom: Bank <info@bank-mail.test>\n\nYour account is locked. Unlock it now.\n\nRegards,\nSecurity Team\nhttp://unlock-account.evil.test/login\n\nThis is an automatic message.'),
    );
    assert.equal(phish.get('unlock-account.evil.test'), 'reported');
  });
});

describe('the genuine site a look-alike imitates', () => {
  it('in a phishing or trademark complaint, a named site whose name a reported host spells out is context (English and French)', async () => {
    const en = await rolesOf(mail('Bob <bob@reporter.test>', 'Phishing', 'Phishing page: http://acmebank-secure-login.evil.test/verify\nIt copies https://www.acmebank.test/login exactly.'));
    assert.equal(en.get('acmebank-secure-login.evil.test'), 'reported');
    assert.equal(en.get('www.acmebank.test'), 'context');
    const fr = await rolesOf(mail('Bob <bob@reporter.test>', 'Hameçonnage', "Page d'hameçonnage : http://login-impotsgouv-france.evil.test/\nElle reprend https://www.impots.test/accueil"));
    assert.equal(fr.get('login-impotsgouv-france.evil.test'), 'reported');
    assert.equal(fr.get('www.impots.test'), 'context');
    const tm = await rolesOf(mail('Agent <agent@brands.test>', 'Trademark infringement', 'The site adidas-outlet-sale.test sells counterfeits infringing the trademark of adidas.test.'));
    assert.equal(tm.get('adidas-outlet-sale.test'), 'reported');
    assert.equal(tm.get('adidas.test'), 'context');
  });

  it("in spam, a company's two domains stay reported; a generic word is no one's name", async () => {
    const spam = await rolesOf(mail('Ann <ann@reporter.test>', 'Spam', 'Unsolicited mail again, links to http://jobfinder.test/offers and http://jobfinderalerts.test/u'));
    assert.equal(spam.get('jobfinder.test'), 'reported');
    const generic = await rolesOf(mail('Bob <bob@reporter.test>', 'Phishing', 'Phishing page: http://secure-login.evil.test/ linked from https://secure.test/'));
    assert.equal(generic.get('secure.test'), 'reported');
  });
});
