import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config/schema.ts';

/** SMTP transport from config; pooled by default (several times faster than a connection per mail). */
export function createTransport(smtp: Config['smtp']): Transporter {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS,
    tls: { rejectUnauthorized: smtp.tlsRejectUnauthorized },
    auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
    pool: smtp.pool,
    maxConnections: smtp.maxConnections,
    maxMessages: Infinity,
    ...(smtp.rateLimitPerSec > 0 ? { rateDelta: 1000, rateLimit: smtp.rateLimitPerSec } : {}),
  } as Parameters<typeof nodemailer.createTransport>[0]);
}
