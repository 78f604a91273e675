import type { z } from 'zod';
import { KeyedTokenBuckets } from '@/lib/async/token-bucket';
import { createActionHelper } from '@/lib/auth/action-core';
import { createAuthorize } from '@/lib/auth/authorize-core';
import type { Permission } from '@/lib/auth/roles';
import type { CurrentUser } from '@/lib/auth/session-types';
import { testTenants } from '@/lib/testing/tenants';

/**
 * The authorized-action helper as the app builds it, on a test session of `user` (denials not recorded, a generous
 * read budget): tests declare their actions with `spec` exactly as the app's actions files do.
 */
export function actionHelperFor(user: CurrentUser) {
  const helper = createActionHelper({
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
  const spec = <S extends z.ZodType>(name: string, permission: Permission, input: S) => ({ name, permission, input });
  return { helper, spec };
}
