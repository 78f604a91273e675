import type { z } from 'zod';
import { KeyedTokenBuckets } from '@/lib/async/token-bucket';
import { type ActionContext, createActionHelper } from '@/lib/auth/action-core';
import { createAuthorize } from '@/lib/auth/authorize-core';
import type { Permission } from '@/lib/auth/roles';
import type { CurrentUser } from '@/lib/auth/session-types';
import { TEST_TENANT, testTenants } from '@/lib/testing/tenants';

/**
 * The authorized-action helper as the app builds it, on a test session of `user` (denials not recorded, a generous
 * read budget): tests declare their actions with `spec` exactly as the app's actions files do. The actions it makes
 * are called on TEST_TENANT, as its pages would call them, unless the input names a tenant itself.
 */
export function actionHelperFor(user: CurrentUser) {
  const base = createActionHelper({
    authorize: createAuthorize({
      currentUser: async () => user,
      recordDenied: async () => {},
      refusedWithoutSession: () => {},
      logError: () => {},
    }),
    requestInfo: async () => ({ ip: '203.0.113.9', userAgent: 'vitest' }),
    readBudget: new KeyedTokenBuckets({ burst: 100, perSecond: 1 }),
    ...testTenants(),
    logError: () => {},
  });
  const helper = <Schema extends z.ZodType, T>(
    spec: Parameters<typeof base<Schema, T>>[0],
    run: (input: z.output<Schema>, context: ActionContext) => Promise<T>,
  ) => {
    const action = base(spec, run);
    return (input: z.input<Schema>) =>
      action(
        (input !== null && typeof input === 'object' && !Array.isArray(input)
          ? { tenant: TEST_TENANT.slug, ...input }
          : input) as Parameters<typeof action>[0],
      );
  };
  const spec = <S extends z.ZodType>(name: string, permission: Permission, input: S) => ({ name, permission, input });
  return { helper, spec };
}
