"""The refusals of the identity check: 401 for any token we do not accept (never saying which
claim failed, never echoing the token), 503 when the issuer's keys cannot be fetched."""

from __future__ import annotations

from shared.models.errors import ChartControlError

# RFC 6750: the scheme and realm, and `invalid_token` when one was sent.
CHALLENGE = 'Bearer realm="chart-control"'


class Unauthorized(ChartControlError):
    """No usable credentials; `headers` carries the Bearer challenge (rendered by the error
    table like any other error's headers)."""

    def __init__(self, message: str, *, token_sent: bool):
        super().__init__(message, code="unauthorized")
        challenge = f'{CHALLENGE}, error="invalid_token"' if token_sent else CHALLENGE
        self.headers = {"WWW-Authenticate": challenge}


class IdentityUnavailable(ChartControlError):
    """The issuer's discovery document or key set could not be read in time."""

    def __init__(self) -> None:
        message = "the identity provider's keys are unavailable"
        super().__init__(message, code="identity_unavailable")
