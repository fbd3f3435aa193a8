// The three token roles and their order: admin > writer > reader, each allowed what the roles below it are.
import { Role } from '@foodlens/contracts';

export { Role };

const RANK: Record<Role, number> = { reader: 0, writer: 1, admin: 2 };

/** Whether a token of role `have` may do what needs `need`. */
export function roleAllows(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

export function isRole(value: string): value is Role {
  return Object.hasOwn(RANK, value);
}
