export function keysQueryKey(connectionId: string) {
  return ['keys', connectionId] as const;
}
