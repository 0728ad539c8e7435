import type { ThreadEntry } from '../../cases/mail-thread.ts';
import type { ReportForReader } from '../report-presenter.ts';
import { html, type Html } from './html.ts';

/** Where the board serves a report's .eml (agents). */
export const emlPath = (boardPath: string, ref: string, key: string): string => `${boardPath}/cases/${ref}/reports/${key}.eml`;

const kb = (n: number | null): string => (n === null ? '?' : n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`);

/**
 * A case's reports as a person reads them: who (numbered; named for agents),
 * when, the subject, the text as received in a <pre> (HTML mail as its text,
 * never rendered: everything goes through `html`, which escapes), the
 * attachments, and each target triage found with its role and why.
 */
export function reportsSection(boardPath: string, ref: string, reports: readonly ReportForReader[], total: number, page: { offset: number; limit: number }): Html {
  const next = page.offset + reports.length < total ? page.offset + page.limit : null;
  const prev = page.offset > 0 ? Math.max(0, page.offset - page.limit) : null;
  return html`
<section aria-labelledby="h-reports">
<h2 id="h-reports">Reports</h2>
<p>${total} report${total === 1 ? '' : 's'}, oldest first${total > reports.length ? `; ${page.offset + 1}–${page.offset + reports.length} shown` : ''}.
${prev !== null ? html` <a href="${boardPath}/cases/${ref}?reports=${prev}#h-reports">Earlier reports</a>` : ''}
${next !== null ? html` <a href="${boardPath}/cases/${ref}?reports=${next}#h-reports">Later reports</a>` : ''}</p>
${reports.map((r, i) => reportArticle(boardPath, ref, r, page.offset + i + 1))}
</section>`;
}

function reportArticle(boardPath: string, ref: string, r: ReportForReader, n: number): Html {
  const id = `report-${n}`;
  return html`
<article class="report" aria-labelledby="${id}">
<h3 id="${id}">Report ${n}: ${r.subject ?? '(not kept)'}</h3>
<dl class="summary">
  <dt>Received</dt><dd><time datetime="${r.receivedAt}">${r.receivedAt}</time>${r.date ? ` (sent ${r.date})` : ''}</dd>
  <dt>Reporter</dt><dd>${r.reporter}${r.reporterAddress !== undefined ? html` · ${r.reporterName ? `${r.reporterName} ` : ''}<span class="mono">${r.reporterAddress ?? 'erased'}</span>` : ''}${r.automated ? ' · automated report' : ''}</dd>
  <dt>Message</dt><dd class="mono">${r.messageKey}${r.messageId ? ` · ${r.messageId}` : ''}</dd>
  ${r.eml ? html`<dt>Original</dt><dd><a href="${emlPath(boardPath, ref, r.messageKey)}" download>Download .eml</a> (${kb(r.rawBytes)})</dd>` : ''}
</dl>
${
  r.missing
    ? html`<p>${r.missing === 'erased' ? 'Its text was erased by retention with the reporter’s data.' : 'Received before reports were kept: only its key and hash are stored.'}</p>`
    : html`
${r.redacted ? html`<p class="note">The reporter’s name, addresses, phone numbers and signature are removed for your role.</p>` : ''}
${r.html ? html`<p class="note">Sent as HTML: shown as its text, never rendered.</p>` : ''}
<pre class="complaint" id="report-${n}-text" tabindex="0" aria-label="Text of report ${n}">${r.text ?? ''}</pre>
${r.truncated ? html`<p class="note">The message was longer; its text was cut when it was read (the .eml is whole).</p>` : ''}
${
  r.attachments.length
    ? html`<p>Attachments: ${r.attachments.map((a, i) => html`${i ? ', ' : ''}<span class="mono">${a.filename ?? '(unnamed)'}</span> (${a.contentType}, ${kb(a.size)})`)}</p>`
    : ''
}
<table>
  <caption>What triage found in it</caption>
  <thead><tr><th scope="col">Target</th><th scope="col">Kind</th><th scope="col">Role</th><th scope="col">Why</th><th scope="col">How sure</th><th scope="col">Customer</th></tr></thead>
  <tbody>
  ${r.targets.map(
    (t) =>
      html`<tr><td class="target">${t.value}${t.seen.length ? html`<br><small>${t.seen.slice(0, 5).join(' ')}</small>` : ''}</td><td>${t.type}</td><td>${t.role}</td><td>${t.why}</td><td>${t.basis ? html`<span class="basis ${t.basis}">${t.basis}</span>${t.toConfirm ? ' · to confirm' : ''}<br><small>${t.basisWhy ?? ''}</small>` : '—'}</td><td>${t.customerId ?? '—'}${t.reason ? ` (${t.reason})` : ''}</td></tr>`,
  )}
  </tbody>
</table>`
}
</article>`;
}

const STATE_TEXT: Record<string, string> = {
  sent: 'sent',
  refused: 'refused by the recipient’s server',
  capped: 'held: over the sending cap',
  suppressed: 'held: address suppressed',
  'dead-lettered': 'dead-lettered',
  received: 'received',
};

/** Every mail in and out of the case, oldest first, each body folded away in a <details>. */
export function threadSection(entries: ReadonlyArray<ThreadEntry & { hidden?: string }>): Html {
  return html`
<section aria-labelledby="h-thread">
<h2 id="h-thread" tabindex="-1">Mail thread</h2>
${entries.length ? '' : html`<p>No mail yet.</p>`}
<ol class="thread">
${entries.map(
  (e) => html`<li class="${e.direction}">
<details>
<summary><time datetime="${e.at}">${e.at}</time> · ${e.direction === 'out' ? 'to' : 'from'} ${partyText(e)} · ${e.kind} · ${STATE_TEXT[e.state] ?? e.state}${e.reason ? ` (${e.reason})` : ''}${e.subject ? html` · <q>${e.subject}</q>` : ''}</summary>
${e.text !== null ? html`<pre tabindex="0">${e.text}</pre>` : html`<p class="note">${e.hidden ?? 'Its text was erased by retention.'}</p>`}
</details>
</li>`,
)}
</ol>
</section>`;
}

const partyText = (e: ThreadEntry): string => (e.party === 'reporter' ? `reporter ${e.reporter ?? ''}`.trim() : e.party);

/** The held notice as it will be sent, and the form to add a message, trim the extract and release it. */
export function heldNoticeSection(preview: { subject: string; text: string; excerpt: string | null; message: string | null } | { error: string }, form: (fields: Html) => Html, previewAction: string): Html {
  if ('error' in preview) return html`<p class="alert">The notice cannot be shown: ${preview.error}</p>`;
  return html`
<h3 id="h-preview">As it will be sent</h3>
<pre class="preview" tabindex="0" aria-labelledby="h-preview">Subject: ${preview.subject}

${preview.text}</pre>
${form(html`
  <label for="a-message">Your message to the customer (optional, shown above the extract)</label>
  <textarea id="a-message" name="message" rows="4" maxlength="4000">${preview.message ?? ''}</textarea>
  <label for="a-excerpt">Extract (you may cut it, not add to it)</label>
  <textarea id="a-excerpt" name="excerpt" rows="8" maxlength="20000">${preview.excerpt ?? ''}</textarea>
  <button type="submit" formaction="${previewAction}">Preview with these changes</button>`)}`;
}
