import type { LearnedRule } from '../../triage/learned-rules.ts';
import { html } from './html.ts';
import { BOARD_PATH, layout, type PageContext } from './page-layout.ts';

/** The learned target rules (agents): what each says, where it came from, and a button to remove it. */
export function learnedPage(ctx: PageContext, rules: ReadonlyArray<LearnedRule & { createdBy: string; createdAt: string }>, status?: { kind: 'status' | 'alert'; text: string }): string {
  const body = html`
<h1>Learned target rules</h1>
<p>Each was learned when an agent confirmed or dismissed a case's target. It applies only to later reports from the same sender naming the same name at the same place, never to another sender's. Removing one reads that sender's next reports without it.</p>
<table>
  <caption>${rules.length} rule${rules.length === 1 ? '' : 's'}, newest first</caption>
  <thead><tr><th scope="col">Sender</th><th scope="col">Name</th><th scope="col">Verdict</th><th scope="col">Where in the report</th><th scope="col">Learned on</th><th scope="col">By</th><th scope="col"><span class="skip-label">Remove</span></th></tr></thead>
  <tbody>
  ${rules.map(
    (r) => html`<tr><td>${r.source}</td><td class="target">${r.value}</td><td>${r.verdict === 'dismiss' ? 'not reported' : 'reported'}</td><td><small>${r.shape}</small></td>
    <td>${r.originRef ? html`<a href="${BOARD_PATH}/cases/${r.originRef}">${r.originRef}</a>` : '—'} <time datetime="${r.createdAt}">${r.createdAt}</time></td><td>${r.createdBy}</td>
    <td><form method="post" action="${BOARD_PATH}/learned/${r.id}/remove"><input type="hidden" name="csrf" value="${ctx.csrf}"><button type="submit" aria-label="Remove rule ${r.id} (${r.source}, ${r.value})">Remove</button></form></td></tr>`,
  )}
  </tbody>
</table>`;
  return layout(ctx, 'Learned target rules', body, status);
}
