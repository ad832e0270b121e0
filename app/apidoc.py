"""OpenAPI documentation pieces that several modules' views share."""


def json_or_csv(schema, description: str) -> dict:
    """Document a 200 that is JSON by default and CSV with `?format=csv`, for `blp.doc`.

    Both bodies go under one 200: an alt_response with the same status would be dropped from
    the spec.
    """
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {
                    "application/json": {"schema": schema},
                    "text/csv": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    }
