"""Who pays for a request's model calls: the signed-in user, else the client's address.

The spend ceiling (`shared.llm.spend`) counts model turns per spender. With identity the user
is the spender wherever they connect from. Without it, the client address the load balancer
reports: Google's external Application Load Balancer appends `<client IP>, <forwarding rule
IP>` to X-Forwarded-For, so the client is the entry CHATKIT_CLIENT_IP_HOP (2) from the right;
whatever the client wrote before it is ignored. Both doors that may call the model (chatkit,
and chart_action's OpenAI fallback planner) name their spender here.
"""

from __future__ import annotations

from hashlib import sha256


def client_address(forwarded_for: str | None, peer: str | None, hop: int) -> str:
    """The client as the load balancer reports it: the `hop`-th X-Forwarded-For entry from the
    right; the connection's peer when there is no such entry (no load balancer: local runs) or
    `hop` is 0."""
    entries = [entry.strip() for entry in (forwarded_for or "").split(",") if entry.strip()]
    if hop > 0 and len(entries) >= hop:
        return entries[-hop]
    return peer or "unknown"


def spender_key(owner_key: str | None, address: str) -> str:
    """Who a turn's spend is counted against: the user, else the client address (hashed: the
    limiter's memory holds no address)."""
    who = f"user\0{owner_key}" if owner_key else f"address\0{address}"
    return sha256(who.encode()).hexdigest()
