import type { Config } from '../config/schema.ts';
import { openCaseStore } from '../cases/case-db.ts';
import { exportCases, listCases, showCase, type CaseFilter, type CaseListRow } from '../cases/case-queries.ts';
import { migrate } from '../cases/migrate.ts';
import { actedCases, statementOfReasons } from '../actions/statement-export.ts';
import { casePool } from '../cases/case-db.ts';
import { searchCases, searchKindOf } from '../cases/case-lists.ts';
import { rederiveDeadlines } from '../ops/sla-deadlines.ts';
import { caseReports } from '../cases/report-queries.ts';
import { reportsFor, type ReportForReader } from '../http/report-presenter.ts';

export interface CasesOptions extends CaseFilter {
  json?: boolean;
  /** export: statements of reasons instead of cases. */
  sor?: boolean;
  reporters?: boolean;
}

const out = (s: string): void => void process.stdout.write(`${s}\n`);

/** `abuse-desk db migrate`: applies pending migrations and says which. */
export async function dbCommand(sub: string | undefined, config: Readonly<Config>): Promise<number> {
  if (sub !== 'migrate') {
    process.stderr.write('abuse-desk db: the command is "db migrate"\n');
    return 2;
  }
  const pool = casePool(config.cases);
  try {
    const applied = await migrate(pool, config.cases.schema);
    out(applied.length ? `applied migrations ${applied.join(', ')} to schema ${config.cases.schema}` : `schema ${config.cases.schema} is up to date`);
    return 0;
  } finally {
    await pool.end();
  }
}

/** `abuse-desk cases list|show|export|purge`. */
export async function casesCommand(args: string[], o: CasesOptions, config: Readonly<Config>): Promise<number> {
  const [sub, ref] = args;
  const store = await openCaseStore(config);
  try {
    switch (sub) {
      case 'list': {
        const rows = await listCases(store.pool, o);
        if (o.json) for (const r of rows) out(JSON.stringify(r));
        else printTable(rows);
        return 0;
      }
      case 'show': {
        if (!ref) return usage('abuse-desk cases show REF [--reporters] [--json]');
        const c = await showCase(store.pool, ref, o.reporters);
        if (!c) {
          process.stderr.write(`abuse-desk: no case ${ref}\n`);
          return 1;
        }
        // The reports as received (as a viewer reads them unless --reporters: a printout must not identify the reporter).
        const reports = await caseReports(store.pool, ref, { offset: 0, limit: 100 });
        const read = reportsFor(o.reporters ? 'admin' : 'viewer', reports?.reports ?? []);
        if (o.json) out(JSON.stringify({ ...c, reports: read }));
        else printCase(c, read);
        return 0;
      }
      case 'export': {
        if (o.sor) {
          // Statements of reasons, in the fields of the EU transparency database.
          for await (const c of actedCases(store.pool)) out(JSON.stringify(statementOfReasons(c)));
          return 0;
        }
        for await (const c of exportCases(store.pool)) {
          const { id: _id, ...row } = c;
          out(JSON.stringify(row));
        }
        return 0;
      }
      case 'purge': {
        const closed = await store.closeQuiet();
        const n = await store.purgeReporters(config.cases.retention.reporterDataDays);
        const e = await store.purgeEvidence(config.cases.retention.reporterDataDays);
        out(`${closed} quiet case(s) closed; ${n} reporter(s) and the evidence of ${e} report(s) erased (cases closed more than ${config.cases.retention.reporterDataDays} days ago)`);
        return 0;
      }
      case 'rederive-deadlines': {
        // After a change of the SLA policy (limits, business hours): every open case's stored deadline again.
        const n = await rederiveDeadlines(store.pool, config.sla);
        out(`deadlines of ${n} open case(s) derived from the SLA policy in config`);
        return 0;
      }
      case 'search': {
        const q = args.slice(1).join(' ');
        if (!q) return usage('abuse-desk cases search WORDS|REF|TARGET|ADDRESS|<MESSAGE-ID> [--json]');
        // The CLI is the desk's own staff on its host: every kind of search, the reporter's address included.
        const found = await searchCases(store.pool, { q, kind: searchKindOf(q, config.desk.caseRefPrefix), limit: 200 });
        if (o.json) for (const c of found.cases) out(JSON.stringify(c));
        else {
          out(`${found.more ? `${found.total}+` : found.total} case(s), read as ${found.kind}${found.next ? ' (the newest 200 shown)' : ''}`);
          for (const c of found.cases) out(`${c.ref}  ${c.status.padEnd(17)} ${c.priority.padEnd(7)} ${c.category.padEnd(11)} ${(c.customer ?? '-').padEnd(8)} ${c.target}`);
        }
        return 0;
      }
      default:
        return usage('abuse-desk cases list|show REF|search WORDS|export [--sor]|purge|rederive-deadlines');
    }
  } finally {
    await store.end();
  }
}

function usage(s: string): number {
  process.stderr.write(`usage: ${s}\n`);
  return 2;
}

function printTable(rows: CaseListRow[]): void {
  const head = ['REF', 'STATUS', 'PRIORITY', 'CATEGORY', 'CUSTOMER', 'REPORTS', 'REPORTERS', 'CAMPAIGN', 'LAST SEEN', 'TARGET'];
  const cells = rows.map((r) => [
    r.ref, r.status, r.priority, r.category, r.customer ?? '-', String(r.reports), String(r.reporters),
    r.campaign ? `${r.campaign} (${r.campaignReports})` : '-', r.lastSeen.slice(0, 16).replace('T', ' '), r.targetType === 'none' ? `(no address) ${r.target}` : r.target,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  for (const line of [head, ...cells]) out(line.map((c, i) => (i === line.length - 1 ? c : c.padEnd(widths[i]!))).join('  '));
  out(`${rows.length} case(s)`);
}

function printCase(c: NonNullable<Awaited<ReturnType<typeof showCase>>>, read: readonly ReportForReader[] = []): void {
  out(`${c.ref}  ${c.status}${c.outcome ? ` (${c.outcome})` : ''}  priority ${c.priority}${c.trusted ? ' (trusted reporter)' : ''}`);
  out(`  target    ${c.targetType} ${c.target || '-'}   category ${c.category}   customer ${c.customer ?? '-'}   notice policy ${c.policy}`);
  out(`  reports   ${c.reports} from ${c.reporters} reporter(s), ${c.firstSeen} → ${c.lastSeen}`);
  out(`  notices   ${c.noticesSent} sent   escalations ${c.escalations}${c.reason ? `   reason: ${c.reason}` : ''}`);
  if (c.campaign) out(`  campaign  ${c.campaign} (${c.campaignReports} reports)`);
  if (c.linked.length) out(`  linked    ${c.linked.map((l) => `${l.ref} ${l.target} (${l.via})`).join(', ')}`);
  out('Reporters:');
  for (const r of c.reporterList) out(`  ${r.reporter}  ${r.reports} report(s)${r.erased ? '  [erased]' : ''}${r.unfounded ? '  [manifestly unfounded notices: low priority]' : ''}${r.address !== undefined ? `  ${r.name ?? ''} <${r.address ?? 'erased'}>` : ''}`);
  out('Reports:');
  for (const r of c.reportsList) out(`  ${r.receivedAt}  ${r.reporter}${r.automated ? " automated" : ""}  ${r.messageKey}  ${r.evidence ?? ""}`);
  for (const [i, r] of read.entries()) {
    out(`Report ${i + 1} (${r.reporter}, ${r.receivedAt}): ${r.subject ?? '(not kept)'}${r.redacted ? '  [reporter details removed; --reporters shows them]' : ''}`);
    if (r.text !== null) for (const line of r.text.split('\n').slice(0, 200)) out(`  | ${line}`);
    for (const t of r.targets) out(`  target ${t.type} ${t.value}: ${t.role} (${t.why})${t.customerId ? ` → ${t.customerId}` : ''}`);
    if (r.attachments.length) out(`  attachments: ${r.attachments.map((a) => `${a.filename ?? '(unnamed)'} ${a.contentType} ${a.size} B`).join(', ')}`);
  }
  out('History:');
  for (const h of c.history) out(`  ${h.at}  ${h.actor}  ${h.kind}  ${h.detail ? JSON.stringify(h.detail) : ''}`);
}
