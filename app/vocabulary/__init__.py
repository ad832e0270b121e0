"""`GET /api/v1/vocabulary`: the Vietnamese label of every code the API uses.

Modules declare their vocabularies in their manifests (app/registry.py); clients read the
labels here rather than keeping copies that drift.
"""

from flask import current_app, request
from flask_smorest import Blueprint

from app.registry import ModuleManifest, manifests

blp = Blueprint("vocabulary", __name__, description="Nhãn tiếng Việt của các mã")

MAX_AGE = 300  # labels change only with a deploy


def vocabularies() -> dict[str, dict[str, str]]:
    """Return every installed module's vocabularies, merged (a name is declared once)."""
    merged: dict[str, dict[str, str]] = {}
    for manifest in manifests(current_app):
        for name, labels in manifest.vocabularies.items():
            if name in merged:
                raise RuntimeError(f"vocabulary {name!r} declared twice ({manifest.name})")
            merged[name] = dict(labels)
    return merged


@blp.get("/api/v1/vocabulary")
@blp.doc(
    responses={
        "200": {
            "description": "Every vocabulary: `{name: {code: Vietnamese label}}` (roles, ward "
            "types, statuses and kinds of notices, polls, communities, merchants, zones …).",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                        },
                    },
                    "example": {"merchant_status": {"pending": "Chờ xác minh"}},
                }
            },
        }
    }
)
def get_vocabulary():
    """Get the Vietnamese labels of the codes the API returns."""
    response = current_app.json.response(vocabularies())
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


manifest = ModuleManifest(name="vocabulary", blueprints=[blp])
