import { CATEGORIES, PRIORITIES, type Category, type Priority } from '../../config/category-names.ts';
import type { ListedCase } from '../../cases/case-lists.ts';
import type { CaseDetail, CaseListRow } from '../../cases/case-queries.ts';
import type { Config } from '../../config/schema.ts';
import { CASE_STATUSES, FLAGS, GROUND_TYPES, OUTCOMES, RESTRICTIONS, SETTABLE_STATUSES } from '../../cases/case-vocabulary.ts';
import type { Operator } from '../../operators/roles.ts';
import { caseClocks, slaCalendar, type CaseClock, type OpenCase } from '../../ops/sla.ts';
import { html, type Html } from './html.ts';

/** Where the board is mounted. */
export const BOARD_PATH = '/board';
/** The board's one style sheet: a file of its own, so the pages' policy allows no inline style. */
export const STYLE_PATH = `${BOARD_PATH}/style.css`;
export const SCRIPT_PATH = `${BOARD_PATH}/board.js`;
/** bull-board, for admins (src/http/server.ts mounts it). */
const QUEUE_BOARD_LINK = '/ops/queues';

export interface BoardFilter {
  status?: string;
  priority?: string;
  category?: string;
  customer?: string;
  /** Only cases whose nearest clock has run out (breached) or is past sla.warnAt (due). */
  due?: 'breached' | 'due';
  /** An operator's cases ("me": the viewer's), or "-" for the unassigned. */
  owner?: string;
}

/** What a list row shows of a case. */
export type ListedRow = Pick<CaseListRow, 'ref' | 'priority' | 'category' | 'status' | 'customer' | 'target' | 'reports' | 'reporters'>;

/** A listed case with its nearest deadline. */
export interface BoardRow {
  row: ListedRow;
  next: CaseClock | null;
  /** Seconds until the nearest deadline; negative once breached. */
  left: number | null;
  state: 'breached' | 'due' | 'ok' | 'none';
}

/** A listed case as the SLA clocks read it. */
const openCase = (row: CaseListRow): OpenCase => ({
  ...row,
  customerId: row.customer,
  priority: row.priority as Priority,
  category: row.category as Category,
  openedAt: new Date(row.openedAt),
  firstNoticeAt: row.firstNoticeAt ? new Date(row.firstNoticeAt) : null,
  reviewedAt: row.reviewedAt ? new Date(row.reviewedAt) : null,
});

/**
 * Open cases with their nearest SLA deadline, breached first (most overdue
 * at the top), then by time left; cases no clock runs on come last. Pure.
 */
export function byDeadline(rows: readonly CaseListRow[], sla: Config['sla'], now: Date, filter: BoardFilter = {}): BoardRow[] {
  const calendar = slaCalendar(sla);
  const out = rows.map((row): BoardRow => {
    const [next] = caseClocks(openCase(row), sla, calendar);
    if (!next) return { row, next: null, left: null, state: 'none' };
    const left = Math.round((next.dueAt.getTime() - now.getTime()) / 1000);
    const state = left <= 0 ? 'breached' : now >= next.warnAt ? 'due' : 'ok';
    return { row, next, left, state };
  });
  const wanted = filter.due === 'breached' ? ['breached'] : filter.due === 'due' ? ['breached', 'due'] : null;
  return out
    .filter((r) => !wanted || wanted.includes(r.state))
    .sort((a, b) => (a.left ?? Infinity) - (b.left ?? Infinity) || a.row.ref.localeCompare(b.row.ref));
}

/** A case of a stored list (src/cases/case-lists.ts) with its stored nearest deadline, as the board shows it. Pure. */
export function storedRow(c: ListedCase, now: Date): BoardRow {
  if (!c.slaDueAt || !c.slaClock) return { row: c, next: null, left: null, state: 'none' };
  const dueAt = new Date(c.slaDueAt);
  const warnAt = new Date(c.slaWarnAt ?? c.slaDueAt);
  const left = Math.round((dueAt.getTime() - now.getTime()) / 1000);
  return { row: c, next: { clock: c.slaClock as CaseClock['clock'], dueAt, warnAt, limitSec: 0 }, left, state: left <= 0 ? 'breached' : now >= warnAt ? 'due' : 'ok' };
}

/** "4 min", "3 h", "2 d": how long, to the unit a person reads at a glance. */
export function span(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

const label = (s: string): string => s.replace(/_/g, ' ');

function deadlineText(r: Pick<BoardRow, 'next' | 'left'>): string {
  if (!r.next || r.left === null) return 'no clock running';
  return r.left <= 0 ? `${r.next.clock} breached ${span(r.left)} ago` : `${r.next.clock} due in ${span(r.left)}`;
}

export interface PageContext {
  deskName: string;
  operator: Operator;
  /** Whether the operator signed in (and can sign out); false when the API runs without operators. */
  signedIn: boolean;
  csrf: string;
}

function layout(ctx: PageContext, title: string, body: Html, status?: { kind: 'status' | 'alert'; text: string }): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${ctx.deskName}</title>
<link rel="stylesheet" href="${STYLE_PATH}">
<script src="${SCRIPT_PATH}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
  <nav aria-label="Board">
    <a href="${BOARD_PATH}">Open cases</a>
    <a href="${BOARD_PATH}?due=breached">Breached</a>
    <a href="${BOARD_PATH}?status=awaiting_review">Awaiting review</a>
    <a href="${BOARD_PATH}?owner=me">My cases</a>
    <a href="${BOARD_PATH}?owner=-">Unassigned</a>
    ${ctx.operator.role === 'admin' ? html`<a href="${QUEUE_BOARD_LINK}">Queues</a>` : ''}
  </nav>
  <form method="get" action="${BOARD_PATH}/search" role="search" class="search">
    <label for="s-q">Search cases</label>
    <input id="s-q" name="q" type="search" maxlength="500" placeholder="reference, target, Message-ID, words…" accesskey="s">
    <button type="submit">Search</button>
  </form>
  <p class="who">${ctx.operator.name} (${ctx.operator.role}) · <kbd>?</kbd> shortcuts</p>
  ${ctx.signedIn ? html`<form method="post" action="${BOARD_PATH}/logout"><input type="hidden" name="csrf" value="${ctx.csrf}"><button type="submit">Sign out</button></form>` : ''}
</header>
<main id="main" tabindex="-1">
${status ? html`<p class="${status.kind}" role="${status.kind}">${status.text}</p>` : ''}
${body}
</main>
</body>
</html>
`.text;
}

const select = (name: string, text: string, options: readonly string[], chosen: string | undefined, any = 'any'): Html => html`
  <label for="f-${name}">${text}</label>
  <select id="f-${name}" name="${name}">
    <option value="">${any}</option>
    ${options.map((o) => html`<option value="${o}"${o === chosen ? html` selected` : ''}>${label(o)}</option>`)}
  </select>`;

/** The list of cases (open ones unless a status is chosen: resolved and closed ones too), nearest deadline first, with its filters. */
/** A page of a longer list: how many match in all, and where the next page is. */
export interface PageInfo {
  total: number;
  more: boolean;
  nextHref: string | null;
  /** Breached among all that match (counted by the database). */
  breached?: number;
}

const count = (n: number, more: boolean): string => `${more ? `${n.toLocaleString('en')}+` : n.toLocaleString('en')}`;

/** One action on the cases ticked in the list (agents): all resolved at once tell each reporter once. */
function bulkForm(ctx: PageContext): Html {
  return html`
<form method="post" action="${BOARD_PATH}/bulk" id="bulk" class="action">
  <fieldset>
    <legend>With the selected cases</legend>
    <input type="hidden" name="csrf" value="${ctx.csrf}">
    <label for="b-action">Action</label>
    <select id="b-action" name="action" required>
      <option value="resolve">resolve</option><option value="release">release held notices</option><option value="withhold">keep notices held</option>
      <option value="assign">assign</option><option value="merge">merge into a case</option>
    </select>
    <label for="b-outcome">Outcome (resolve)</label>
    <select id="b-outcome" name="outcome"><option value="">none</option>${OUTCOMES.map((o) => html`<option value="${o}">${label(o)}</option>`)}</select>
    <label for="b-reason">Reason (resolve: told to reporters; withhold: why)</label><input id="b-reason" name="reason" maxlength="2000">
    <label for="b-ground">Ground (action taken)</label><input id="b-ground" name="ground" maxlength="2000">
    <label for="b-owner">Operator (assign; "me": you; empty: nobody)</label><input id="b-owner" name="owner" maxlength="64">
    <label for="b-into">Case to merge into</label><input id="b-into" name="into" maxlength="30" placeholder="AD-2026-000123">
    <button type="submit">Apply to selected</button>
  </fieldset>
</form>`;
}

export function listPage(ctx: PageContext, rows: readonly BoardRow[], filter: BoardFilter, shown: number, info?: PageInfo, status?: { kind: 'status' | 'alert'; text: string }): string {
  const canBulk = ctx.operator.role !== 'viewer';
  const breached = info?.breached ?? rows.filter((r) => r.state === 'breached').length;
  const total = info ? count(info.total, info.more) : String(rows.length);
  const n = info?.total ?? rows.length;
  const body = html`
<h1>Open cases</h1>
<p>${total} case${n === 1 ? '' : 's'}${!info && rows.length > shown ? ` (the first ${shown} shown)` : info && n > rows.length ? ` (${rows.length} on this page)` : ''}, ${breached} breached.</p>
<form method="get" action="${BOARD_PATH}" class="filters" role="search" aria-label="Filter cases">
  ${select('status', 'Status', CASE_STATUSES, filter.status, 'any open')}
  ${select('priority', 'Priority', PRIORITIES, filter.priority)}
  ${select('category', 'Category', CATEGORIES, filter.category)}
  <label for="f-customer">Customer</label>
  <input id="f-customer" name="customer" value="${filter.customer ?? ''}" size="12" placeholder="id, or - for none">
  ${select('due', 'Deadline', ['breached', 'due'], filter.due, 'all')}
  <button type="submit">Filter</button>
</form>
<table class="cases">
  <caption>Open cases, nearest deadline first</caption>
  <thead><tr>
    ${canBulk ? html`<th scope="col"><span class="skip-label">Select</span></th>` : ''}<th scope="col">Deadline</th><th scope="col">Case</th><th scope="col">Priority</th><th scope="col">Category</th><th scope="col">Status</th>
    <th scope="col">Customer</th><th scope="col">Target</th><th scope="col">Reports</th><th scope="col">Reporters</th>
  </tr></thead>
  <tbody>
  ${rows.slice(0, shown).map(
    (r) => html`<tr class="${r.state}">
    ${canBulk ? html`<td><input type="checkbox" id="sel-${r.row.ref}" name="refs" value="${r.row.ref}" form="bulk"><label for="sel-${r.row.ref}" class="skip-label">Select ${r.row.ref}</label></td>` : ''}
    <td class="deadline">${deadlineText(r)}</td>
    <th scope="row"><a href="${BOARD_PATH}/cases/${r.row.ref}">${r.row.ref}</a></th>
    <td><span class="prio ${r.row.priority}">${r.row.priority}</span></td>
    <td>${label(r.row.category)}</td>
    <td>${label(r.row.status)}</td>
    <td>${r.row.customer ?? '—'}</td>
    <td class="target">${r.row.target}</td>
    <td>${r.row.reports}</td>
    <td>${r.row.reporters}</td>
  </tr>`,
  )}
  </tbody>
</table>
${rows.length ? '' : html`<p>No open case matches.</p>`}
${info?.nextHref ? html`<p><a href="${info.nextHref}" rel="next">Next page</a></p>` : ''}
${canBulk && rows.length ? bulkForm(ctx) : ''}`;
  return layout(ctx, 'Open cases', body, status);
}

/** What happened, for the history table: the event's details as short "key: value" pairs. */
function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail !== 'object') return String(detail);
  return Object.entries(detail as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join('; ')
    .slice(0, 2000);
}

const form = (ctx: PageContext, ref: string, action: string, legend: string, fields: Html, button: string): Html => html`
<form method="post" action="${BOARD_PATH}/cases/${ref}/${action}" class="action">
  <fieldset>
    <legend>${legend}</legend>
    <input type="hidden" name="csrf" value="${ctx.csrf}">
    ${fields}
    <button type="submit">${button}</button>
  </fieldset>
</form>`;

const textField = (id: string, name: string, text: string, required = true, area = false): Html =>
  area
    ? html`<label for="${id}">${text}</label><textarea id="${id}" name="${name}" rows="3" maxlength="10000"${required ? html` required` : ''}></textarea>`
    : html`<label for="${id}">${text}</label><input id="${id}" name="${name}" maxlength="2000"${required ? html` required` : ''}>`;

function actionForms(ctx: PageContext, c: CaseDetail): Html {
  const closed = c.status === 'resolved' || c.status === 'closed';
  const ref = c.ref;
  return html`
<section aria-labelledby="h-actions">
<h2 id="h-actions">Act on this case</h2>
<div class="actions">
${form(ctx, ref, 'notes', 'Add a note', textField('a-note', 'text', 'Note (for the desk only)', true, true), 'Add note')}
${form(
  ctx,
  ref,
  'owner',
  'Who works it',
  html`<label for="a-owner">Operator (empty: nobody; "me": you)</label><input id="a-owner" name="owner" maxlength="64" value="${c.owner === ctx.operator.name ? '' : 'me'}">`,
  c.owner === ctx.operator.name ? 'Give it up' : 'Set owner',
)}
${form(
  ctx,
  ref,
  'status',
  'Set the status',
  html`
  <label for="a-status">New status</label>
  <select id="a-status" name="status" required>
    ${SETTABLE_STATUSES.map((s) => html`<option value="${s}"${s === c.status ? html` selected` : ''}>${label(s)}</option>`)}
  </select>
  <label for="a-outcome">Outcome (when resolving)</label>
  <select id="a-outcome" name="outcome"><option value="">none</option>${OUTCOMES.map((o) => html`<option value="${o}">${label(o)}</option>`)}</select>
  ${textField('a-reason', 'reason', 'Reason told to the reporters and the customer', false)}
  ${textField('a-ground', 'ground', 'Ground: the law or terms invoked (action taken)', false)}
  <label for="a-groundtype">Ground type</label>
  <select id="a-groundtype" name="groundType"><option value="">default (terms)</option>${GROUND_TYPES.map((g) => html`<option value="${g}">${g}</option>`)}</select>
  <label for="a-restriction">What was done (action taken)</label>
  <select id="a-restriction" name="restriction"><option value="">default</option>${RESTRICTIONS.map((r) => html`<option value="${r}">${label(r)}</option>`)}</select>`,
  'Set status',
)}
${
  closed
    ? ''
    : html`
${form(ctx, ref, 'escalate', 'Escalate (urgent, alerts the on-call address)', textField('a-esc', 'reason', 'Why'), 'Escalate')}
${form(
  ctx,
  ref,
  'flags',
  'Flags',
  html`
  <label for="a-flag">Flag</label>
  <select id="a-flag" name="flag">${FLAGS.map((f) => html`<option value="${f}">${label(f)}${c.flags.includes(f) ? ' (set)' : ''}</option>`)}</select>
  <label for="a-set">Set or clear</label>
  <select id="a-set" name="set"><option value="true">set</option><option value="false">clear</option></select>`,
  'Apply flag',
)}
${form(ctx, ref, 'merge', 'Merge into another open case', html`<label for="a-into">Case reference</label><input id="a-into" name="into" required pattern="[A-Z]{1,6}-\\d{4}-\\d{6,}" placeholder="AD-2026-000123">`, 'Merge')}`
}
</div>
</section>`;
}

/** What the case page shows beyond the case row: its reports as received, its mail thread, the held notice as it will be sent. */
export interface CaseExtras {
  reports?: Html;
  thread?: Html;
  /** The preview and the release form (agents); without it, a plain release button. */
  held?: (form: (fields: Html) => Html) => Html;
}

/** One case: its deadlines, held notice, actions, targets, reports, reporters, linked cases and history. */
export function casePage(ctx: PageContext, c: CaseDetail, sla: Config['sla'], now: Date, status?: { kind: 'status' | 'alert'; text: string }, extra: CaseExtras = {}): string {
  const open = !c.closedAt;
  const clocks = open ? caseClocks(openCase(c), sla) : [];
  const canAct = ctx.operator.role !== 'viewer';
  const held = c.status === 'awaiting_review';
  const body = html`
<h1>${c.ref} <span class="target">${c.target}</span></h1>
<dl class="summary">
  <dt>Status</dt><dd>${label(c.status)}${c.outcome ? ` (${label(c.outcome)})` : ''}</dd>
  <dt>Priority</dt><dd><span class="prio ${c.priority}">${c.priority}</span>${c.trusted ? ' · trusted reporter' : ''}</dd>
  <dt>Category</dt><dd>${label(c.category)}</dd>
  <dt>Customer</dt><dd>${c.customer ?? 'none found'}</dd>
  <dt>Policy</dt><dd>${c.policy}</dd>
  <dt>Reports</dt><dd>${c.reports} from ${c.reporters} reporter${c.reporters === 1 ? '' : 's'}${c.campaign ? ` · campaign ${c.campaign} (${c.campaignReports ?? 0} reports)` : ''}</dd>
  <dt>Opened</dt><dd><time datetime="${c.openedAt}">${c.openedAt}</time></dd>
  <dt>Notices sent</dt><dd>${c.noticesSent}</dd>
  <dt>Flags</dt><dd>${c.flags.length ? c.flags.map(label).join(', ') : 'none'}</dd>
  <dt>Owner</dt><dd>${c.owner ?? 'unassigned'}${c.owner === ctx.operator.name ? ' (you)' : ''}</dd>
  ${c.reason ? html`<dt>Why</dt><dd>${c.reason}</dd>` : ''}
</dl>
<section aria-labelledby="h-deadlines">
<h2 id="h-deadlines">Deadlines</h2>
${
  clocks.length
    ? html`<ul>${clocks.map((k) => {
        const left = Math.round((k.dueAt.getTime() - now.getTime()) / 1000);
        return html`<li class="${left <= 0 ? 'breached' : ''}">${deadlineText({ next: k, left })} (<time datetime="${k.dueAt.toISOString()}">${k.dueAt.toISOString()}</time>)</li>`;
      })}</ul>`
    : html`<p>No clock is running.</p>`
}
</section>
${extra.reports ?? html`<section aria-labelledby="h-reports">
<h2 id="h-reports">Reports</h2>
<table>
  <caption>${c.reportsList.length} report${c.reportsList.length === 1 ? '' : 's'}, oldest first</caption>
  <thead><tr><th scope="col">Received</th><th scope="col">Reporter</th><th scope="col">Message</th><th scope="col">Automated</th><th scope="col">Evidence</th></tr></thead>
  <tbody>
  ${c.reportsList.map(
    (r) => html`<tr><td><time datetime="${r.receivedAt}">${r.receivedAt}</time></td><td>${r.reporter}</td><td class="mono">${r.messageKey}</td><td>${r.automated ? 'yes' : 'no'}</td><td class="mono">${r.evidence ?? '—'}</td></tr>`,
  )}
  </tbody>
</table>
</section>`}
${
  held
    ? html`<section aria-labelledby="h-held" class="held">
<h2 id="h-held">Held notice</h2>
<p>The notice to ${c.customer ?? 'the customer'} is held for review${c.noticesSent ? '' : ' and has not been sent'}. Releasing it mails the customer now; withholding keeps it held and records why.</p>
${
  canAct
    ? html`<div class="actions">
${extra.held ? extra.held((fields) => form(ctx, c.ref, 'release', 'Release the notice', fields, 'Release notice')) : form(ctx, c.ref, 'release', 'Release the notice', html``, 'Release notice')}
${form(ctx, c.ref, 'withhold', 'Keep it held', textField('a-withhold', 'reason', 'Why it stays held'), 'Withhold')}
</div>`
    : ''
}
</section>`
    : ''
}
${canAct ? actionForms(ctx, c) : html`<p>Your role (viewer) can read cases but not act on them.</p>`}
<section aria-labelledby="h-targets">
<h2 id="h-targets">Targets</h2>
<table>
  <caption>What this case and the reports behind it name</caption>
  <thead><tr><th scope="col">Target</th><th scope="col">Kind</th><th scope="col">Role</th><th scope="col">Case</th></tr></thead>
  <tbody>
    <tr><td class="target">${c.target}</td><td>${c.targetType}</td><td>reported (this case)</td><td>${c.ref}</td></tr>
    ${c.linked.map((l) => html`<tr><td class="target">${l.target}</td><td>—</td><td>${l.via}</td><td><a href="${BOARD_PATH}/cases/${l.ref}">${l.ref}</a> (${label(l.status)})</td></tr>`)}
  </tbody>
</table>
</section>
<p>Reporters: ${c.reporterList.map((r) => `${r.reporter} (${r.reports})${r.unfounded ? ' unfounded' : ''}${r.erased ? ' erased' : ''}`).join(', ') || 'none'}.</p>
${extra.thread ?? ''}
<section aria-labelledby="h-history">
<h2 id="h-history">History</h2>
<table>
  <caption>Everything that happened to the case, oldest first</caption>
  <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Details</th></tr></thead>
  <tbody>
  ${c.history.map((h) => html`<tr><td><time datetime="${h.at}">${h.at}</time></td><td>${h.actor}</td><td>${label(h.kind)}</td><td>${detailText(h.detail)}</td></tr>`)}
  </tbody>
</table>
</section>`;
  return layout(ctx, c.ref, body, status);
}

/** The sign-in form: an operator token from api.operators. */
/** Search results: what was looked for (and how it was read), how many match, the cases, the next page. */
export function searchPage(ctx: PageContext, q: string, kind: string, kinds: readonly string[], rows: readonly BoardRow[], info: PageInfo): string {
  const body = html`
<h1>Search</h1>
<form method="get" action="${BOARD_PATH}/search" class="filters" role="search" aria-label="Search again">
  <label for="q-again">Look for</label>
  <input id="q-again" name="q" value="${q}" maxlength="500" size="40">
  ${select('kind', 'As', kinds, kind, 'guess')}
  <button type="submit">Search</button>
</form>
<p>${count(info.total, info.more)} case${info.total === 1 ? '' : 's'} found, read as ${label(kind)}, newest first, every status.</p>
<table class="cases">
  <caption>Cases matching “${q}”</caption>
  <thead><tr><th scope="col">Case</th><th scope="col">Status</th><th scope="col">Priority</th><th scope="col">Category</th><th scope="col">Customer</th><th scope="col">Target</th><th scope="col">Reports</th><th scope="col">Deadline</th></tr></thead>
  <tbody>
  ${rows.map(
    (r) => html`<tr class="${r.state}">
    <th scope="row"><a href="${BOARD_PATH}/cases/${r.row.ref}">${r.row.ref}</a></th>
    <td>${label(r.row.status)}</td>
    <td><span class="prio ${r.row.priority}">${r.row.priority}</span></td>
    <td>${label(r.row.category)}</td>
    <td>${r.row.customer ?? '—'}</td>
    <td class="target">${r.row.target}</td>
    <td>${r.row.reports}</td>
    <td>${deadlineText(r)}</td>
  </tr>`,
  )}
  </tbody>
</table>
${rows.length ? '' : html`<p>Nothing matches.</p>`}
${info.nextHref ? html`<p><a href="${info.nextHref}" rel="next">Next page</a></p>` : ''}`;
  return layout(ctx, 'Search', body);
}

export function loginPage(deskName: string, csrf: string, error?: string, next?: string): string {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · ${deskName}</title><link rel="stylesheet" href="${STYLE_PATH}"></head>
<body>
<main id="main">
<h1>${deskName}: case board</h1>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="${BOARD_PATH}/login" class="action">
  <fieldset>
    <legend>Sign in</legend>
    <label for="operator">Operator name</label>
    <input id="operator" name="operator" autocomplete="username" required autofocus maxlength="64">
    <label for="token">Operator token</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required>
    <input type="hidden" name="csrf" value="${csrf}">
    ${next ? html`<input type="hidden" name="next" value="${next}">` : ''}
    <button type="submit">Sign in</button>
  </fieldset>
</form>
<p>A token comes from <code>abuse-desk operator add NAME ROLE</code> (or, for the first operators, <code>abuse-desk api token NAME ROLE</code> and its line in <code>api.operators</code>).</p>
</main>
</body>
</html>
`.text;
}

/** A page that only says what went wrong (an unknown case, a bad request). */
export function errorPage(ctx: PageContext, title: string, text: string): string {
  return layout(ctx, title, html`<h1>${title}</h1><p><a href="${BOARD_PATH}">Back to the open cases</a></p>`, { kind: 'alert', text });
}
