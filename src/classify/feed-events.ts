import { parse as parseCsv } from 'csv-parse/sync';
import ipaddr from 'ipaddr.js';
import type { ParsedMessage, TextAttachment } from '../parse/parsed-message.ts';
import { isIpAddress } from '../text/ip-address.ts';

/**
 * One report, many events: the CSV (or comma-separated text) attachment of an
 * automated feed such as Shadowserver, AbuseHUB or UCEPROTECT. Every row names
 * an address; every address is a target.
 */
export interface Feed {
  /** The attachment's file name, e.g. "2022-07-14-scan_postgres-telenor-asn.csv"; it names the report. */
  name: string;
  /** The column the addresses were read from. */
  column: string;
  /** Distinct addresses in row order, canonical form. */
  addresses: string[];
  /** Distinct host names of a host name column (the row's host, as the feed names it), unvalidated. */
  hosts: string[];
  rows: number;
  /** True when rows were left unread (attachment cut, or over MAX_EVENTS). */
  truncated: boolean;
}

const MAX_EVENTS = 5000;
// Columns naming the address a feed row is about, most specific first. The
// destination (dst_ip) of a sinkhole or honeypot row is the reporter's sensor, never the target.
const ADDRESS_COLUMNS = ['ip', 'src_ip', 'source_ip', 'sourceip', 'source', 'ip_address', 'ipaddress', 'ip address', 'http_referer_ip', 'infected_ip', 'host_ip'];
// A row's host name beside its address: the column named like the address's ("ip" → "hostname",
// "http_referer_ip" → "http_referer_hostname"); another host column (a sinkhole's "http_host") is someone else.
const hostColumns = (addressColumn: string): string[] => {
  const prefix = addressColumn.trim().toLowerCase().replace(/_?ip(?:_?address)?$/, '');
  return prefix ? [`${prefix}_hostname`, `${prefix}_host`] : ['hostname', 'host', 'fqdn'];
};
const FEED_NAME = /\.(csv|txt|log)$/i;
const CSV_OPTIONS = { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, to: MAX_EVENTS + 1, bom: true } as const;

function addressColumn(header: string[]): number {
  const names = header.map((h) => h.trim().toLowerCase());
  for (const wanted of ADDRESS_COLUMNS) {
    const i = names.indexOf(wanted);
    if (i >= 0) return i;
  }
  return -1;
}

function canonical(value: string): string | null {
  const v = value.trim();
  if (!isIpAddress(v)) return null;
  const addr = ipaddr.process(v);
  // 0.0.0.0 and friends are placeholders in feeds, not hosts.
  return addr.range() === 'unspecified' ? null : addr.toString();
}

function readOne(att: TextAttachment): Feed | null {
  const text = att.text;
  if (!text || !(att.contentType === 'text/csv' || FEED_NAME.test(att.filename ?? ''))) return null;
  if (!text.split('\n', 1)[0]!.includes(',')) return null;
  let rows: string[][];
  try {
    rows = parseCsv(text, CSV_OPTIONS) as string[][];
  } catch {
    // A cut attachment ends mid-row: read the rows before the damage.
    try {
      rows = parseCsv(text.slice(0, text.lastIndexOf('\n')), CSV_OPTIONS) as string[][];
    } catch {
      return null;
    }
  }
  const header = rows[0];
  if (!header) return null;
  const col = addressColumn(header);
  if (col < 0) return null;
  const addresses = new Set<string>();
  for (const row of rows.slice(1)) {
    const a = canonical(row[col] ?? '');
    if (a) addresses.add(a);
  }
  if (!addresses.size) return null;
  const wantedHosts = hostColumns(header[col]!);
  const hostCol = header.findIndex((h) => wantedHosts.includes(h.trim().toLowerCase()));
  const hosts = new Set<string>();
  if (hostCol >= 0) for (const row of rows.slice(1)) if (row[hostCol]?.trim()) hosts.add(row[hostCol]!.trim().toLowerCase());
  const name = (att.filename ?? 'feed.csv').split('/').pop()!;
  return { name, column: header[col]!.trim(), addresses: [...addresses], hosts: [...hosts], rows: rows.length - 1, truncated: rows.length > MAX_EVENTS || att.size > text.length };
}

/** The first feed attachment of a message, or null. Pure. */
export function readFeed(m: ParsedMessage): Feed | null {
  for (const att of m.attachments) {
    const feed = readOne(att);
    if (feed) return feed;
  }
  return null;
}
