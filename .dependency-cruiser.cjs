/**
 * The layers of abuse-desk, checked in CI (`npm run lint:layers`).
 * Data flows one way (mailbox -> parse -> job -> classify -> match -> case ->
 * notify); pure rules know nothing of Redis, PostgreSQL, IMAP, SMTP or HTTP;
 * the outer layers (workers/, the HTTP layer, the CLI) are wired from the
 * outside in, never imported by the rules they run.
 */
const IO_LIBRARIES = '^(pg|pg-[^/]+|ioredis|bullmq|imapflow|nodemailer|smtp-server|fastify|@fastify/.+|@bull-board/.+|node:(net|http|https|tls|dgram|dns|child_process|worker_threads)|net|http|https|tls|dgram|dns|child_process|worker_threads)$';

/** Modules marked "Pure.": rules only, no I/O library. */
const PURE = [
  '^src/classify/',
  '^src/text/',
  '^src/parse/',
  '^src/triage/(decide|verdict|match-targets)\\.ts$',
  '^src/cases/(plan-assignment|case-rules|ladder|campaign-groups|plan-report|notice-policy|case-row|report-effects|reply-trust|reply-address|replies|case-ref|store-errors|report-view)\\.ts$',
  '^src/ops/(sla|sla-alerts|business-hours)\\.ts$',
  '^src/notify/(after-delivery|plan-mails|compose|redact|signature-block|self-introduction|mail-intent|mime|template-variables|delivery-error)\\.ts$',
];

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'A cycle makes two modules one: move what both need into a third.', from: {}, to: { circular: true } },
    {
      name: 'pure-rules-no-io',
      severity: 'error',
      comment: 'Pure rules (classify, text, parse, the triage verdict, the case planner, the SLA rules, mail planning) import no Redis, PostgreSQL, IMAP, SMTP, HTTP or process library: the I/O is wired around them.',
      from: { path: PURE },
      to: { path: IO_LIBRARIES, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workers-are-outer',
      severity: 'error',
      comment: 'workers/ wire queues to functions in src/; nothing in src/ imports them except the CLI, which starts them.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^workers/' },
    },
    {
      name: 'http-is-outer',
      severity: 'error',
      comment: 'The HTTP layer (API, board, auth) calls into src/; nothing below it imports it except the CLI, which starts it.',
      from: { path: '^src/', pathNot: '^src/(http|cli)/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'intake-is-outer',
      severity: 'error',
      comment: 'src/intake (what happens to one message after its verdict) is driven by workers and, later, the web form and API; the stages it calls never import it.',
      from: { path: '^src/', pathNot: '^src/(intake|http|cli)/' },
      to: { path: '^src/intake/' },
    },
    {
      name: 'cli-is-outer',
      severity: 'error',
      comment: 'The CLI commands are an entry point; nothing else imports them.',
      from: { path: '^(src|workers)/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'flow-one-way',
      severity: 'error',
      comment: 'Data flows mailbox -> parse -> classify -> triage -> cases -> notify: an earlier stage never imports a later one.',
      from: { path: '^src/(parse|classify|text|config|directory)/' },
      to: { path: '^src/(triage|cases|actions|notify|ops|queue|mailbox|operators|dev)/' },
    },
    {
      name: 'triage-before-cases',
      severity: 'error',
      from: { path: '^src/triage/' },
      to: { path: '^src/(cases|actions|notify|ops|mailbox|operators|dev)/' },
    },
    {
      name: 'cases-before-notify',
      severity: 'error',
      comment: 'Cases decide what mail is due; notify composes and sends it.',
      from: { path: '^src/cases/' },
      to: { path: '^src/(actions|notify|ops|mailbox|operators|dev)/' },
    },
    {
      name: 'notify-before-actions',
      severity: 'error',
      comment: 'Notify composes and sends the mails others plan; it does not reach back into operator actions or ops.',
      from: { path: '^src/notify/' },
      to: { path: '^src/(actions|ops|mailbox|operators)/' },
    },
    {
      name: 'dev-tools-stay-out',
      severity: 'error',
      comment: 'src/dev (demo, sample complaints, test servers) is used by the demo and the tests, never by the service.',
      from: { path: '^(src|workers)/', pathNot: '^src/(dev|cli)/' },
      to: { path: '^src/dev/' },
    },
    {
      name: 'config-is-the-floor',
      severity: 'error',
      comment: 'Config (schema, loader, the category vocabulary) is read by every layer and reads none of them.',
      from: { path: '^src/config/' },
      to: { path: '^(src/(?!config/)|workers/)' },
    },
    { name: 'no-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // TypeScript 7 has no compiler API for the cruiser: swc parses the sources.
    parser: 'swc',
    tsPreCompilationDeps: true,
    exclude: { path: '^(tests|node_modules)/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
