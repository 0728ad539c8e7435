import { z } from 'zod';
import { CATEGORIES, PRIORITIES } from './category-names.ts';

const port = z.number().int().min(1).max(65535);
const positiveInt = z.number().int().positive();
const language = z.enum(['en', 'fr']);
const domainName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i, 'a domain name such as example.net');

// Any one reached raises the case: distinct reporters, reports, reports from one reporter.
const volume = z.strictObject({ reporters: positiveInt, reports: positiveInt, fromOneReporter: positiveInt });

const byPriority = z.strictObject({ urgent: positiveInt, high: positiveInt, normal: positiveInt, low: positiveInt });

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, 24-hour');
const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const capWindow = z.strictObject({ max: positiveInt, windowSec: positiveInt });

// Strict objects: a misspelt key is an error that names it, not a silent default.
export const configSchema = z.strictObject({
  desk: z.strictObject({
    name: z.string().min(1),
    from: z.string().min(3).regex(/@/, 'a sender such as "Abuse Desk <abuse@example.net>"'),
    ownDomains: z.array(domainName),
    defaultLanguage: language,
    caseRefPrefix: z.string().regex(/^[A-Z]{1,6}$/, '1 to 6 capital letters'),
    escalateTo: z.union([z.literal(''), z.email()]),
    replyToCase: z.boolean(),
  }),
  replies: z.strictObject({
    trustedAuthServIds: z.array(z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'the authserv-id your receiving mail server writes in Authentication-Results, such as mx.example.net')),
  }),
  imap: z.strictObject({
    host: z.string().min(1),
    port,
    secure: z.boolean(),
    tlsRejectUnauthorized: z.boolean(),
    user: z.string().min(1),
    password: z.string(),
    mailbox: z.string().min(1),
    processedFolder: z.string().min(1),
    failedFolder: z.string().min(1),
    idle: z.boolean(),
    pollIntervalMs: z.number().int().min(100),
    batchSize: z.number().int().min(1).max(10000),
    reconnect: z.strictObject({
      initialMs: positiveInt,
      maxMs: positiveInt,
      resetAfterMs: positiveInt,
    }),
    connectTimeoutMs: positiveInt,
  }),
  redis: z.strictObject({
    url: z.string().regex(/^rediss?:\/\//, 'a URL such as redis://127.0.0.1:6379'),
    prefix: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only'),
  }),
  smtp: z.strictObject({
    host: z.string().min(1),
    port,
    secure: z.boolean(),
    requireTLS: z.boolean(),
    tlsRejectUnauthorized: z.boolean(),
    user: z.string(),
    password: z.string(),
    pool: z.boolean(),
    maxConnections: positiveInt,
    rateLimitPerSec: z.number().min(0),
  }),
  templates: z.strictObject({ dir: z.string().min(1) }),
  rules: z.strictObject({ file: z.string().min(1) }),
  directory: z.strictObject({
    source: z.string().min(1),
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier such as abuse_desk'),
    watch: z.boolean(),
    reloadIntervalSec: z.number().int().min(0),
    connectTimeoutMs: z.number().int().min(100),
    statementTimeoutMs: z.number().int().min(100),
  }),
  dns: z.strictObject({
    enabled: z.boolean(),
    servers: z.array(z.string().regex(/^(\[[0-9a-f:]+\]|[0-9.]+|[0-9a-f:]+)(:\d{1,5})?$/i, 'an IP address, optionally with :port, such as 127.0.0.1:5353')),
    timeoutMs: z.number().int().min(50),
    cacheTtlSec: z.number().int().min(0),
    cacheMaxEntries: z.number().int().min(0),
    concurrency: positiveInt,
  }),
  accounts: z.strictObject({
    profileUrlPatterns: z.array(
      z.string().regex(/^https?:\/\/[^/]+\/.*\{handle\}/, 'a URL containing {handle}, such as https://community.example/u/{handle}'),
    ),
    atHandles: z.boolean(),
  }),
  limits: z.strictObject({
    maxMessageBytes: positiveInt,
    maxTextChars: positiveInt,
    maxBatchBytes: positiveInt,
    noticeExcerptChars: z.number().int().min(0),
  }),
  workers: z.strictObject({
    triageConcurrency: positiveInt,
    notifyConcurrency: positiveInt,
    triageThreads: z.number().int().min(1).max(64),
    triageBudgetMs: z.number().int().min(100),
  }),
  delivery: z.strictObject({
    retryForSec: positiveInt,
    maxBackoffMs: positiveInt,
  }),
  caps: z.strictObject({
    perAddress: z.array(capWindow),
    perDomain: z.array(capWindow),
    exemptDomains: z.array(domainName),
    suppressForSec: positiveInt,
  }),
  cases: z.strictObject({
    database: z.string().regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL such as postgres://abuse_desk@127.0.0.1:5432/abuse_desk'),
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier such as abuse_desk_cases'),
    connectTimeoutMs: z.number().int().min(100),
    statementTimeoutMs: z.number().int().min(100),
    poolSize: positiveInt,
    joinWindowSec: positiveInt,
    noticeUpdateIntervalSec: z.number().int().min(0),
    realertIntervalSec: z.number().int().min(0),
    raise: z.strictObject({
      high: volume,
      urgent: volume,
    }),
    trustedReporters: z.array(z.string().regex(/^([^@\s]+@)?[a-z0-9.-]+\.[a-z]{2,}$/i, 'an address (cert@example.org) or a domain (example.org)')),
    namedTargets: z.strictObject({
      notifyCategories: z.array(z.enum(CATEGORIES)),
      notifyReporters: z.array(z.string().regex(/^([^@\s]+@)?[a-z0-9.-]+\.[a-z]{2,}$/i, 'an address (cert@example.org) or a domain (example.org)')),
    }),
    noticePolicy: z.array(
      z.strictObject({
        category: z.enum([...CATEGORIES, '*']),
        targetType: z.enum(['domain', 'server', 'account', 'none', '*']),
        policy: z.enum(['notify', 'review', 'never']),
      }),
    ),
    retention: z.strictObject({
      reporterDataDays: positiveInt,
      sweepIntervalSec: z.number().int().min(0),
    }),
  }),
  ladder: z.strictObject({
    enabled: z.boolean(),
    windowDays: positiveInt,
    rungs: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[a-z_]{1,40}$/, 'a short name in lower case, such as warning'),
          template: z.string().regex(/^notice(-[a-z0-9-]+)?$/, 'notice, or notice-<name> (a file <language>/notice-<name>.mustache in templates.dir)'),
          deadlineDays: z.number().int().min(0),
          confirm: z.boolean(),
        }),
      )
      .min(1),
    severity: z.partialRecord(z.enum(CATEGORIES), z.number().int().min(-10).max(10)),
    flags: z.strictObject({ good_faith: z.number().int(), compromised: z.number().int(), availability_risk: z.number().int() }),
  }),
  ops: z.strictObject({
    staleJobSec: positiveInt,
    pollerStaleSec: positiveInt,
    relayProbeSec: positiveInt,
  }),
  sla: z.strictObject({
    enabled: z.boolean(),
    acknowledgeSec: positiveInt,
    noticeSec: byPriority,
    reviewSec: byPriority,
    resolveSec: byPriority,
    warnAt: z.number().gt(0).lt(1),
    realertSec: positiveInt,
    scanIntervalMs: z.number().int().min(100),
    alertTo: z.union([z.literal(''), z.email()]),
    webhook: z.union([z.literal(''), z.url()]),
    categories: z.partialRecord(
      z.enum(CATEGORIES),
      z.strictObject({ noticeSec: byPriority.partial().optional(), reviewSec: byPriority.partial().optional(), resolveSec: byPriority.partial().optional() }),
    ),
    businessHours: z
      .strictObject({
        enabled: z.boolean(),
        timezone: z.string().refine(isTimeZone, 'an IANA time zone, such as Europe/Paris or UTC'),
        days: z.array(z.number().int().min(0).max(6)).min(1, 'at least one day (0 Sunday … 6 Saturday)'),
        start: hhmm,
        end: hhmm,
        priorities: z.array(z.enum(PRIORITIES)),
      })
      .refine((b) => b.start < b.end, { message: 'end must come after start (the same day)', path: ['end'] }),
  }),
  api: z.strictObject({
    listen: z.boolean(),
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    operators: z.array(
      z.strictObject({
        name: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'a short operator name (letters, digits, . _ @ -)'),
        role: z.enum(['viewer', 'agent', 'admin']),
        tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'the sha256 of the token in hex: `abuse-desk api token NAME ROLE` prints it'),
      }),
    ),
    trustProxy: z.union([z.boolean(), z.array(z.string().regex(/^[0-9a-f:.]+(\/\d{1,3})?$/i, 'an address or network of your proxy, such as 10.0.0.5 or 10.0.0.0/8'))]),
    session: z.strictObject({ idleSec: z.number().int().min(60), maxSec: z.number().int().min(60) }),
    signIn: z.strictObject({ perAddress: capWindow, perOperator: capWindow }),
  }),
  jobs: z.strictObject({
    attempts: positiveInt,
    backoffMs: positiveInt,
    lockDurationMs: z.number().int().min(1000),
    stalledIntervalMs: z.number().int().min(1000),
    maxStalledCount: z.number().int().min(0),
    keepCompleted: z.strictObject({ ageSec: positiveInt, count: positiveInt }),
    keepFailed: z.strictObject({ ageSec: positiveInt, count: positiveInt }),
    sentLedgerTtlSec: positiveInt,
    outage: z.strictObject({ probeInitialMs: z.number().int().min(50), probeMaxMs: z.number().int().min(50), parkSec: positiveInt }),
  }),
  log: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  }),
});

export type Config = z.infer<typeof configSchema>;
export type Language = z.infer<typeof language>;
