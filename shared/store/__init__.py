"""Firestore storage: the session store (`sessions`) and what every document write shares
(`firestore`: the client factory, the TTL field, bounded calls that translate client errors,
and the conditional write). May import `shared.infra` and `shared.models`; the client
library itself is imported lazily, on the first call.
"""
