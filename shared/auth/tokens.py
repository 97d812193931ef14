"""Verify the host app's OpenID Connect ID tokens against the issuer's published keys.

PyJWT does the cryptography and the claim checks, its `PyJWKClient` fetches and caches the
issuer's JWKS (Firebase Auth / Identity Platform, Auth0, Cognito and every other OIDC issuer
publish one): a token is accepted only when

- its header names a `kid` the key set has (an unknown `kid` forces one refresh of the set, at
  most once per AUTH_JWKS_COOLDOWN_SECONDS, so a rotated key is picked up and a flood of made-up
  `kid`s cannot turn into a flood of fetches),
- its algorithm is an asymmetric one and the key's own (`alg: none`, and HMAC with a public key
  as the secret, are refused before any key is used),
- the signature verifies, `iss` is AUTH_ISSUER exactly, `aud` contains AUTH_AUDIENCE, and `exp`
  (required), `nbf` and `iat` (when present) hold within AUTH_CLOCK_SKEW_SECONDS,
- it has a non-empty `sub`.

Anything else is `Unauthorized` with one fixed message: the answer never says which check
failed nor echoes the token (the log line names the check, never the token). PyJWT is imported
on first use, so a function with identity off never loads it.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shared.auth.errors import IdentityUnavailable, Unauthorized
from shared.auth.principal import Principal
from shared.infra.lazy import once

if TYPE_CHECKING:
    from jwt import PyJWKClient

    from shared.infra.settings import Settings

# Public-key algorithms only: a symmetric one would make the published key a shared secret.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")
REFUSED = "missing or invalid ID token"
MAX_TOKEN_CHARS = 8192  # ID tokens are 1-2 KB; anything far larger is not one
JWKS_CACHE_SECONDS = 300.0  # how long a fetched key set is trusted without a refetch
log = logging.getLogger("chart_control.auth")


@dataclass(frozen=True)
class IdentityConfig:
    """The issuer to trust and the audience (the host app's client / project id) to expect."""

    issuer: str
    audience: str
    jwks_url: str | None = None  # None: the issuer's discovery document names it
    clock_skew_seconds: float = 30.0
    cooldown_seconds: float = 30.0
    timeout_seconds: float = 3.0

    @classmethod
    def from_settings(cls, settings: Settings) -> IdentityConfig | None:
        """The configured identity, or None when AUTH_ISSUER / AUTH_AUDIENCE are unset."""
        if settings.auth_issuer is None or settings.auth_audience is None:
            return None
        return cls(
            settings.auth_issuer,
            settings.auth_audience,
            settings.auth_jwks_url,
            settings.auth_clock_skew_seconds,
            settings.auth_jwks_cooldown_seconds,
            settings.auth_jwks_timeout_seconds,
        )


def discover_jwks_url(issuer: str, timeout: float) -> str:
    """`jwks_uri` from the issuer's OpenID Connect discovery document."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            document = json.load(response)
    except (OSError, ValueError) as exc:
        log.warning("identity discovery failed: %s", type(exc).__name__)
        raise IdentityUnavailable() from exc
    jwks = document.get("jwks_uri") if isinstance(document, dict) else None
    if not isinstance(jwks, str) or not jwks.startswith(("https://", "http://")):
        log.warning("identity discovery document has no jwks_uri")
        raise IdentityUnavailable()
    return jwks


class IdTokenVerifier:
    """One per process: its key set is cached and shared by every request thread."""

    def __init__(self, config: IdentityConfig):
        self.config = config

    @once
    def _keys(self) -> PyJWKClient:
        from jwt import PyJWKClient  # noqa: PLC0415 - only with identity configured

        config = self.config
        url = config.jwks_url or discover_jwks_url(config.issuer, config.timeout_seconds)
        return PyJWKClient(
            url,
            cache_jwk_set=True,
            lifespan=JWKS_CACHE_SECONDS,
            timeout=config.timeout_seconds,
            cooldown_duration=config.cooldown_seconds,
        )

    def verify_header(self, authorization: str | None) -> Principal:
        """The caller named by an `Authorization: Bearer <ID token>` header, or a refusal."""
        scheme, _, token = (authorization or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized(REFUSED, token_sent=bool(authorization))
        return self.verify(token)

    def verify(self, token: str) -> Principal:
        """The token's issuer and subject once every check of the module docstring passed."""
        import jwt  # noqa: PLC0415 - only with identity configured

        if len(token) > MAX_TOKEN_CHARS:
            raise self._refuse("oversized")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise self._refuse("malformed") from None
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in ALGORITHMS:
            raise self._refuse("algorithm")
        if not isinstance(kid, str) or not kid:
            raise self._refuse("no kid")
        key = self._signing_key(kid)
        if key.algorithm_name != algorithm:
            raise self._refuse("algorithm of another key")
        try:
            claims = jwt.decode(
                token,
                key=key.key,
                algorithms=[algorithm],
                audience=self.config.audience,
                issuer=self.config.issuer,
                leeway=self.config.clock_skew_seconds,
                options={"require": ["exp", "iss", "aud", "sub"], "strict_aud": False},
            )
        except jwt.PyJWTError as exc:  # the log names the check (expired, audience, ...)
            raise self._refuse(type(exc).__name__) from None
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip():
            raise self._refuse("subject")
        return Principal(issuer=self.config.issuer, subject=subject)

    def _signing_key(self, kid: str) -> Any:
        """The issuer's key with this `kid` (refreshing the set once, within the cooldown)."""
        from jwt import PyJWKClientConnectionError, PyJWKClientError, PyJWKSetError  # noqa: PLC0415

        try:  # the (cached) set first: failing to read it is the issuer's outage, not the token's
            self._keys.get_signing_keys()
        except (PyJWKClientError, PyJWKSetError) as exc:
            log.warning("identity keys unavailable: %s", type(exc).__name__)
            raise IdentityUnavailable() from exc
        try:
            return self._keys.get_signing_key(kid)
        except PyJWKClientConnectionError as exc:
            log.warning("identity keys unavailable: %s", type(exc).__name__)
            raise IdentityUnavailable() from exc
        except PyJWKClientError:
            raise self._refuse("unknown key") from None

    @staticmethod
    def _refuse(reason: str) -> Unauthorized:
        log.info("ID token refused: %s", reason)
        return Unauthorized(REFUSED, token_sent=True)
