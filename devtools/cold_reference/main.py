"""The cold-start reference: the least a Firestore-backed HTTP function can be.

One global Firestore client (the official `google-cloud-firestore`, as Google's samples make
it), and per request one document read and one write. `make bench` starts it with
functions-framework exactly like the real functions and divides their first answer by its own
(devtools/bench_cold.py).
"""

import functions_framework
from flask import Request
from google.cloud import firestore

client = firestore.Client()


@functions_framework.http
def reference(request: Request) -> dict:
    """Read the session document, write it back with a counter: one get and one set.

    `make bench` also serves it warm, as the floor of an HTTP function over the same emulator:
    `"mode": "read"` only reads (a question's floor), `"mode": "rewrite"` reads and writes the
    document back unchanged (a draw's floor); `collection` names the document's collection.
    """
    body = request.get_json(silent=True) or {}
    collection = str(body.get("collection", "cold_reference"))
    document = client.collection(collection).document(str(body.get("session_id", "s")))
    snapshot = document.get()
    if body.get("mode") == "read":
        return {"ok": True, "exists": snapshot.exists}
    if body.get("mode") == "rewrite":
        document.set(snapshot.to_dict() or {})
        return {"ok": True}
    seen = (snapshot.to_dict() or {}).get("seen", 0) if snapshot.exists else 0
    document.set({"symbol": body.get("symbol"), "seen": seen + 1})
    return {"ok": True, "seen": seen + 1}
