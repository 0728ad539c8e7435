import dns2 from 'dns2';

export interface TestDns {
  address: string;
  /** Queries received, by "name TYPE". */
  queries: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A DNS server on loopback (UDP, free port) answering A and AAAA from a fixed
 * table; names listed in `silent` get no answer at all (a timeout). Nothing
 * in the tests ever queries a public resolver.
 */
export async function startTestDns(records: Record<string, { A?: string[]; AAAA?: string[] }>, silent: string[] = []): Promise<TestDns> {
  const { Packet } = dns2 as unknown as { Packet: any };
  const queries = new Map<string, number>();
  const server = (dns2 as unknown as { createServer: (o: unknown) => any }).createServer({
    udp: true,
    handle: (request: any, send: (r: unknown) => void) => {
      const [q] = request.questions;
      const type = q.type === Packet.TYPE.A ? 'A' : q.type === Packet.TYPE.AAAA ? 'AAAA' : String(q.type);
      queries.set(`${q.name} ${type}`, (queries.get(`${q.name} ${type}`) ?? 0) + 1);
      if (silent.includes(q.name)) return;
      const response = Packet.createResponseFromRequest(request);
      for (const address of records[q.name]?.[type as 'A' | 'AAAA'] ?? []) {
        response.answers.push({ name: q.name, type: q.type, class: Packet.CLASS.IN, ttl: 300, address });
      }
      send(response);
    },
  });
  await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  return {
    address: `127.0.0.1:${server.addresses().udp.port}`,
    queries,
    close: () => server.close(),
  };
}
