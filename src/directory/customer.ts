import { z } from 'zod';

const language = z.enum(['en', 'fr']);

/** One customer as written in a YAML/JSON file or a JSON Lines row. */
export const customerSchema = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().min(1),
  contact: z.strictObject({
    email: z.email(),
    language: language.default('en'),
  }),
  /** Names registered with us; a subdomain matches its registered domain. */
  domains: z.array(z.string().min(1)).default([]),
  /** IPs, CIDRs and host names (exact or *.wildcard) we host for this customer. */
  servers: z.array(z.string().min(1)).default([]),
  /** Accounts on our own platform. */
  accounts: z.array(z.string().min(1)).default([]),
});

export const directoryFileSchema = z.strictObject({
  customers: z.array(customerSchema),
});

export type Customer = z.infer<typeof customerSchema>;

/** Why a customer is tied to a target. */
export type MatchReason = 'hosted' | 'registered' | 'account';

export interface CustomerMatch {
  customerId: string;
  reason: MatchReason;
  /** The directory entry that matched (a CIDR, a domain, a host name, an account). */
  entry: string;
}
