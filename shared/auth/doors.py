"""Who may come in at each door, decided once per request at the top of the door.

| door | takes |
| --- | --- |
| update_context, chatkit | the user's ID token (with identity configured), else anyone |
| chart_action (JSON, MCP) | the agent's CHART_ACTION_TOKEN, or a user's ID token (with identity) |

The agent's token is a server-to-server secret held by the agent's host, which serves every
user: with identity configured it names the user it acts for in `X-Chart-Subject` (the `sub`
of that user's ID token), so the chart action reads that user's chart; without the header it
reaches only the anonymous sessions (none exist once every page sends a token).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass

from shared.auth.errors import Unauthorized
from shared.auth.principal import ANONYMOUS, Principal
from shared.auth.tokens import IdTokenVerifier

SUBJECT_HEADER = "X-Chart-Subject"
PLAIN_SUBJECT = re.compile(r"[\x21-\x7e]{1,255}")  # OIDC: `sub` is at most 255 ASCII characters
WRONG_AGENT_TOKEN = "missing or wrong bearer token"


@dataclass(frozen=True)
class Doors:
    """The identity verifier (None: identity off) and the agent's bearer token (None: none)."""

    verifier: IdTokenVerifier | None = None
    agent_token: str | None = None

    @property
    def identity(self) -> bool:
        return self.verifier is not None

    def user(self, headers: Mapping[str, str]) -> Principal:
        """update_context and chatkit: the ID token's user, or anyone when identity is off."""
        if self.verifier is None:
            return ANONYMOUS
        return self.verifier.verify_header(headers.get("Authorization"))

    def agent_or_user(self, headers: Mapping[str, str]) -> Principal:
        """chart_action: the agent (its token, acting for `X-Chart-Subject`) or a user."""
        authorization = headers.get("Authorization")
        if self.agent_token is not None and _is_bearer(authorization, self.agent_token):
            return self._acting_for(headers.get(SUBJECT_HEADER))
        if self.verifier is not None:
            return self.verifier.verify_header(authorization)
        if self.agent_token is not None:
            raise Unauthorized(WRONG_AGENT_TOKEN, token_sent=bool(authorization))
        return ANONYMOUS

    def _acting_for(self, subject: str | None) -> Principal:
        if self.verifier is None or subject is None:
            return ANONYMOUS
        if not PLAIN_SUBJECT.fullmatch(subject):
            raise Unauthorized(f"{SUBJECT_HEADER} must be 1-255 printable ASCII", token_sent=True)
        return Principal(issuer=self.verifier.config.issuer, subject=subject)


def _is_bearer(authorization: str | None, token: str) -> bool:
    scheme, _, presented = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        presented.strip().encode(), token.encode()
    )
