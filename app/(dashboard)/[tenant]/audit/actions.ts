'use server';

import { z } from 'zod';
import { AuditInputError } from '@/lib/audit';
import { AUDIT_PAGE_SIZE, auditPage, rotationDetail } from '@/lib/audit/view/audit-page';
import { chainStatus } from '@/lib/audit/view/chain-status';
import { auditSearchSchema } from '@/lib/audit/view/filters';
import { ActionError, authorizedAction } from '@/lib/auth/action';

/** How long a list request waits for the tenant's logs to be read (throttled; the rest continues in the background). */

const listRotationsInput = z
  .object({
    search: auditSearchSchema,
    cursor: z.string().max(200).nullish(),
    limit: z.number().int().min(1).max(AUDIT_PAGE_SIZE).optional(),
    /** Read the tenant's logs for rotations made outside Keyshift first (the audit page; not the connection page). */
    sync: z.boolean().default(false),
  })
  .strict();

export const listRotationsAction = authorizedAction(
  { name: 'listRotations', permission: 'audit:read', input: listRotationsInput },
  async ({ search, cursor, limit, sync }) => {
    try {
      return await auditPage(search, { cursor, limit, sync });
    } catch (error) {
      if (error instanceof AuditInputError) throw new ActionError('invalid_input', error.message);
      throw error;
    }
  },
);

export const rotationDetailAction = authorizedAction(
  {
    name: 'rotationDetail',
    permission: 'audit:read',
    input: z.object({ id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict(),
  },
  async ({ id }) => {
    const detail = await rotationDetail(id);
    if (!detail) throw new ActionError('invalid_input', `The audit trail has no rotation #${id}.`);
    return detail;
  },
);

export const verifyChainAction = authorizedAction(
  { name: 'verifyAuditChain', permission: 'audit:read', input: z.object({}).strict() },
  () => chainStatus(),
);
