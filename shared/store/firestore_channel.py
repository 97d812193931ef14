"""The Firestore client whose gRPC channel reconnects within a second of the store's return.

gRPC backs off between reconnect attempts: 1 s growing x1.6 (with jitter) up to 120 s. After
an outage of half a minute a channel would wait many seconds more before it even tries the
store that has come back, and every call meanwhile fails with UNAVAILABLE. The client library
opens its channel itself and takes no channel options, so this subclass adds ours where it
does: `_emulator_channel` for the emulator, the transport's `create_channel` for Google's
endpoint. Both are the library's own (private) hooks, used here and nowhere else.

Imported only inside `shared.store.firestore.new_client`: the library is our heaviest import.
"""

from __future__ import annotations

from typing import Any

import grpc
from google.cloud import firestore
from google.cloud.firestore_v1.base_client import _GRPC_MSG_SIZE_OPTIONS
from google.cloud.firestore_v1.services.firestore import client as firestore_client
from google.cloud.firestore_v1.services.firestore.transports.grpc import FirestoreGrpcTransport

# Reconnect attempts 100 ms apart at first, never more than 1 s apart: a returned store is seen
# within a second (issue 17: recovery within 5 s); one connection attempt per second per
# instance is nothing to Firestore.
CHANNEL_OPTIONS: tuple[tuple[str, Any], ...] = (
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 1000),
)


class _Transport(FirestoreGrpcTransport):
    """Firestore's gRPC transport, its channel opened with `CHANNEL_OPTIONS` added."""

    @classmethod
    def create_channel(cls, host: str = "firestore.googleapis.com", **kwargs: Any) -> Any:
        kwargs["options"] = [*kwargs.get("options", ()), *CHANNEL_OPTIONS]
        return super().create_channel(host, **kwargs)


class Client(firestore.Client):
    """`google.cloud.firestore.Client` with a channel that reconnects quickly."""

    @property
    def _firestore_api(self) -> Any:
        return self._firestore_api_helper(
            _Transport, firestore_client.FirestoreClient, firestore_client
        )

    def _emulator_channel(self, transport: Any) -> Any:
        """The library's own emulator channel plus `CHANNEL_OPTIONS`: the same bearer token (a
        credential's `id_token`, for testing security rules with a custom token, else "owner")
        and no message size limits. Its other branch, a `grpc.aio` channel for the async
        transport, is left out: this client is the synchronous one."""
        token = getattr(self._credentials, "id_token", None)
        if token is None:
            token = "owner"
        options = [("Authorization", f"Bearer {token}"), *_GRPC_MSG_SIZE_OPTIONS, *CHANNEL_OPTIONS]
        return grpc.insecure_channel(self._emulator_host, options=options)
