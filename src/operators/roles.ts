/** What an operator may do: read (viewer), act on cases (agent), and also see reporters' identities and drive the queues (admin). */
export type Role = 'viewer' | 'agent' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'agent', 'admin'];

export interface Operator {
  name: string;
  role: Role;
}

const RANK: Record<Role, number> = { viewer: 0, agent: 1, admin: 2 };

/** Whether a role includes another: an admin may do what an agent may, an agent what a viewer may. */
export const allows = (have: Role, need: Role): boolean => RANK[have] >= RANK[need];
