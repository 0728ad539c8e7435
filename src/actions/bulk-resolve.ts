import { createHash } from 'node:crypto';
import type { MailIntent } from '../notify/mail-intent.ts';
import { mailId } from '../notify/plan-mails.ts';

/** A short stable key of a set of cases: the same selection resolved again queues nothing new. */
export const batchKey = (refs: readonly string[]): string => createHash('sha256').update([...refs].sort().join('\n')).digest('hex').slice(0, 16);

/**
 * The mails of several resolutions with each reporter told once: a
 * reporter's decision mails become one, about the first of their cases and
 * naming the others (`cases`). Mails to customers (statements of reasons)
 * stay one per case: each is a decision of its own. Pure.
 */
export function oncePerReporter(mails: readonly MailIntent[], refs: readonly string[]): MailIntent[] {
  const out: MailIntent[] = [];
  const decisions = new Map<string, MailIntent[]>();
  for (const m of mails) {
    if (m.kind !== 'decision') out.push(m);
    else decisions.set(m.to.toLowerCase(), [...(decisions.get(m.to.toLowerCase()) ?? []), m]);
  }
  for (const [to, same] of decisions) {
    const [first, ...others] = same;
    if (!others.length) {
      out.push(first!);
      continue;
    }
    out.push({
      ...first!,
      id: mailId(`resolved-together-${batchKey(refs)}`, 'decision', to),
      targets: same.flatMap((m) => m.targets),
      cases: others.map((m) => ({ ref: m.caseRef, reports: 0, reporters: 0, joined: true, target: m.targets[0]?.value ?? '', priority: m.priority, status: 'resolved' })),
    });
  }
  return out;
}
