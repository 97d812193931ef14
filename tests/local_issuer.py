"""An OpenID Connect issuer on loopback, for the identity tests: RSA key pairs, a discovery
document and a JWKS served over real HTTP, ID tokens signed with PyJWT, and a count of key set
fetches. Never a real issuer: nothing leaves the machine."""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

AUDIENCE = "chart-control-test"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class LocalIssuer:
    """`url` is both the issuer (`iss`) and the base of its discovery document."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.published: list[str] = []
        self.jwks_fetches = 0
        self.down = False
        self._serial = 0
        self._lock = threading.Lock()
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if issuer.down:
                    self.send_error(503)
                    return
                if self.path == "/.well-known/openid-configuration":
                    body = {"issuer": issuer.url, "jwks_uri": issuer.url + "/jwks"}
                elif self.path == "/jwks":
                    with issuer._lock:
                        issuer.jwks_fetches += 1
                    body = issuer.jwks()
                else:
                    self.send_error(404)
                    return
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.kid = self.add_key()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def env(self, **extra: str) -> dict[str, str]:
        """The environment that points a function at this issuer (discovery, no cooldown so a
        rotation is seen on the next token)."""
        return {
            "AUTH_ISSUER": self.url,
            "AUTH_AUDIENCE": AUDIENCE,
            "AUTH_JWKS_COOLDOWN_SECONDS": "0",
            **extra,
        }

    # --- keys -----------------------------------------------------------------------------

    def add_key(self, publish: bool = True) -> str:
        with self._lock:
            self._serial += 1
            kid = f"key-{self._serial}"
            self.keys[kid] = new_key()
            if publish:
                self.published.append(kid)
        return kid

    def rotate(self) -> str:
        """A new signing key published, the old ones withdrawn; the new `kid`."""
        kid = self.add_key(publish=False)
        with self._lock:
            self.published = [kid]
        self.kid = kid
        return kid

    def jwks(self) -> dict[str, Any]:
        with self._lock:
            kids = list(self.published)
        keys = []
        for kid in kids:
            jwk = RSAAlgorithm.to_jwk(self.keys[kid].public_key(), as_dict=True)
            keys.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})
        return {"keys": keys}

    # --- tokens ---------------------------------------------------------------------------

    def claims(self, subject: str, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {"iss": self.url, "aud": AUDIENCE, "sub": subject, "iat": now, "exp": now + 600}
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def token(self, subject: str = "user-a", kid: str | None = None, **overrides: Any) -> str:
        """An ID token signed with the key `kid` (the current one by default)."""
        kid = kid or self.kid
        key = self.keys[kid]
        return jwt.encode(self.claims(subject, **overrides), key, "RS256", headers={"kid": kid})

    def forged(self, subject: str = "user-a") -> str:
        """Claims the current `kid` but is signed with another key."""
        return jwt.encode(self.claims(subject), new_key(), "RS256", headers={"kid": self.kid})

    def unsigned(self, subject: str = "user-a") -> str:
        """`alg: none`, with the current `kid`, no signature."""
        header = {"alg": "none", "typ": "JWT", "kid": self.kid}
        return f"{_b64(header)}.{_b64(self.claims(subject))}."

    def unknown_kid(self, subject: str = "user-a") -> str:
        """Signed by a key the issuer never published."""
        return self.token(subject, kid=self.add_key(publish=False))

    def refused_tokens(self) -> dict[str, str]:
        """Every kind of token a door must answer with 401."""
        now = int(time.time())
        return {
            "forged signature": self.forged(),
            "alg none": self.unsigned(),
            "wrong issuer": self.token(iss="https://issuer.example.com"),
            "wrong audience": self.token(aud="another-app"),
            "expired": self.token(iat=now - 7200, exp=now - 3600),
            "not yet valid": self.token(nbf=now + 3600),
            "unknown kid": self.unknown_kid(),
            "no subject": self.token(sub=None),
            "not a JWT": "not.a.token",
        }
