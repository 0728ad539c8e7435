import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { RouteAccess } from '../../src/http/access.ts';
import { buildApi } from '../../src/http/server.ts';
import { startApi } from '../../src/http/start-api.ts';
import { allows, type Role } from '../../src/operators/roles.ts';
import { operator } from '../support/operators.ts';
import { startStack, type Stack } from '../support/stack.ts';

const viewer = operator('vic', 'viewer');
const agent = operator('ann', 'agent');
const admin = operator('ada', 'admin');

/** A raw HTTP request: the path goes out exactly as written (no client-side normalising of %xx, "//" or case). */
function raw(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    // A connection per request: one the server closed after a malformed request line is not reused.
    const req = request({ host: u.hostname, port: u.port, method, path, agent: false, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A concrete path for a route: its parameters filled with values that exist or parse. */
const concrete = (url: string): string =>
  url
    .replace(':ref', 'AD-2026-000001')
    .replace(':n', '1')
    .replace(/:queueName|:queue/g, 'notify')
    .replace(/:[A-Za-z]+/g, 'x')
    .replace('*', 'static/x.js');

/**
 * Ways to write the same path that a router may decode or fold: each must
 * meet the same door, or none. Some are not valid request targets at all
 * (no leading "/", a ".." segment): the server closes the connection or
 * answers 400, which reaches nothing either (status -1 below).
 */
function variants(path: string): string[] {
  const [p, q] = path.split('?');
  const segs = p!.split('/');
  const out = new Set<string>();
  for (let i = 1; i < segs.length; i++) {
    const s = segs[i]!;
    if (!s) continue;
    // One character percent-encoded, in lower and upper case hex: /%6fps/queues, /%6Fps/queues.
    const c = s.charCodeAt(0).toString(16);
    out.add([...segs.slice(0, i), `%${c}${s.slice(1)}`, ...segs.slice(i + 1)].join('/'));
    out.add([...segs.slice(0, i), `%${c.toUpperCase()}${s.slice(1)}`, ...segs.slice(i + 1)].join('/'));
    // Double-encoded, which must not decode twice.
    out.add([...segs.slice(0, i), `%25${c}${s.slice(1)}`, ...segs.slice(i + 1)].join('/'));
    // The segment in capitals.
    out.add([...segs.slice(0, i), s.toUpperCase(), ...segs.slice(i + 1)].join('/'));
  }
  out.add(`/${p}`); // a double slash in front
  out.add(p!.replace(/\//g, '//'));
  out.add(`${p}/`); // a trailing slash
  out.add(`${p}%2F`);
  out.add(`${p};x`);
  out.add(p!.replace(/\//g, '%2F'));
  out.add(`/./${p!.slice(1)}`);
  out.add(`/x/..${p}`);
  return [...out].map((v) => (q ? `${v}?${q}` : v));
}

/**
 * Every route the API registers, Fastify's own list of them: each states who
 * may call it; without credentials, with a viewer's token, with a viewer's
 * board session, and with its path written in every way a router may fold
 * (percent-encoding, double slashes, case, trailing characters), a route
 * that needs a role answers 401 or 403, and a variant reaches nothing else.
 */
describe('every route states who may call it, and is refused to everyone else however its path is written', () => {
  let stack: Stack;
  let api: { url: string; routes: RouteAccess[]; close(): Promise<void> };
  let viewerCookie = '';

  before(async () => {
    stack = await startStack({ api: { host: '127.0.0.1', port: 0, operators: [viewer.entry, agent.entry, admin.entry] } });
    api = await startApi(stack.runtime);
    // A viewer's board session, signed in as a browser would.
    const page = await raw(api.url, 'GET', '/board/login', { accept: 'text/html' });
    assert.equal(page.status, 200);
    const login = await fetch(`${api.url}/board/login`);
    const signInCookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await login.text())![1]!;
    const res = await fetch(`${api.url}/board/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: signInCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ operator: viewer.entry.name, token: viewer.token, csrf }),
    });
    assert.equal(res.status, 303, await res.text());
    viewerCookie = res.headers.get('set-cookie')!.split(',').map((c) => c.trim().split(';')[0]!).find((c) => c.startsWith('adk_session='))!;
  });

  after(async () => {
    await api?.close();
    await stack?.stop();
  });

  it('lists the routes, bull-board’s among them, each with who may call it', () => {
    const urls = api.routes.map((r) => `${r.method} ${r.url}`);
    for (const must of ['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /api/cases', 'POST /api/cases/:ref/status', 'GET /board', 'POST /board/login', 'GET /ops/queues/api/queues', 'PUT /ops/queues/api/queues/:queueName/pause']) {
      assert.ok(urls.includes(must), `${must} is not among the routes: ${urls.join(', ')}`);
    }
    const undeclared = api.routes.filter((r) => r.access === undefined).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(undeclared, [], 'routes that do not say who may call them');
    const publicRoutes = api.routes.filter((r) => r.access === 'public' && r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`).sort();
    assert.deepEqual(publicRoutes, ['GET /board/board.js', 'GET /board/login', 'GET /board/style.css', 'GET /healthz', 'GET /readyz', 'POST /board/login'], 'what anonymous callers may reach');
    for (const r of api.routes.filter((x) => x.url.startsWith('/ops/queues'))) assert.equal(r.access, 'admin', `${r.method} ${r.url}`);
  });

  it('refuses every route that needs a role without credentials, and with a role too low', async () => {
    const failures: string[] = [];
    for (const r of api.routes) {
      if (r.method === 'HEAD' || r.access === 'public') continue;
      const path = concrete(r.url);
      const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) ? '{}' : undefined;
      const anonymous = await raw(api.url, r.method, path, {}, body);
      if (anonymous.status !== 401) failures.push(`${r.method} ${path} without credentials: ${anonymous.status}`);
      const viewerWays: Array<[string, Record<string, string>]> = [];
      if (r.credentials !== 'session') viewerWays.push(['viewer token', { authorization: `Bearer ${viewer.token}` }]);
      if (r.credentials !== 'token') viewerWays.push(['viewer session', { cookie: viewerCookie }]);
      for (const [how, headers] of viewerWays) {
        const res = await raw(api.url, r.method, path, headers, body);
        const allowed = allows('viewer', r.access as Role);
        if (!allowed && res.status !== 403) failures.push(`${r.method} ${path} with a ${how}: ${res.status}, not 403`);
        // A board form posted without its form token is refused as such (403, saying so): that is not the role's door.
        const formRefusal = res.status === 403 && /form token/.test(res.body);
        if (allowed && (res.status === 401 || (res.status === 403 && !formRefusal))) failures.push(`${r.method} ${path} with a ${how}: ${res.status}, though viewers may`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('refuses every written form of a protected path that reaches a route, and reaches nothing with the others', async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const r of api.routes) {
      if (r.method === 'HEAD' || r.access === 'public') continue;
      const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) ? '{}' : undefined;
      for (const v of variants(concrete(r.url))) {
        tried++;
        const res = await raw(api.url, r.method, v, {}, body).catch((err: Error) => ({ status: -1, body: `${err.message}` }));
        if (![401, 403, 404, 400, -1].includes(res.status)) failures.push(`${r.method} ${v}: ${res.status} ${res.body.slice(0, 80)}`);
        if (r.access === 'admin') {
          const asViewer = await raw(api.url, r.method, v, { authorization: `Bearer ${viewer.token}` }, body).catch((err: Error) => ({ status: -1, body: `${err.message}` }));
          if (![403, 404, 400, -1].includes(asViewer.status)) failures.push(`${r.method} ${v} as a viewer: ${asViewer.status}`);
        }
      }
    }
    assert.ok(tried > 500, `${tried} variants tried`);
    assert.deepEqual(failures, []);
  });

  it('keeps the queue board shut to the encoded paths that once opened it', async () => {
    const list = await raw(api.url, 'GET', '/%6fps/queues/api/queues?activeQueue=triage&status=completed');
    assert.equal(list.status, 401, list.body.slice(0, 200));
    assert.ok(!/"jobs"/.test(list.body));
    const pause = await raw(api.url, 'PUT', '/%6fps/queues/api/queues/notify/pause', {}, '{}');
    assert.equal(pause.status, 401);
    assert.equal(await stack.redis.hget(`${stack.prefix}:notify:meta`, 'paused'), null, 'the notify queue was not paused');
    // An admin's token opens it, as it should.
    const asAdmin = await raw(api.url, 'GET', '/ops/queues/api/queues?activeQueue=triage&status=completed', { authorization: `Bearer ${admin.token}` });
    assert.equal(asAdmin.status, 200);
  });

  it('makes the session cookie Secure and __Host- over TLS as a trusted proxy says, and believes no one else', async () => {
    const signIn = async (app: Awaited<ReturnType<typeof buildApi>>, headers: Record<string, string>): Promise<string> => {
      const form = await app.inject({ method: 'GET', url: '/board/login', headers });
      const signInCookie = String(form.headers['set-cookie']).split(';')[0]!;
      assert.equal(signInCookie.startsWith('__Host-'), headers['x-forwarded-proto'] === 'https' && app === proxied, signInCookie);
      const csrf = /name="csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const res = await app.inject({ method: 'POST', url: '/board/login', headers: { ...headers, cookie: signInCookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ operator: agent.entry.name, token: agent.token, csrf }).toString() });
      assert.equal(res.statusCode, 303, res.body);
      return [res.headers['set-cookie']].flat().find((c) => String(c).includes('adk_session='))!;
    };
    const deps = { pool: stack.cases.pool, actions: null as never, logger: stack.runtime.logger, sla: stack.config.sla, ops: { queues: null as never, redis: stack.redis, prefix: stack.prefix } };
    const base = { ...stack.config.api, port: 0, operators: [agent.entry] };
    const proxied = await buildApi({ ...deps, ops: undefined, api: { ...base, trustProxy: ['127.0.0.1'] } });
    const direct = await buildApi({ ...deps, ops: undefined, api: { ...base, trustProxy: false } });
    try {
      const viaProxy = await signIn(proxied, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'desk.example.net' });
      assert.match(viaProxy, /^__Host-adk_session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
      const plain = await signIn(direct, { 'x-forwarded-proto': 'https' });
      assert.match(plain, /^adk_session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/, 'the header of an untrusted client is not believed');
    } finally {
      await proxied.close();
      await direct.close();
    }
  });

  it('tells anonymous callers which check failed, never its error or a host name', async () => {
    const r = await raw(api.url, 'GET', '/readyz');
    const body = JSON.parse(r.body) as { checks: Record<string, Record<string, unknown>> };
    for (const [name, check] of Object.entries(body.checks)) assert.deepEqual(Object.keys(check), ['ok'], name);
  });
});
