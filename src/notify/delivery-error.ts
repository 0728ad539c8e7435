/** Whether retrying a failed send can ever succeed. */
export type DeliveryFailure = 'permanent' | 'temporary';

interface SmtpLikeError {
  code?: string;
  responseCode?: number;
  command?: string;
}

const TEMPORARY_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNREFUSED', 'ECONNRESET', 'EDNS', 'EPIPE', 'EHOSTUNREACH', 'ETLS', 'EMAXLIMIT', 'EPROTOCOL']);

/**
 * Classifies a nodemailer error: the SMTP reply code decides first (5xx is
 * permanent, 4xx temporary); without one, network errors are temporary and
 * anything else permanent (a bug or a bad address will not heal by retrying).
 */
export function classifyDeliveryError(err: unknown): DeliveryFailure {
  const e = (err ?? {}) as SmtpLikeError;
  if (typeof e.responseCode === 'number') {
    if (e.responseCode >= 500) return 'permanent';
    if (e.responseCode >= 400) return 'temporary';
  }
  if (e.code && TEMPORARY_CODES.has(e.code)) return 'temporary';
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return 'permanent';
  return e.code ? 'temporary' : 'permanent';
}
