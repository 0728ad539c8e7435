import type { FastifyInstance, FastifyReply } from 'fastify';
import type pg from 'pg';
import type { CaseActions } from '../actions/case-actions.ts';
import { ActionError } from '../actions/case-status.ts';
import { MESSAGE_CHARS, type NoticeEdits } from '../actions/held-notice.ts';
import { caseThread } from '../cases/mail-thread.ts';
import { caseReports, reportMessage } from '../cases/report-queries.ts';
import type { MailIntent } from '../notify/mail-intent.ts';
import type { Operator } from '../operators/roles.ts';
import { refParam } from './action-bodies.ts';
import { reportsFor, threadFor } from './report-presenter.ts';

/** Renders a mail as it will leave (subject and text), from the desk's templates. */
export type ComposeText = (intent: MailIntent) => { subject: string; text: string };

export interface ReadingDeps {
  pool: pg.Pool;
  actions: CaseActions;
  compose?: ComposeText;
}

const error = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } as const;
const errors = { 400: error, 401: error, 403: error, 404: error, 409: error } as const;
export const reportKeyParam = {
  type: 'object',
  required: ['ref', 'key'],
  properties: { ...refParam.properties, key: { type: 'string', pattern: '^msg-[0-9a-f]{32}$' } },
} as const;
/** What a person may change in a held notice (the release's body, and the preview's query). */
export const noticeEdits = {
  type: 'object',
  additionalProperties: false,
  properties: { message: { type: 'string', maxLength: MESSAGE_CHARS }, excerpt: { type: 'string', maxLength: 20_000 } },
} as const;

/** The held notice as it will be sent, composed; 409 when there is none to show. */
export async function previewNotice(d: ReadingDeps, ref: string, edits: NoticeEdits): Promise<{ to: string; customerId: string | null; subject: string; text: string; excerpt: string | null; message: string | null }> {
  if (!d.compose) throw new ActionError('this process has no templates to compose a notice with', 409);
  const intent = await d.actions.heldNotice(ref, edits);
  const mail = d.compose(intent);
  return { to: intent.to, customerId: intent.customerId ?? null, subject: mail.subject, text: mail.text, excerpt: intent.excerpt ?? null, message: intent.message ?? null };
}

/** Sends one report's raw message as a download, or says why there is none. */
export async function sendEml(pool: pg.Pool, reply: FastifyReply, ref: string, key: string): Promise<FastifyReply> {
  const found = await reportMessage(pool, ref, key);
  if ('none' in found) {
    const why = { 'no-report': `case ${ref} has no report ${key}`, erased: 'the message was erased by retention', 'not-kept': 'the message was received before reports were kept' }[found.none];
    throw new ActionError(why, found.none === 'no-report' ? 404 : 410);
  }
  // Downloaded, never shown inline: a message is hostile input.
  return reply
    .type('message/rfc822')
    .header('content-disposition', `attachment; filename="${ref}-${key}.eml"`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(found.raw);
}

/**
 * What a person reads on a case, in the JSON API: its reports (text as
 * received, redacted for viewers), the .eml (agents), its mail thread, and
 * the held notice as it will be sent (agents).
 */
export function registerReadingRoutes(app: FastifyInstance, d: ReadingDeps): void {
  app.get(
    '/api/cases/:ref/reports',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "The case's reports as received: subject, text (a viewer's without the reporter's details), attachments, targets found with their role and why",
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: refParam,
        querystring: { type: 'object', additionalProperties: false, properties: { offset: { type: 'integer', minimum: 0, maximum: 10_000_000 }, limit: { type: 'integer', minimum: 1, maximum: 100 } } },
        response: { 200: { type: 'object', additionalProperties: true, properties: { total: { type: 'integer' }, reports: { type: 'array', items: { type: 'object', additionalProperties: true } } } }, ...errors },
      },
    },
    async (req) => {
      const { ref } = req.params as { ref: string };
      const q = req.query as { offset?: number; limit?: number };
      const page = await caseReports(d.pool, ref, { offset: q.offset ?? 0, limit: q.limit ?? 20 });
      if (!page) throw new ActionError(`no case ${ref}`, 404);
      return { total: page.total, reports: reportsFor((req.operator as Operator).role, page.reports) };
    },
  );

  app.get(
    '/api/cases/:ref/reports/:key/eml',
    {
      config: { access: 'agent' },
      schema: { summary: 'The report as received (message/rfc822), to download', tags: ['cases'], security: [{ bearer: [] }], params: reportKeyParam, response: { ...errors, 410: error } },
    },
    async (req, reply) => {
      const { ref, key } = req.params as { ref: string; key: string };
      return sendEml(d.pool, reply, ref, key);
    },
  );

  app.get(
    '/api/cases/:ref/thread',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Every mail sent or received for the case, acknowledgements included: direction, party, subject, body, delivery state',
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: refParam,
        response: { 200: { type: 'array', items: { type: 'object', additionalProperties: true } }, ...errors },
      },
    },
    async (req) => {
      const { ref } = req.params as { ref: string };
      const thread = await caseThread(d.pool, ref);
      if (!thread) throw new ActionError(`no case ${ref}`, 404);
      return threadFor((req.operator as Operator).role, thread);
    },
  );

  app.get(
    '/api/cases/:ref/held-notice',
    {
      config: { access: 'agent' },
      schema: {
        summary: 'The notice a case awaiting review holds, exactly as releasing it (with these edits) would send it',
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: refParam,
        querystring: noticeEdits,
        response: { 200: { type: 'object', additionalProperties: true, properties: { subject: { type: 'string' }, text: { type: 'string' } } }, ...errors },
      },
    },
    async (req) => previewNotice(d, (req.params as { ref: string }).ref, req.query as NoticeEdits),
  );
}
