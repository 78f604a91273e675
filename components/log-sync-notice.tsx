import type { LogSyncStatus } from '@/lib/audit/view/types';
import { RelativeTime } from './relative-time';

/** How reading the tenant's logs (rotations made outside Keyshift) went; loud only when something needs doing. */
export function LogSyncNotice({ sync, serverNow }: { sync: LogSyncStatus; serverNow: number }) {
  if (sync.state === 'missing_scope') {
    return (
      <div role="status" className="rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950">
        <p className="font-medium">External rotations are not shown</p>
        <p className="mt-1">{sync.message}</p>
      </div>
    );
  }
  if (sync.state === 'failed') {
    return (
      <div role="status" className="rounded-lg border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950">
        <p className="font-medium">External rotations may be missing</p>
        <p className="mt-1">{sync.message} Keyshift tries again shortly.</p>
      </div>
    );
  }
  if (sync.state === 'ok') {
    return (
      <p className="text-xs text-slate-500">
        Tenant logs checked for rotations made outside Keyshift{' '}
        <RelativeTime iso={sync.checkedAt} serverNow={serverNow} />
        {sync.behind ? '; older logs are still being read.' : '.'}
      </p>
    );
  }
  return <p className="text-xs text-slate-500">Reading the tenant logs for rotations made outside Keyshift…</p>;
}
