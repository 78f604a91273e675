import { redirectToTenant } from '@/app/legacy-redirect';

export default async function LegacyConnectionPage({ params }: { params: Promise<{ id: string }> }) {
  redirectToTenant(`/connections/${encodeURIComponent((await params).id)}`);
}
