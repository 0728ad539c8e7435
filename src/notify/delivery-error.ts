/**
 * Where a send failed decides what it means. Only the recipient's own refusal
 * (5xx to RCPT TO, or after DATA) is a fact about the recipient; a failure of
 * the connection, TLS, AUTH or MAIL FROM is a failure of our relay path, even
 * with a 5xx (an expired password, a sender-policy change), and must never be
 * written off against the people we were writing to.
 */
export type DeliveryFailure =
  /** The recipient's server refused this recipient for good: recorded, not retried. */
  | 'refused'
  /** The recipient's side said "later" (4xx to RCPT TO or DATA): retried. */
  | 'deferred'
  /** Our relay path failed: retried, and raised to ops. */
  | 'relay';

export type DeliveryStage = 'connection' | 'tls' | 'auth' | 'sender' | 'recipient' | 'data' | 'unknown';

export interface ClassifiedFailure {
  failure: DeliveryFailure;
  stage: DeliveryStage;
  /** The SMTP reply code, when the server gave one. */
  code?: number;
}

interface SmtpLikeError {
  code?: string;
  responseCode?: number;
  command?: string;
  message?: string;
}

/** The SMTP stage a nodemailer error comes from, by its `command` first, then its `code`. */
export function deliveryStage(err: unknown): DeliveryStage {
  const e = (err ?? {}) as SmtpLikeError;
  const command = (e.command ?? '').toUpperCase();
  if (command === 'RCPT TO') return 'recipient';
  if (command === 'DATA') return 'data';
  if (command === 'MAIL FROM') return 'sender';
  if (command.startsWith('AUTH') || e.code === 'EAUTH' || e.code === 'ENOAUTH') return 'auth';
  if (command === 'STARTTLS' || e.code === 'ETLS' || e.code === 'EREQUIRETLS') return 'tls';
  // An address nodemailer itself finds malformed: this recipient can never be mailed.
  if (command === 'API' && e.code === 'EENVELOPE' && /recipient/i.test(e.message ?? '')) return 'recipient';
  if (command === 'CONN' || command === 'EHLO' || command === 'HELO' || command === 'GREETING') return 'connection';
  if (e.code && /^E(CONN|SOCKET|TIMEDOUT|DNS|PIPE|HOSTUNREACH|NETUNREACH|PROTOCOL|MAXLIMIT)|^ECONNRE/.test(e.code)) return 'connection';
  return 'unknown';
}

/**
 * Classifies a nodemailer error by stage, then reply code. Anything that is
 * not the recipient's own answer, including an error we do not recognise,
 * counts as our relay path: retrying it is safe, recording it against the
 * recipient is not.
 */
export function classifyDeliveryError(err: unknown): ClassifiedFailure {
  const code = (err as SmtpLikeError | null)?.responseCode;
  const stage = deliveryStage(err);
  const withCode = typeof code === 'number' ? { code } : {};
  if ((stage === 'recipient' || stage === 'data') && typeof code === 'number') {
    return { failure: code >= 500 ? 'refused' : 'deferred', stage, code };
  }
  // No code on RCPT TO: nodemailer found the address malformed before asking anyone.
  if (stage === 'recipient') return { failure: 'refused', stage };
  return { failure: 'relay', stage, ...withCode };
}
