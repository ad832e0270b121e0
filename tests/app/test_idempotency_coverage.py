"""Every create documents and honours Idempotency-Key: a new module cannot forget it."""

# A bearer token is a credential, not a record: a replay would hand back, for 48 hours, a token
# that lives one hour (and keep a live credential in the replay table). A retry gets a new one.
NOT_REPLAYED = {"/api/v1/auth/tokens"}


def test_every_post_that_creates_takes_an_idempotency_key(client):
    spec = client.get("/api/openapi.json").get_json()
    creates = {
        path
        for path, operations in spec["paths"].items()
        if "201" in operations.get("post", {}).get("responses", {})
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
    assert creates - keyed == NOT_REPLAYED
