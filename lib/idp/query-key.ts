/** The IdP status of a connection as of its next kid: a new next key asks again when it appeared. */
export function idpQueryKey(connectionId: string, nextKid: string | null) {
  return ['idp', connectionId, nextKid] as const;
}
