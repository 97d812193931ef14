// Bring your own identity: the host app's ID token on every request the kit makes, when the
// page gives a `getIdToken` callback (Firebase Auth: `() => auth.currentUser.getIdToken()`,
// which refreshes an expiring token itself). Without one nothing is added: the demo and local
// runs need no identity.

export const AUTHORIZATION_HEADER = "Authorization";

/**
 * `headers` with `Authorization: Bearer <ID token>` set when `getIdToken` yields a token.
 * @param {Headers} headers
 * @param {(() => string | null | undefined | Promise<string | null | undefined>)} [getIdToken]
 * @returns {Promise<Headers>}
 */
export async function withIdToken(headers, getIdToken) {
  if (!getIdToken) return headers;
  const token = await getIdToken();
  if (token) headers.set(AUTHORIZATION_HEADER, `Bearer ${token}`);
  return headers;
}
