import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Indicator } from '../../src/classify/indicator.ts';
import { loadConfig } from '../../src/config/load.ts';
import { loadDirectory, sourceOf } from '../../src/directory/load-directory.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { applyLearned, reportSource, type LearnedRule } from '../../src/triage/learned-rules.ts';
import { triageSettings } from '../../src/triage/triage-settings.ts';
import type { Verdict } from '../../src/triage/verdict.ts';

const config = loadConfig({ env: {} });
const directory = await loadDirectory(sourceOf(config.directory));
const settings = triageSettings(config);

const mail = (from: string, subject: string, body: string, extra = ''): Buffer =>
  Buffer.from(`From: ${from}\r\nTo: abuse@example.net\r\nSubject: ${subject}\r\nMessage-ID: <basis.${Math.random()}@reporter.test>\r\n${extra}\r\n${body.replace(/\n/g, '\r\n')}\r\n`);
const verdict = async (raw: Buffer, s = settings, learned: LearnedRule[] = []): Promise<Verdict> => {
  const { conclude, analyse } = await import('../../src/triage/decide.ts');
  const m = await parseMessage(raw, config.limits);
  return conclude(analyse(m, s), m, directory, s, new Map(), learned);
};
const basis = (d: Verdict, value: string): string | undefined => d.targets.find((t) => t.value === value)?.basis;
const PERSON = 'Dana Reporter <dana@reporter.test>';

describe('how sure a reported target is', () => {
  it('accuses the name its sentence accuses, and only the nearest name', async () => {
    const d = await verdict(mail(PERSON, 'Help', 'Hello,\n\nThe phishing page at http://secure-login.registrant.test/x copies https://www.shop.test/ closely.\nAlso https://www.example.test/ is fine.\n\nDana'));
    assert.equal(basis(d, 'registrant.test'), 'accused');
    assert.match(d.targets.find((t) => t.value === 'registrant.test')!.basisWhy!, /phishing/);
    // In the same sentence, but "phishing" is nearer the other name.
    assert.equal(basis(d, 'www.shop.test'), 'named');
    assert.equal(basis(d, 'www.example.test'), 'named');
  });

  it('reads a sentence wrapped over lines to its end, so the accused name is the nearest one', async () => {
    const d = await verdict(mail(PERSON, 'Takedown', 'We act for Shop Hosting. Their website is https://www.shop.test/ and we\nfound a page copying its login form, a phishing page, at\nhttp://secure-login.registrant.test/shop/signin\nPlease remove it.\n\nDana'));
    assert.equal(basis(d, 'www.shop.test'), 'named');
    assert.equal(basis(d, 'registrant.test'), 'accused');
  });

  it('accuses a bare name under a line that accuses, in English and French', async () => {
    const en = await verdict(mail(PERSON, 'Report', 'Hello,\n\nThese two sites host malware:\n\nhttp://www.shop.test/a.exe\n- http://203.0.113.9/b.exe\n\nThanks,\nDana'));
    assert.equal(basis(en, 'www.shop.test'), 'accused');
    assert.equal(basis(en, '203.0.113.9'), 'accused');
    const fr = await verdict(mail(PERSON, 'Signalement', 'Bonjour,\n\nVoici une arnaque hébergée chez vous :\n\nhttp://www.shop.test/cadeau\n\nVoir aussi le site de la mairie http://www.example.test/\n\nCordialement,\nDana'));
    assert.equal(basis(fr, 'www.shop.test'), 'accused');
    assert.equal(basis(fr, 'www.example.test'), 'named');
  });

  it('takes the subject, a labelled field and a defanged name as accusations; words inside a link are not', async () => {
    const subject = await verdict(mail(PERSON, 'Abuse from www.shop.test', 'Hello, see https://www.shop.test/offer and https://www.example.test/.\n\nDana'));
    assert.equal(basis(subject, 'www.shop.test'), 'accused');
    assert.equal(basis(subject, 'www.example.test'), 'named');
    const label = await verdict(mail(PERSON, 'Report', 'Hello,\n\nOffending URL: http://www.shop.test/x\nReference: https://www.example.test/phishing-guide/\n\nDana'));
    assert.equal(basis(label, 'www.shop.test'), 'accused');
    assert.equal(basis(label, 'www.example.test'), 'named', 'the word "phishing" in its own path accuses nothing');
    const defanged = await verdict(mail(PERSON, 'Report', 'Hello,\n\nthis scam hxxp://www.shop[.]test/win and our page https://www.example.test/\n\nDana'));
    assert.equal(basis(defanged, 'www.shop.test'), 'accused');
  });

  it("names, and no more, what only the forwarded copy holds; the mail path's source is stated", async () => {
    const raw = mail(
      PERSON,
      'Fwd: You won',
      'Please stop this spam.\n\n---------- Forwarded message ---------\nFrom: Winner <win@lottery.test>\nDate: Mon, 1 Dec 2026 10:00:00 +0000\nSubject: You won\nTo: <dana@reporter.test>\n\nClaim at http://www.shop.test/claim now\n',
    );
    const d = await verdict(raw);
    assert.equal(basis(d, 'www.shop.test'), 'named');
    assert.match(d.targets.find((t) => t.value === 'www.shop.test')!.basisWhy!, /copy/);
    // Named and a customer's: not notified, to confirm; the reporter is still answered.
    assert.ok(d.actions.some((a) => a.kind === 'acknowledge'));
    assert.ok(!d.actions.some((a) => a.kind === 'notify' && a.targets.includes('www.shop.test')));
    assert.deepEqual(d.actions.find((a) => a.kind === 'confirm'), { kind: 'confirm', targets: ['www.shop.test'] });
    // Loosened for spam, it is notified as before.
    const loose = await verdict(raw, { ...settings, namedTargets: { notifyCategories: ['spam'], notifyReporters: [] } });
    assert.ok(loose.actions.some((a) => a.kind === 'notify' && a.targets.includes('www.shop.test')));
    assert.equal(loose.targets.find((t) => t.value === 'www.shop.test')!.toConfirm, undefined);
    const trusted = await verdict(raw, { ...settings, namedTargets: { notifyCategories: [], notifyReporters: ['reporter.test'] } });
    assert.ok(trusted.actions.some((a) => a.kind === 'notify' && a.targets.includes('www.shop.test')));
  });

  it('accuses the one name a complaint gives, whatever its words', async () => {
    const d = await verdict(mail(PERSON, 'Phishing page on your network', 'Hello,\n\nThe following page imitates my bank and is hosted on your network:\nhttp://www.shop.test/login\n\nDana'));
    assert.equal(basis(d, 'www.shop.test'), 'accused');
    assert.ok(d.actions.some((a) => a.kind === 'notify'));
  });

  it('states what a machine report lists', async () => {
    const d = await verdict(mail('Scanner <noreply@scanner.test>', 'Abuse report', 'Time\tSource\tPort\tType\n2026-12-01 10:00\t203.0.113.77\t22\tssh\n', 'Auto-Submitted: auto-generated\r\n'));
    assert.equal(basis(d, '203.0.113.77'), 'stated');
  });
});

describe('learned target rules', () => {
  const cert = (n: number, from = 'CERT <soc@nat-cert.test>'): Buffer =>
    mail(from, `Phishing [${n}]`, `Dear colleagues,\n\nWe were told of a phishing site on your network:\n\nhttp://203.0.113.45/login?n=${n}\n\nMore about us: https://alerte.example.test/about\n\nRegards,\nCERT`);

  it("applies a dismissal to the same sender's reports of the same form only", async () => {
    const first = await verdict(cert(1));
    const page = first.targets.find((t) => t.value === 'example.test')!;
    assert.equal(page.basis, 'named');
    const rule: LearnedRule = { id: '7', source: 'nat-cert.test', shape: page.shape!, value: 'example.test', verdict: 'dismiss', originRef: 'AD-2026-000001' };
    // The shape is the same in the next report, whose numbers differ.
    assert.equal((await verdict(cert(2))).targets.find((t) => t.value === 'example.test')!.shape, page.shape);
    const next = await verdict(cert(2), settings, [rule]);
    assert.equal(next.targets.find((t) => t.value === 'example.test')!.role, 'context');
    assert.match(next.targets.find((t) => t.value === 'example.test')!.why, /AD-2026-000001/);
    assert.ok(!next.actions.some((a) => a.kind === 'confirm'));
    assert.ok(next.why.some((w) => w.startsWith('learned: ')));
    // Another sender naming the same page is unaffected, even handed the rule.
    const other = await verdict(cert(3, 'Someone <someone@elsewhere.test>'), settings, [rule]);
    assert.equal(other.targets.find((t) => t.value === 'example.test')!.role, 'reported');
    // The same page at another place of the CERT's report is unaffected too.
    const moved = await verdict(mail('CERT <soc@nat-cert.test>', 'Phishing', 'Dear colleagues,\n\nThe phishing kit on https://alerte.example.test/kit/ is active.\n\nRegards,\nCERT'), settings, [rule]);
    assert.equal(moved.targets.find((t) => t.value === 'example.test')!.role, 'reported');
  });

  it('confirms a named name for that sender: it is accused and notified', async () => {
    const first = await verdict(cert(1));
    const page = first.targets.find((t) => t.value === 'example.test')!;
    const rule: LearnedRule = { id: '8', source: 'nat-cert.test', shape: page.shape!, value: 'example.test', verdict: 'confirm', originRef: null };
    const next = await verdict(cert(4), settings, [rule]);
    assert.equal(next.targets.find((t) => t.value === 'example.test')!.basis, 'accused');
    assert.ok(next.actions.some((a) => a.kind === 'notify' && a.customerId === 'C100'));
  });

  it('keeps rules against the registrable domain of From', () => {
    assert.equal(reportSource({ from: { address: 'alerts@mail.cert.example.ro', name: '' } }), 'example.ro');
    assert.equal(reportSource({ from: null }), null);
    const ind: Indicator = { kind: 'host', value: 'x.test', host: 'x.test', role: 'reported', shape: 's' };
    assert.deepEqual(applyLearned([ind], [], 'a.test'), [ind]);
  });
});
