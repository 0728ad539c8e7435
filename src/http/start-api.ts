import { composeMail } from '../notify/compose.ts';
import { openCaseDb } from '../cases/case-db.ts';
import { storeWaitOf, untilStoreAnswers } from '../cases/wait-for-store.ts';
import { CaseActions } from '../actions/case-actions.ts';
import { createRedis } from '../queue/connection.ts';
import { dispatchMails } from '../queue/dispatch-mails.ts';
import { createQueues, type Queues } from '../queue/queues.ts';
import type { Redis } from 'ioredis';
import type { Runtime } from '../runtime.ts';
import type { RouteAccess } from './access.ts';
import { buildApi } from './server.ts';
import { cachedProbe } from '../ops/desk-state.ts';
import { probeRelay } from '../notify/smtp-sender.ts';

/**
 * The case actions with their database and notify queue, as the API and the
 * CLI use them. `waitForStore`: a long-running process waits out an
 * unreachable store at start; a CLI command fails at once.
 */
export async function openActions(rt: Runtime, o: { waitForStore?: boolean } = {}): Promise<{ actions: CaseActions; pool: Awaited<ReturnType<typeof openCaseDb>>; queues: Queues; redis: Redis; close(): Promise<void> }> {
  const { config } = rt;
  const open = () => openCaseDb(config.cases);
  const pool = !o.waitForStore ? await open() : await untilStoreAnswers(open, storeWaitOf(config, rt.logger));
  const redis = createRedis({ url: config.redis.url, role: 'producer', name: 'actions' });
  const queues = createQueues(config, redis);
  const actions = new CaseActions({
    pool,
    directory: () => rt.directory.get(),
    escalateTo: config.desk.escalateTo,
    ladder: config.ladder,
    noticeExcerptChars: config.limits.noticeExcerptChars,
    noticePolicy: config.cases.noticePolicy,
    dispatch: (mails, jobId) => dispatchMails(queues, mails, jobId),
  });
  return {
    actions,
    pool,
    queues,
    redis,
    async close() {
      await queues.close();
      await redis.quit().catch(() => undefined);
      await pool.end();
    },
  };
}

/** Starts the HTTP API on api.host:api.port; returns the address and a stopper. */
export async function startApi(rt: Runtime): Promise<{ url: string; routes: RouteAccess[]; close(): Promise<void> }> {
  const opened = await openActions(rt, { waitForStore: true });
  try {
    const { config } = rt;
    const app = await buildApi({
      pool: opened.pool,
      actions: opened.actions,
      api: config.api,
      operators: () => rt.operators.get(),
      logger: rt.logger,
      ops: { queues: opened.queues, redis: opened.redis, prefix: config.redis.prefix },
      sla: config.sla,
      deskName: config.desk.name,
      pollerStaleSec: config.ops.pollerStaleSec,
      probes: { imap: { prefix: config.redis.prefix, staleSec: config.ops.pollerStaleSec }, smtp: cachedProbe(() => probeRelay(config.smtp, 2000), config.ops.relayProbeSec * 1000) },
      directory: () => ({ counts: rt.directory.get().counts, loadedAt: rt.directory.loadedAt, failedReloads: rt.directory.failedReloads }),
      compose: (intent) => composeMail(intent, rt.templates, { deskName: config.desk.name, from: config.desk.from }),
      refPrefix: config.desk.caseRefPrefix,
    });
    const url = await app.listen({ host: rt.config.api.host, port: rt.config.api.port });
    rt.logger.info({ url, operators: rt.config.api.operators.length }, 'API listening; OpenAPI document at /api/openapi.json, case board at /board');
    return {
      url,
      routes: app.routeAccess,
      async close() {
        await app.close();
        await opened.close();
      },
    };
  } catch (err) {
    await opened.close();
    throw err;
  }
}
