/**
 * The kids a page shows, read from the emulator's Management API as Auth0 has them: what a rotate call must name
 * (`expectedCurrentKid`, `expectedNextKid`), as the dialog sends the keys it showed.
 */
export async function shownKids(
  emulatorUrl: string,
  connectionId: string,
): Promise<{ expectedCurrentKid: string; expectedNextKid: string }> {
  const minted = await fetch(`${emulatorUrl}/__emulator/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'demo-readonly' }),
  });
  const { access_token: token } = (await minted.json()) as { access_token: string };
  const response = await fetch(`${emulatorUrl}/api/v2/connections/${connectionId}/keys`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const keys = (await response.json()) as { kid: string; current?: boolean; next?: boolean }[];
  const current = keys.find((key) => key.current)?.kid;
  const next = keys.find((key) => key.next)?.kid;
  if (!current || !next) throw new Error(`connection ${connectionId} has no current and next key upstream`);
  return { expectedCurrentKid: current, expectedNextKid: next };
}
