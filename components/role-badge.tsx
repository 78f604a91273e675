import type { Role } from '@/lib/auth/roles';

const STYLES: Record<Role, string> = {
  rotator: 'bg-amber-50 text-amber-800 ring-amber-200',
  viewer: 'bg-sky-50 text-sky-800 ring-sky-200',
};

export function RoleBadge({ role }: { role: Role }) {
  return (
    <span
      title="Your Keyshift role"
      className={`rounded-full px-2.5 py-0.5 text-xs font-medium capitalize ring-1 ring-inset ${STYLES[role]}`}
    >
      {role}
    </span>
  );
}
