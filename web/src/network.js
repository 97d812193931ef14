// A request that fails without an answer the page can read. Behind the load balancer, Cloud
// Armor answers a client over its rate limit (429) or a refused request (403) itself, without
// the CORS headers chart-control's functions add, so the browser hides the answer and fetch()
// rejects with a bare "TypeError: Failed to fetch". The kit says what that usually means.

export const BLOCKED_MESSAGE =
  "chart-control could not be reached: too many requests, or the request was blocked "
  + "(rate limit, firewall, network or CORS). Wait a moment and try again.";

/**
 * fetch()'s network failure, in words; still a TypeError, as fetch's own failure is, so code
 * that caught that keeps working. The browser's error is kept as `cause`.
 */
export class BlockedError extends TypeError {
  /** @param {unknown} cause */
  constructor(cause) {
    super(BLOCKED_MESSAGE, { cause });
    this.name = "BlockedError";
  }
}

/**
 * `fetchImpl(input, init)`, with a failure that has no readable answer turned into a
 * BlockedError; an abort (the caller's own cancel) passes through as it is.
 * @param {typeof fetch} fetchImpl
 * @param {Parameters<typeof fetch>[0]} input
 * @param {RequestInit} [init]
 * @returns {Promise<Response>}
 */
export async function readableFetch(fetchImpl, input, init) {
  try {
    return await fetchImpl(input, init);
  } catch (error) {
    if (error instanceof TypeError && !(error instanceof BlockedError)) throw new BlockedError(error);
    throw error;
  }
}
