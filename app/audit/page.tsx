import { redirectToTenant, searchOf } from '@/app/legacy-redirect';

export default async function LegacyAuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  redirectToTenant('/audit', searchOf(await searchParams));
}
