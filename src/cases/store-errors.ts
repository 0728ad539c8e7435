/**
 * Whether a case store error is the database being unreachable, restarting or
 * stuck (a fault of our own infrastructure, to wait out), rather than
 * something about the report.
 */
export function isStoreUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  const code = e?.code ?? '';
  // Connection exceptions (08…), shutdown or not accepting connections (57P0x),
  // too many connections, a statement over statement_timeout (57014).
  if (/^08/.test(code) || /^57P0[1-4]$/.test(code) || code === '53300' || code === '57014') return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|connection timeout|Client has encountered a connection error/i.test(e?.message ?? '');
}
