"""Every create documents and honours Idempotency-Key: a new module cannot forget it.

A create answers 201 (the record exists) or 202 (accepted: queued, e.g. a webhook's test
event); a double tap on either must create one thing, so both take a key.
"""

# A bearer token is a credential, not a record: a replay would hand back, for 48 hours, a token
# that lives one hour (and keep a live credential in the replay table). A retry gets a new one.
NOT_REPLAYED = {"/api/v1/auth/tokens"}
CREATED = ("201", "202")


def test_every_post_that_creates_takes_an_idempotency_key(client):
    spec = client.get("/api/openapi.json").get_json()
    creates = {
        path
        for path, operations in spec["paths"].items()
        if any(code in operations.get("post", {}).get("responses", {}) for code in CREATED)
    }
    keyed = {
        path
        for path in creates
        if any(
            p.get("name") == "Idempotency-Key"
            for p in spec["paths"][path]["post"].get("parameters", [])
        )
    }

    assert creates, "no create found in the OpenAPI document"
    accepted = {p for p in creates if "202" in spec["paths"][p]["post"]["responses"]}
    assert accepted, "no create answering 202 found: the 202 half of this test checks nothing"
    assert creates - keyed == NOT_REPLAYED
