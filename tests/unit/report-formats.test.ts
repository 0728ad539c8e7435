import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { zipSync, strToU8 } from 'fflate';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { loadConfig } from '../../src/config/load.ts';
import { loadDirectory, sourceOf } from '../../src/directory/load-directory.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { decide } from '../../src/triage/decide.ts';
import { triageSettings } from '../../src/triage/triage-settings.ts';
import type { Verdict } from '../../src/triage/verdict.ts';

const config = loadConfig({ env: {} });
const directory = await loadDirectory(sourceOf(config.directory));
const settings = { ...triageSettings(config), ownDomains: ['example.net'] };
const limits = { maxMessageBytes: 5e6, maxTextChars: 1e6 };
const fixture = (name: string) => readFileSync(new URL(`../fixtures/xarf-v4/${name}`, import.meta.url));

type Mail = ConstructorParameters<typeof MailComposer>[0];
async function triage(mail: Mail): Promise<Verdict> {
  const raw = await new MailComposer({ from: 'reports@feeds.test', to: 'abuse@example.net', messageId: '<r@feeds.test>', ...mail }).compile().build();
  return decide(await parseMessage(raw, limits), directory, settings);
}
const values = (d: Verdict) => d.targets.map((t) => t.value);

const CSV = [
  '"timestamp","ip","protocol","port","hostname","tag","asn"',
  '"2024-05-01 00:00:01","192.0.2.10","tcp",6379,"db.example.test","redis",64500',
  '"2024-05-01 00:00:02","203.0.113.7","tcp",6379,,"redis",64500',
  '"2024-05-01 00:00:03","192.0.2.10","tcp",6380,"db.example.test","redis",64500',
  '"2024-05-01 00:00:04","0.0.0.0","tcp",6379,,"redis",64500',
].join('\n');

describe('CSV feeds, zipped or not', () => {
  it("takes the host name column that goes with the address column, not another party's host (a sinkhole's requested host)", async () => {
    const csv = [
      '"timestamp","http_referer_ip","http_referer_hostname","dst_ip","dst_hostname","http_host"',
      '"2024-05-01 00:00:01","192.0.2.10","infected.example.test","198.51.100.9","sinkhole.elsewhere.test","c2.elsewhere.test"',
    ].join('\n');
    const d = await triage({
      subject: 'Sinkhole HTTP Referer Report',
      text: 'Attached is the report.',
      attachments: [{ filename: '2024-05-01-event4_sinkhole_http_referer-example-asn.csv', content: Buffer.from(csv), contentType: 'text/csv' }],
    });
    const reported = d.targets.filter((t) => t.role === 'reported').map((t) => t.value).sort();
    assert.deepEqual(reported, ['192.0.2.10', 'example.test'], 'the referer and its host name; not the sinkhole or the domain the bot asked for');
  });

  it('reads every row of a zipped Shadowserver-style CSV as a target, and names the category from the report name', async () => {
    const zip = Buffer.from(zipSync({ '2024-05-01-scan_redis-example-asn.csv': strToU8(CSV) }));
    const d = await triage({
      subject: 'Accessible Redis Server Report: 2024-05-01',
      text: 'Attached is the report.',
      headers: { 'List-Id': '<example.lists.feeds.test>' }, // feeds often come through list software
      attachments: [{ filename: '2024-05-01-scan_redis-example-asn.csv.zip', content: zip, contentType: 'application/zip' }],
    });
    assert.equal(d.isComplaint, true, 'list headers do not make a feed a newsletter');
    assert.equal(d.automated, true);
    assert.deepEqual(values(d).sort(), ['192.0.2.10', '203.0.113.7', 'example.test'], 'one target per address (0.0.0.0 is a placeholder), and the rows\' host names');
    assert.equal(d.category, 'other', 'an exposed service: the customer must fix it');
    assert.match(d.why.join('\n'), /feed .*scan_redis.*: 4 rows, 2 addresses in column "ip"/);
    assert.deepEqual(d.actions.filter((a) => a.kind === 'notify').map((a) => a.kind === 'notify' && a.customerId), ['C100', 'C200'], 'one notice per customer');
    assert.equal(d.actions.some((a) => a.kind === 'acknowledge'), false, 'machine reports are not acknowledged');
  });

  it('reads the source column of honeypot events, never the sensor (dst_ip)', async () => {
    const csv = '"timestamp","protocol","src_ip","src_port","dst_ip","dst_port"\n"2024-05-01 20:55:02","udp","198.51.100.3",500,"192.0.2.99",500\n';
    const d = await triage({ subject: 'Honeypot IKEv2 Scanner Events Report', text: 'See attachment.', attachments: [{ filename: '2024-05-01-event4_honeypot_ikev2_scan-x-asn.csv', content: csv, contentType: 'text/csv' }] });
    assert.deepEqual(values(d), ['198.51.100.3']);
    assert.equal(d.category, 'attack');
  });

  it('keeps a zip bomb out: an entry that says it inflates past the limit is not read', async () => {
    const huge = Buffer.from(zipSync({ 'big.csv': new Uint8Array(20 * 1024 * 1024).fill(0x41) }, { level: 9 }));
    const m = await parseMessage(await new MailComposer({ from: 'x@feeds.test', to: 'abuse@example.net', subject: 's', text: 't', attachments: [{ filename: 'big.zip', content: huge }] }).compile().build(), limits);
    assert.deepEqual(m.attachments.map((a) => a.filename), ['big.zip']);
  });

  it('a damaged zip is kept as a binary part, not an error', async () => {
    const m = await parseMessage(await new MailComposer({ from: 'x@feeds.test', to: 'abuse@example.net', subject: 's', text: 't', attachments: [{ filename: 'ips.zip', content: Buffer.from('PK\x03\x04 not really a zip') }] }).compile().build(), limits);
    assert.deepEqual(m.attachments.map((a) => [a.filename, a.text]), [['ips.zip', null]]);
  });
});

describe('XARF v4 JSON', () => {
  it('reads a valid report: category and type map directly, the source, URL and domain are targets', async () => {
    const d = await triage({ subject: 'XARF report', text: 'Report attached.', attachments: [{ filename: 'report.json', content: fixture('content-phishing.json'), contentType: 'application/json' }] });
    assert.equal(d.mailKind, 'xarf');
    assert.equal(d.category, 'phishing');
    assert.equal(d.priority, 'high');
    assert.deepEqual(values(d).sort(), ['203.0.113.45', 'secure-banking-login.example.com', 'xn--acuaparquedelacaa-uxb.co']);
    assert.deepEqual(d.targets.find((t) => t.value === 'secure-banking-login.example.com')?.seen, ['http://secure-banking-login.example.com/auth']);
    assert.ok(d.why.includes('report: valid against the XARF v4 schema'));
    assert.ok(d.why.some((w) => w.includes('XARF v4 category/type: content/phishing → phishing')));
  });

  it('maps connection/login_attack to attack and notifies the customer of the source address', async () => {
    const json = fixture('connection-login-attack.json').toString().replace('198.51.100.77', '198.51.100.5');
    const d = await triage({ subject: 'Login attack', text: json });
    assert.equal(d.category, 'attack');
    assert.deepEqual(values(d), ['198.51.100.5']);
    assert.deepEqual(d.actions.map((a) => a.kind === 'notify' && a.customerId).filter(Boolean), ['C100']);
  });

  it('says what the schema rejects, and still reads the report', async () => {
    const doc = JSON.parse(fixture('content-phishing.json').toString()) as Record<string, unknown>;
    delete doc.report_id;
    doc.reporter = { org: 'x' };
    const d = await triage({ subject: 'XARF', text: 'see file', attachments: [{ filename: 'r.json', content: JSON.stringify(doc) }] });
    assert.ok(d.why.some((w) => /^report: not valid against the XARF v4 schema: .*report_id/.test(w)), d.why.join('\n'));
    assert.equal(d.category, 'phishing');
  });

  it('reads the fields of broken JSON one by one (senders do forget commas)', async () => {
    const broken = '{ "Version": "3", "Report": { "ReportClass": "Content", "ReportType": "Malware", "SourceIp": "192.0.2.10" "Ongoing": true } }';
    const d = await triage({ subject: 'Malicious Activity Report', text: 'attached', attachments: [{ filename: 'XARF-Report.json', content: broken, contentType: 'application/json' }] });
    assert.equal(d.category, 'malware');
    assert.deepEqual(values(d), ['192.0.2.10']);
    assert.ok(d.why.some((w) => w.startsWith('report: not valid JSON')));
  });
});

describe('reports through list software, forwards and HTML', () => {
  it('a CERT notification sent with Precedence: bulk is a machine complaint; a security newsletter is not', async () => {
    const cert = await triage({ subject: '[CERT.PL #1] [malicious code] hosted on 192.0.2.10', text: 'Our logs indicate that your site hosts malicious content on 192.0.2.10.', headers: { Precedence: 'bulk' } });
    assert.equal(cert.isComplaint, true);
    assert.equal(cert.automated, true);
    assert.deepEqual(values(cert), ['192.0.2.10']);
    const news = await triage({ subject: 'This week in security: phishing trends', text: 'Read about 192.0.2.10', headers: { 'List-Unsubscribe': '<mailto:u@news.test>' } });
    assert.equal(news.isComplaint, false);
  });

  it('a bare forward of a spam is a spam report; a forwarded threat is still urgent', async () => {
    const spam = await triage({
      from: 'Pat <pat@reporter.test>',
      subject: 'Fwd: Exclusive offer, act now',
      text: '\n---------- Forwarded message ---------\nFrom: Win <win@spammer.test>\nSubject: Exclusive offer\n\nThe terrorist of prices is back! http://www.example.test/offer\n',
    });
    assert.equal(spam.category, 'spam');
    assert.match(spam.why.join('\n'), /forwarded or attached message, and no complaint wording/);
    const threat = await triage({
      from: 'Pat <pat@reporter.test>',
      subject: 'Fwd: you',
      text: '\n---------- Forwarded message ---------\nFrom: X <x@www.example.test>\n\nI will kill you tomorrow.\n',
    });
    assert.equal(threat.category, 'violence');
    assert.equal(threat.priority, 'urgent');
  });

  it('reads an HTML-only body inside multipart/mixed', async () => {
    const d = await triage({ from: 'Pat <pat@reporter.test>', subject: 'Phishing', html: '<p>Phishing page at <b>hxxps[://]www[.]example[.]test[/]login</b></p>', attachments: [{ filename: 'shot.png', content: Buffer.from([0x89, 0x50]) }] });
    assert.deepEqual(d.targets.map((t) => [t.value, t.seen]), [['www.example.test', ['https://www.example.test/login']]]);
  });

  it('a site owner copied in stays a target; another desk copied in does not', async () => {
    const d = await triage({ from: 'Pat <pat@reporter.test>', to: 'abuse@example.net, abuse@other-host.test', cc: 'info@shop.test', subject: 'Counterfeit goods', text: 'Counterfeit goods sold at https://shop.test/bags and reported to abuse@other-host.test (see https://other-host.test/policy).' });
    assert.deepEqual(values(d), ['shop.test']);
  });

  it('a CFBL complaint (RFC 9477) is the reported message: spam from its sender and the server that sent it', async () => {
    const raw = [
      'Received: from out.shop.test (out.shop.test [203.0.113.25]) by mx.mailbox.test with ESMTPS; Tue, 5 Sep 2023 08:49:36 +0800',
      'From: Deals <news@shop.test>', 'To: someone@mailbox.test', 'Subject: Super deals', 'Date: Tue, 05 Sep 2023 08:49:36 +0800',
      'CFBL-Address: abuse@example.net; report=arf', 'CFBL-Feedback-ID: 111:222', 'List-Unsubscribe: <mailto:u@shop.test>', 'Message-ID: <n1@shop.test>',
      '', 'Deals!', '',
    ].join('\r\n');
    const d = decide(await parseMessage(Buffer.from(raw), limits), directory, settings);
    assert.equal(d.isComplaint, true, 'its list headers are the newsletter\'s, not ours');
    assert.equal(d.category, 'spam');
    assert.deepEqual(values(d), ['203.0.113.25', 'shop.test']);
    assert.equal(d.actions.some((a) => a.kind === 'acknowledge'), false);
  });

  it('a DMARC aggregate report is statistics, not a complaint; a reporting service is a machine', async () => {
    const dmarc = await triage({ from: 'dmarc@mailbox.test', subject: 'Report Domain: example.test Submitter: mailbox.test Report-ID: 123', text: 'see attachment' });
    assert.equal(dmarc.isComplaint, false);
    const spamcop = await triage({ from: '123@reports.spamcop.net', subject: '[SpamCop (192.0.2.10) id:1] Buy now', text: 'Spam from 192.0.2.10' });
    assert.equal(spamcop.mailKind, 'machine');
    assert.match(spamcop.why[0]!, /reporting service \(rules: machineSenders\)/);
    assert.equal(spamcop.actions.some((a) => a.kind === 'acknowledge'), false);
  });
});
