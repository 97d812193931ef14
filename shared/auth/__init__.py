"""Bring your own identity: the host app's OpenID Connect ID tokens, verified at every door.

Off by default (local runs, the demo): with AUTH_ISSUER and AUTH_AUDIENCE set, every door
requires `Authorization: Bearer <ID token>` (`tokens.IdTokenVerifier`), and what a request
reads or writes is filed under the token's subject (`principal.Principal`).
"""
