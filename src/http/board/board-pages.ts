import type { CaseDetail } from '../../cases/case-queries.ts';
import type { Config } from '../../config/schema.ts';
import { FLAGS, GROUND_TYPES, OUTCOMES, RESTRICTIONS, SETTABLE_STATUSES } from '../../cases/case-vocabulary.ts';
import { caseClocks } from '../../ops/sla.ts';
import { html, type Html } from './html.ts';
import { BOARD_PATH, deadlineText, label, layout, openCase, STYLE_PATH, type PageContext } from './page-layout.ts';

export { BOARD_PATH, SCRIPT_PATH, STYLE_PATH, span, type BoardFilter, type BoardRow, type PageContext } from './page-layout.ts';

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
${
  c.policy !== 'confirm' && c.targetType !== 'none'
    ? form(ctx, ref, 'target', 'Not what the report is about (resolves the case; learned for the sender)', html`<input type="hidden" name="verdict" value="dismiss">${textField('a-notreported', 'reason', 'Why (for the history)', false)}`, 'Not what is reported')
    : ''
}
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
${
  open && c.policy === 'confirm'
    ? html`<section aria-labelledby="h-confirm" class="held confirm">
<h2 id="h-confirm">Target to confirm</h2>
<p><span class="target">${c.target}</span> is only named in the report (no words accuse it: see how sure each target is under Reports). ${c.customer ?? 'The customer'} is not told until you confirm it is what the report is about. Either answer is learned for the same sender's reports naming it at the same place.</p>
${
  canAct
    ? html`<div class="actions">
${form(ctx, c.ref, 'target', 'It is what the report is about', html`<input type="hidden" name="verdict" value="confirm">`, 'Confirm target')}
${form(ctx, c.ref, 'target', 'It is not what the report is about', html`<input type="hidden" name="verdict" value="dismiss">${textField('a-dismiss', 'reason', 'Why (for the history)', false)}`, 'Not what is reported')}
</div>`
    : ''
}
</section>`
    : ''
}
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
