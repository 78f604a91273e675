import { redirectToTenant } from '@/app/legacy-redirect';

export const dynamic = 'force-dynamic';

export function GET(request: Request): never {
  redirectToTenant('/audit/export', new URL(request.url).search);
}
