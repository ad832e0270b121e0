"""Every create documents and honours Idempotency-Key: a new module cannot forget it."""


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
            p.get("name") == "Idempotency-Key" for p in spec["paths"][path]["post"]["parameters"]
        )
    }

    assert creates, "no create found in the OpenAPI document"
    assert creates - keyed == set()
