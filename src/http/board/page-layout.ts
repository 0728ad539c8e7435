import { html, type Html } from './html.ts';
import type { Operator } from '../../operators/roles.ts';
import type { CaseClock, OpenCase } from '../../ops/sla.ts';
import type { Category, Priority } from '../../config/category-names.ts';
import type { CaseListRow } from '../../cases/case-queries.ts';

/** Where the board is mounted. */
export const BOARD_PATH = '/board';
/** The board's one style sheet: a file of its own, so the pages' policy allows no inline style. */
export const STYLE_PATH = `${BOARD_PATH}/style.css`;
export const SCRIPT_PATH = `${BOARD_PATH}/board.js`;
/** bull-board, for admins (src/http/server.ts mounts it). */
export const QUEUE_BOARD_LINK = '/ops/queues';

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


/** "4 min", "3 h", "2 d": how long, to the unit a person reads at a glance. */
export function span(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

export const label = (s: string): string => s.replace(/_/g, ' ');

export function deadlineText(r: Pick<BoardRow, 'next' | 'left'>): string {
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

export function layout(ctx: PageContext, title: string, body: Html, status?: { kind: 'status' | 'alert'; text: string }): string {
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
    ${ctx.operator.role !== 'viewer' ? html`<a href="${BOARD_PATH}/learned">Learned rules</a>` : ''}
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

export const select = (name: string, text: string, options: readonly string[], chosen: string | undefined, any = 'any'): Html => html`
  <label for="f-${name}">${text}</label>
  <select id="f-${name}" name="${name}">
    <option value="">${any}</option>
    ${options.map((o) => html`<option value="${o}"${o === chosen ? html` selected` : ''}>${label(o)}</option>`)}
  </select>`;

/** A listed case as the SLA clocks read it. */
export const openCase = (row: CaseListRow): OpenCase => ({
  ...row,
  customerId: row.customer,
  priority: row.priority as Priority,
  category: row.category as Category,
  openedAt: new Date(row.openedAt),
  firstNoticeAt: row.firstNoticeAt ? new Date(row.firstNoticeAt) : null,
  reviewedAt: row.reviewedAt ? new Date(row.reviewedAt) : null,
});
