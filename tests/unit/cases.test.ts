import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateCase, type CaseRuleSettings, type CaseState } from '../../src/cases/case-rules.ts';
import { noticePolicy } from '../../src/cases/notice-policy.ts';
import { campaignSignals, planReport } from '../../src/cases/plan-report.ts';
import { isTrusted } from '../../src/text/trusted-address.ts';
import { loadConfig } from '../../src/config/load.ts';
import { loadDirectory, sourceOf } from '../../src/directory/load-directory.ts';
import { composeMail } from '../../src/notify/compose.ts';
import { loadTemplates } from '../../src/notify/templates.ts';
import { parseMessage } from '../../src/parse/parse-message.ts';
import { decide } from '../../src/triage/decide.ts';
import { triageSettings } from '../../src/triage/triage-settings.ts';
import { caseReferenceIn } from '../../src/cases/replies.ts';
import { chooseRung } from '../../src/cases/ladder.ts';
import { statementOfReasons } from '../../src/actions/statement-export.ts';
import { campaignReport, threatReport } from '../support/case-scenarios.ts';
import { planAlone } from '../support/fresh-cases.ts';

const cfg: CaseRuleSettings = {
  raise: { high: { reporters: 5, reports: 20, fromOneReporter: 5 }, urgent: { reporters: 50, reports: 500, fromOneReporter: 50 } },
  noticeUpdateIntervalSec: 3600,
  realertIntervalSec: 600,
};
const now = new Date('2026-11-20T12:00:00Z');
const ago = (sec: number): Date => new Date(now.getTime() - sec * 1000);

function state(over: Partial<CaseState> = {}): CaseState {
  return {
    id: '1', ref: 'AD-2026-000001', created: false, customerId: 'C1', targetType: 'server', targetValue: '192.0.2.1', category: 'spam',
    policy: 'notify', status: 'open', priority: 'normal', trusted: false, reportCount: 1, reporterCount: 1, maxFromOne: 1,
    noticesSent: 0, notifiedAt: null, notifiedReports: 0, escalations: 0, escalatedAt: null, ...over,
  };
}
const inc = { priority: 'normal' as const, trusted: false, escalate: null };

describe('case rules', () => {
  it('a new case under notify policy sends its first notice; later reports wait for the update interval', () => {
    assert.deepEqual(evaluateCase(state({ created: true }), inc, cfg, now).notice, { seq: 1, newReports: 1 });
    const notified = { noticesSent: 1, notifiedAt: ago(60), notifiedReports: 1, reportCount: 5 };
    assert.equal(evaluateCase(state(notified), inc, cfg, now).notice, null, 'within the interval');
    assert.deepEqual(evaluateCase(state({ ...notified, notifiedAt: ago(3601) }), inc, cfg, now).notice, { seq: 2, newReports: 4 });
  });

  it('no customer, review or never: no notice; review and never wait for a person', () => {
    assert.equal(evaluateCase(state({ created: true, customerId: null }), inc, cfg, now).notice, null);
    const review = evaluateCase(state({ created: true, policy: 'review' }), inc, cfg, now);
    assert.equal(review.notice, null);
    assert.equal(review.status, 'awaiting_review');
    const never = evaluateCase(state({ created: true, policy: 'never', category: 'csam' }), inc, cfg, now);
    assert.equal(never.status, 'awaiting_review');
    assert.match(never.escalation!.reason, /never notified/);
  });

  it('volume raises priority: distinct reporters, reports, or reports from one reporter', () => {
    assert.equal(evaluateCase(state({ reporterCount: 4 }), inc, cfg, now).priority, 'normal');
    assert.equal(evaluateCase(state({ reporterCount: 5 }), inc, cfg, now).priority, 'high');
    assert.equal(evaluateCase(state({ reportCount: 20 }), inc, cfg, now).priority, 'high');
    assert.equal(evaluateCase(state({ maxFromOne: 5 }), inc, cfg, now).priority, 'high');
    const urgent = evaluateCase(state({ reporterCount: 50, priority: 'high' }), inc, cfg, now);
    assert.equal(urgent.priority, 'urgent');
    assert.match(urgent.escalation!.reason, /50 distinct reporters/);
    assert.deepEqual(urgent.events.find((e) => e.kind === 'priority')?.detail, { from: 'high', to: 'urgent', why: '50 distinct reporters' });
  });

  it('a trusted reporter lifts a case to high at least', () => {
    const c = evaluateCase(state({ created: true, priority: 'low' }), { ...inc, priority: 'low', trusted: true }, cfg, now);
    assert.equal(c.priority, 'high');
    assert.equal(c.trusted, true);
  });

  it('an urgent case escalates once, then re-alerts at most once per interval', () => {
    const u = { ...inc, priority: 'urgent' as const };
    assert.equal(evaluateCase(state({ created: true }), u, cfg, now).escalation!.seq, 1);
    assert.equal(evaluateCase(state({ escalations: 1, escalatedAt: ago(30), priority: 'urgent' }), u, cfg, now).escalation, null);
    assert.equal(evaluateCase(state({ escalations: 1, escalatedAt: ago(601), priority: 'urgent' }), u, cfg, now).escalation!.seq, 2);
    assert.equal(evaluateCase(state({ escalations: 1, escalatedAt: ago(99999), priority: 'urgent' }), u, { ...cfg, realertIntervalSec: 0 }, now).escalation, null);
  });

  it('a report a person must see moves an open case to review before any notice', () => {
    const c = evaluateCase(state({ created: true }), { ...inc, escalate: 'could not be analysed automatically' }, cfg, now);
    assert.equal(c.status, 'awaiting_review');
    assert.equal(c.notice, null);
    assert.equal(c.escalation!.reason, 'could not be analysed automatically');
  });
});

describe('notice policy', () => {
  const table: Array<[Parameters<typeof noticePolicy>[0], Parameters<typeof noticePolicy>[1], string]> = [
    ['harassment', 'account', 'review'], ['violence', 'account', 'review'], ['privacy', 'account', 'review'], ['hate', 'account', 'review'],
    ['violence', 'server', 'review'], ['csam', 'server', 'never'], ['csam', 'account', 'never'],
    ['spam', 'server', 'notify'], ['phishing', 'domain', 'notify'], ['malware', 'server', 'notify'], ['attack', 'server', 'notify'],
    ['copyright', 'server', 'notify'], ['trademark', 'domain', 'notify'], ['defamation', 'server', 'notify'], ['fraud', 'domain', 'notify'],
    ['harassment', 'server', 'notify'],
  ];
  for (const [category, type, want] of table) {
    it(`${category} on ${type} → ${want}`, () => assert.equal(noticePolicy(category, type), want));
  }
  it('config rules come first', () => {
    assert.equal(noticePolicy('fraud', 'account', [{ category: 'fraud', targetType: 'account', policy: 'review' }]), 'review');
    assert.equal(noticePolicy('fraud', 'domain', [{ category: 'fraud', targetType: 'account', policy: 'review' }]), 'notify');
  });
});

describe('report plan and mails', async () => {
  const config = loadConfig({ overrides: { accounts: { atHandles: true }, log: { level: 'silent' } }, env: {} });
  const directory = await loadDirectory(sourceOf(config.directory));
  const templates = loadTemplates(config.templates.dir);
  const settings = { trustedReporters: ['cert.example.org', 'hotline@inhope.example'], noticePolicy: [] };

  it('trusted reporters by address or domain', () => {
    assert.equal(isTrusted('soc@cert.example.org', settings.trustedReporters), true);
    assert.equal(isTrusted('a@sub.cert.example.org', settings.trustedReporters), true);
    assert.equal(isTrusted('a@notcert.example.org', settings.trustedReporters), false);
    assert.equal(isTrusted('Hotline@INHOPE.example', settings.trustedReporters), true);
    assert.equal(isTrusted('other@inhope.example', settings.trustedReporters), false);
  });

  it('threats from two accounts: two review cases, an escalation, no notice and nothing quoted', async () => {
    const m = await parseMessage(threatReport(0, 'unit').raw, config.limits);
    const d = decide(m, directory, triageSettings(config));
    const input = planReport(m, d, 'msg-0123456789abcdef0123456789abcdef', '2026-11-20T12:00:00Z', settings);
    assert.deepEqual(input.links.map((l) => [l.customerId, l.targetType, l.targetValue, l.policy]), [['C100', 'account', 'some_handle', 'review'], ['C300', 'account', 'troll_account', 'review']]);
    assert.equal(input.reporter!.address, 'salome.victim@reporter.test');
    const mails = planAlone(m, d, directory, config, 'oncall@desk.test');
    assert.deepEqual(mails.map((x) => x.kind).sort(), ['acknowledgement', 'escalation']);
    const ack = composeMail(mails.find((x) => x.kind === 'acknowledgement')!, templates, { deskName: 'Desk', from: 'abuse@example.net' });
    assert.match(ack.text, /AD-2026-000001[\s\S]*AD-2026-000002/);
    assert.match(ack.text.replace(/\s+/g, ' '), /reviews it before anything is sent/);
  });

  it('a spam report carries campaign signals: its servers and domains, and its body ignoring per-recipient digits', async () => {
    const a = await parseMessage(campaignReport(1, 'unit').raw, config.limits);
    const b = await parseMessage(campaignReport(4, 'unit').raw, config.limits);
    const sa = campaignSignals(a, decide(a, directory, triageSettings(config)));
    const sb = campaignSignals(b, decide(b, directory, triageSettings(config)));
    assert.ok(sa.includes('server:203.0.113.8'));
    assert.ok(sa.includes('domain:pills-campaign.test'));
    const body = (s: string[]) => s.find((x) => x.startsWith('body:'));
    assert.ok(body(sa));
    assert.equal(body(sa), body(sb), 'the same spam to two people has one body fingerprint');
  });

  it('a report naming no target gets a case of its own, keyed by the message', async () => {
    const raw = Buffer.from('From: Kim <kim@reporter.test>\r\nTo: abuse@example.net\r\nSubject: help\r\nMessage-ID: <n1@reporter.test>\r\n\r\nSomeone is scamming people, please stop them.\r\n');
    const m = await parseMessage(raw, config.limits);
    const d = decide(m, directory, triageSettings(config));
    const a = planReport(m, d, 'msg-00000000000000000000000000000001', '2026-11-20T12:00:00Z', settings);
    const b = planReport(m, d, 'msg-00000000000000000000000000000002', '2026-11-20T12:00:00Z', settings);
    assert.equal(a.links.length, 1);
    assert.equal(a.links[0]!.targetType, 'none');
    assert.notEqual(a.links[0]!.key, b.links[0]!.key);
  });

  it("a notice about a hosted page quotes the redacted complaint; one about an account quotes nothing", async () => {
    const raw = Buffer.from('From: Kim Reporter <kim@reporter.test>\r\nTo: abuse@example.net\r\nSubject: phishing\r\nMessage-ID: <u1@reporter.test>\r\n\r\nThis page steals passwords: http://www.example.test/login\r\nKim\r\n');
    const m = await parseMessage(raw, config.limits);
    const notice = planAlone(m, decide(m, directory, triageSettings(config)), directory, config).find((x) => x.kind === 'notice')!;
    assert.match(notice.excerpt!, /steals passwords/);
    const acct = Buffer.from('From: Kim Reporter <kim@reporter.test>\r\nTo: abuse@example.net\r\nSubject: spam account\r\nMessage-ID: <u2@reporter.test>\r\n\r\nThe account @some_handle posts spam links all day.\r\n');
    const m2 = await parseMessage(acct, config.limits);
    const n2 = planAlone(m2, decide(m2, directory, triageSettings(config)), directory, config).find((x) => x.kind === 'notice');
    assert.ok(n2, 'spam from an account is notified');
    assert.equal(n2.excerpt, undefined);
    assert.ok(!composeMail(n2, templates, { deskName: 'Desk', from: 'abuse@example.net' }).text.includes('posts spam links'));
  });
});

describe('statement of reasons export', () => {
  it('maps a decision on the law against an account, reported by a trusted flagger through automated reports', () => {
    const sor = statementOfReasons({
      ref: 'AD-2026-000042', category: 'hate', targetType: 'account', target: 'some_handle', reports: 3,
      firstSeen: new Date('2026-11-01T10:00:00Z'), lastSeen: new Date('2026-11-03T10:00:00Z'), closedAt: new Date('2026-11-04T09:00:00Z'),
      trusted: true, automatedDetection: true, ground: 'Penal code, art. 24', groundType: 'illegal', restriction: 'account_suspended', reason: null,
    });
    assert.equal(sor.decision_ground, 'DECISION_GROUND_ILLEGAL_CONTENT');
    assert.equal(sor.illegal_content_legal_ground, 'Penal code, art. 24');
    assert.equal(sor.decision_account, 'DECISION_ACCOUNT_SUSPENDED');
    assert.equal(sor.decision_visibility, undefined);
    assert.equal(sor.category, 'STATEMENT_CATEGORY_DISCRIMINATION');
    assert.equal(sor.source_type, 'SOURCE_TRUSTED_FLAGGER');
    assert.equal(sor.automated_detection, 'Yes');
    assert.equal(sor.automated_decision, 'No');
    assert.equal(sor.application_date, '2026-11-04');
    assert.match(String(sor.decision_facts), /3 notice\(s\) of hate about some_handle received between 2026-11-01 and 2026-11-03/);
  });
});

describe('graduated response ladder', () => {
  const ladder = loadConfig({ env: {} }).ladder;
  // n earlier incidents, their cases unnamed.
  const incidents = (count: number) => ({ count, refs: [] });
  it('climbs one rung per earlier incident, from the first rung, and stays on the last', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 9].map((n) => chooseRung(incidents(n), 'spam', [], ladder).rung.name), ['reminder', 'warning', 'final_notice', 'suspension_recommended', 'suspension_recommended', 'suspension_recommended']);
    assert.equal(chooseRung(incidents(3), 'spam', [], ladder).rung.confirm, true);
  });
  it('adds the category severity and the flags as configured, never below the first rung', () => {
    const cfg = { ...ladder, severity: { malware: 1 } };
    assert.equal(chooseRung(incidents(0), 'malware', [], cfg).rung.name, 'warning');
    assert.equal(chooseRung(incidents(2), 'spam', ['good_faith'], cfg).rung.name, 'warning');
    assert.equal(chooseRung(incidents(2), 'spam', ['good_faith', 'compromised'], cfg).rung.name, 'reminder');
    assert.equal(chooseRung(incidents(0), 'spam', ['good_faith', 'compromised'], cfg).rung.name, 'reminder');
    assert.match(chooseRung(incidents(2), 'malware', ['compromised'], cfg).why, /2 earlier incident\(s\) in 365 days, \+1 for malware, -1 for compromised/);
  });
});

describe('replies to our mail', () => {
  const msg = (over: Record<string, unknown>) => ({ subject: '', inReplyTo: null, references: [], to: [], cc: [], ...over }) as unknown as Parameters<typeof caseReferenceIn>[0];
  it('finds the case from our Message-ID in the thread, with the kind of mail answered', () => {
    assert.deepEqual(caseReferenceIn(msg({ inReplyTo: '<AD-2026-000123#1.notice.0123456789abcdef@example.net>' }), 'AD', 'example.net'), { ref: 'AD-2026-000123', via: 'thread', kind: 'notice' });
    assert.deepEqual(caseReferenceIn(msg({ references: ['<x@y>', '<AD-2026-000042#resolved-1.statement.0123456789abcdef@example.net>'] }), 'AD', 'example.net')?.kind, 'statement');
  });
  it("ignores other domains' ids, and falls back to the subject", () => {
    assert.equal(caseReferenceIn(msg({ inReplyTo: '<AD-2026-000123#1.notice.0123456789abcdef@evil.test>' }), 'AD', 'example.net'), null);
    assert.deepEqual(caseReferenceIn(msg({ subject: 'RE: [AD-2026-000777] Abuse complaint' }), 'AD', 'example.net'), { ref: 'AD-2026-000777', via: 'subject' });
    assert.equal(caseReferenceIn(msg({ subject: 'AD-2026-000777 without brackets' }), 'AD', 'example.net'), null);
  });
  it('finds the case from our plus-address among the recipients', () => {
    const m = msg({ to: [{ name: '', address: 'abuse+AD-2026-000555@example.net' }], cc: [] });
    assert.deepEqual(caseReferenceIn(m, 'AD', 'example.net'), { ref: 'AD-2026-000555', via: 'address' });
    assert.equal(caseReferenceIn(msg({ to: [{ name: '', address: 'abuse+AD-2026-000555@other.test' }], cc: [] }), 'AD', 'example.net'), null);
  });

  it('stays fast on hostile headers', () => {
    const t0 = performance.now();
    caseReferenceIn(msg({ subject: '['.repeat(100_000) + 'AD-2026-', references: Array.from({ length: 10_000 }, () => '<' + 'a'.repeat(1000)) }), 'AD', 'example.net');
    assert.ok(performance.now() - t0 < 1000, "like every scan of hostile input: linear, well under a second");
  });
});
