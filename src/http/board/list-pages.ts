import { CATEGORIES, PRIORITIES } from '../../config/category-names.ts';
import type { ListedCase, ToConfirm } from '../../cases/case-lists.ts';
import type { CaseListRow } from '../../cases/case-queries.ts';
import type { Config } from '../../config/schema.ts';
import { CASE_STATUSES, OUTCOMES } from '../../cases/case-vocabulary.ts';
import { caseClocks, slaCalendar, type CaseClock } from '../../ops/sla.ts';
import { html, type Html } from './html.ts';
import { BOARD_PATH, deadlineText, label, layout, openCase, select, type BoardFilter, type BoardRow, type PageContext } from './page-layout.ts';


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


/** The list of cases (open ones unless a status is chosen: resolved and closed ones too), nearest deadline first, with its filters. */
/** A page of a longer list: how many match in all, and where the next page is. */
export interface PageInfo {
  total: number;
  more: boolean;
  nextHref: string | null;
  /** Breached among all that match (counted by the database). */
  breached?: number;
  /** Open cases whose target a person must confirm: shown first. */
  toConfirm?: { total: number; cases: readonly ToConfirm[] };
}

/** The cases waiting for a person to say whether their target is what the report is about. */
function toConfirmSection(t: PageInfo['toConfirm']): Html {
  if (!t?.total) return html``;
  return html`<section aria-labelledby="h-to-confirm" class="held confirm">
<h2 id="h-to-confirm">Targets to confirm (${count(t.total, t.total >= 1000)})</h2>
<p>Each is only named in its report: its customer hears nothing until a person confirms it.</p>
<ul>${t.cases.map((c) => html`<li><a href="${BOARD_PATH}/cases/${c.ref}">${c.ref}</a> <span class="target">${c.target}</span> · ${label(c.category)} · ${c.customerId ?? 'no customer'}</li>`)}</ul>
</section>`;
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
${toConfirmSection(info?.toConfirm)}
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

