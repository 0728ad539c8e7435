import type { Config } from '../config/schema.ts';
import { describeSource, loadDirectory, readSource, sourceOf } from '../directory/load-directory.ts';
import { importToPostgres, schemaSql } from '../directory/sources/postgres-source.ts';

const out = (s: string): boolean => process.stdout.write(`${s}\n`);

/** `abuse-desk lookup TARGET`: who owns it and why. Exit 0 when someone does, 1 when nobody does. */
export async function lookupCommand(target: string | undefined, config: Readonly<Config>, customers: string | undefined, json: boolean): Promise<number> {
  if (!target) {
    process.stderr.write('abuse-desk lookup: give a domain, host name, URL, IP address or @account\n');
    return 2;
  }
  const directory = await loadDirectory(sourceOf(config.directory, customers));
  const matches = directory.lookup(target).map((m) => {
    const c = directory.customer(m.customerId);
    return { ...m, name: c?.name ?? '', contact: c?.contact.email ?? '' };
  });
  if (json) out(JSON.stringify({ target, matches }));
  else if (!matches.length) out(`${target}: no customer owns it`);
  else for (const m of matches) out(`${target}: ${m.customerId} ${m.name} <${m.contact}> — ${m.reason} (${m.entry})`);
  return matches.length ? 0 : 1;
}

/** `abuse-desk directory check|import|schema`. */
export async function directoryCommand(args: string[], config: Readonly<Config>, opts: { customers?: string; to?: string }): Promise<number> {
  const [sub, file] = args;
  if (sub === 'schema') {
    process.stdout.write(schemaSql(config.directory.schema));
    return 0;
  }
  if (sub === 'check') return check(config, opts.customers);
  if (sub === 'import') {
    if (!file) {
      process.stderr.write('abuse-desk directory import: give the customers file to load\n');
      return 2;
    }
    const url = opts.to ?? config.directory.source;
    if (!/^postgres(ql)?:\/\//.test(url)) {
      process.stderr.write('abuse-desk directory import: give the database with --to postgres://… or set directory.source (ABUSE_DESK_DIRECTORY_URL)\n');
      return 2;
    }
    const src = sourceOf(config.directory, file);
    const b = await readSource(src, { record: true });
    if (b.errors.length) {
      for (const e of b.errors.slice(0, 50)) process.stderr.write(`${e}\n`);
      process.stderr.write(`${b.errors.length} problem(s) in ${file}: nothing imported\n`);
      return 1;
    }
    await importToPostgres(url, config.directory.schema, b.rows!);
    const e = b.rows!.entries;
    out(`imported ${b.rows!.customers.length} customers, ${e.domains.length} domains, ${e.networks.length} networks, ${e.hosts.length} hosts, ${e.accounts.length} accounts into ${describeSource(sourceOf(config.directory, url))}`);
    return 0;
  }
  process.stderr.write('abuse-desk directory: say check, import FILE or schema\n');
  return 2;
}

async function check(config: Readonly<Config>, customers: string | undefined): Promise<number> {
  const src = sourceOf(config.directory, customers);
  const b = await readSource(src, { record: true });
  out(`directory ${describeSource(src)}`);
  for (const e of b.errors) out(`error: ${e}`);
  for (const d of b.duplicates) out(`duplicate ${d.kind} ${d.value}: ${d.customerIds.join(', ')}`);
  const directory = b.build();
  let overlaps = 0;
  for (const [customerId, cidr] of b.rows!.entries.networks) {
    for (const outer of directory.enclosing(cidr)) {
      overlaps++;
      out(`overlap: ${cidr} (${customerId}) lies inside ${outer}`);
    }
  }
  const c = directory.counts;
  out(`${c.customers} customers, ${c.domains} domains, ${c.hosts} hosts, ${c.networks} networks, ${c.accounts} accounts; ${b.errors.length} errors, ${b.duplicates.length} duplicates, ${overlaps} overlapping networks`);
  return b.errors.length ? 1 : 0;
}

