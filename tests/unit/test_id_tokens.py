"""The ID token verifier (shared.auth.tokens) against a local issuer over loopback HTTP: what it
accepts, every refusal, the key set cache, the refresh on an unknown `kid` and its cooldown,
discovery, and an issuer that is down."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from shared.auth.doors import Doors
from shared.auth.errors import IdentityUnavailable, Unauthorized
from shared.auth.principal import ANONYMOUS, Principal
from shared.auth.tokens import IdentityConfig, IdTokenVerifier
from tests.local_issuer import AUDIENCE, LocalIssuer


@pytest.fixture
def issuer() -> Iterator[LocalIssuer]:
    local = LocalIssuer()
    yield local
    local.close()


def verifier(issuer: LocalIssuer, **config: float) -> IdTokenVerifier:
    options = {"cooldown_seconds": 0, **config}
    return IdTokenVerifier(IdentityConfig(issuer.url, AUDIENCE, **options))


def test_a_valid_token_names_its_user(issuer: LocalIssuer):
    principal = verifier(issuer).verify(issuer.token("alice"))
    assert principal == Principal(issuer=issuer.url, subject="alice")


def test_every_refused_kind_is_one_message_without_echo(issuer: LocalIssuer):
    check = verifier(issuer)
    for kind, token in issuer.refused_tokens().items():
        with pytest.raises(Unauthorized) as refused:
            check.verify(token)
        assert str(refused.value) == "missing or invalid ID token", kind
        assert (
            token not in str(refused.value)
            and "invalid_token" in refused.value.headers["WWW-Authenticate"]
        ), kind


def test_the_header_must_be_a_bearer_token(issuer: LocalIssuer):
    check = verifier(issuer)
    for header in (None, "", "Bearer", "Bearer ", "Basic abc", issuer.token()):
        with pytest.raises(Unauthorized):
            check.verify_header(header)
    assert check.verify_header("Bearer " + issuer.token("bob")).subject == "bob"


def test_clock_skew_is_small(issuer: LocalIssuer):
    now = int(time.time())
    check = verifier(issuer, clock_skew_seconds=30)
    assert check.verify(issuer.token(exp=now - 10)).subject == "user-a"  # within the skew
    assert check.verify(issuer.token(nbf=now + 10)).subject == "user-a"
    for late in (issuer.token(exp=now - 120), issuer.token(nbf=now + 120)):
        with pytest.raises(Unauthorized):
            check.verify(late)


def test_keys_are_cached_and_a_rotated_key_is_picked_up(issuer: LocalIssuer):
    check = verifier(issuer)
    for _ in range(5):
        check.verify(issuer.token())
    assert issuer.jwks_fetches == 1
    old = issuer.token()
    issuer.rotate()
    assert check.verify(issuer.token("carol")).subject == "carol"  # unknown kid: one refresh
    assert issuer.jwks_fetches == 2
    with pytest.raises(Unauthorized):  # the withdrawn key no longer verifies
        check.verify(old)


def test_unknown_kids_refresh_at_most_once_per_cooldown(issuer: LocalIssuer):
    check = verifier(issuer, cooldown_seconds=3600)
    check.verify(issuer.token())
    for _ in range(20):
        with pytest.raises(Unauthorized):
            check.verify(issuer.unknown_kid())
    assert issuer.jwks_fetches == 1  # the cooldown started with the first fetch


def test_an_issuer_that_is_down_is_a_503_not_a_401(issuer: LocalIssuer):
    issuer.down = True
    with pytest.raises(IdentityUnavailable):
        verifier(issuer).verify(issuer.token())
    issuer.down = False
    assert verifier(issuer).verify(issuer.token()).subject == "user-a"


def test_doors_without_identity_let_anyone_in_and_keep_the_agent_token(issuer: LocalIssuer):
    assert Doors().user({}) is ANONYMOUS
    agent = Doors(agent_token="s3cret-token")
    assert agent.agent_or_user({"Authorization": "Bearer s3cret-token"}) is ANONYMOUS
    with pytest.raises(Unauthorized):
        agent.agent_or_user({"Authorization": "Bearer wrong"})


def test_with_identity_the_agent_acts_for_the_subject_it_names(issuer: LocalIssuer):
    doors = Doors(verifier(issuer), agent_token="s3cret-token")
    agent = {"Authorization": "Bearer s3cret-token", "X-Chart-Subject": "alice"}
    assert doors.agent_or_user(agent) == Principal(issuer.url, "alice")
    user = doors.agent_or_user({"Authorization": "Bearer " + issuer.token("bob")})
    assert user.subject == "bob"
    with pytest.raises(Unauthorized):
        doors.user({"Authorization": "Bearer s3cret-token"})  # the agent token is no ID token


def test_users_get_separate_keys_for_one_session_id():
    alice, bob = Principal("https://i", "alice"), Principal("https://i", "bob")
    session = "session_0123456789abcdef"
    keys = {ANONYMOUS.session_key(session), alice.session_key(session), bob.session_key(session)}
    assert len(keys) == 3 and ANONYMOUS.session_key(session) == session
    assert alice.session_key(session) == Principal("https://i", "alice").session_key(session)
    assert "alice" not in alice.session_key(session) and len(alice.session_key(session)) <= 128
