/** What the API answered: the status, the body (parsed when JSON), its bytes and type. */
export interface ApiAnswer {
  status: number;
  json: any;
  raw: Buffer;
  type: string | null;
}

/** Calls the API at the address `base()` gives (known once it listens) with an operator's bearer token, JSON in and out. */
export const apiCaller =
  (base: () => string) =>
  async (path: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<ApiAnswer> => {
    const res = await fetch(`${base()}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    const raw = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type');
    return { status: res.status, raw, type, json: type?.includes('json') ? JSON.parse(raw.toString('utf8')) : null };
  };
