"""`idempotent_create`: the view decorator that gives a create endpoint its Idempotency-Key."""

import functools
import hashlib
import json

from flask import current_app, request

from app.database import utcnow
from app.errors import Conflict
from app.idempotency import service

HEADER = service.HEADER
PARAMETER = {
    "in": "header",
    "name": service.HEADER,
    "required": False,
    # Printable ASCII, as service.check_key refuses anything else (422).
    "schema": {
        "type": "string",
        "minLength": service.KEY_MIN,
        "maxLength": service.KEY_MAX,
        "pattern": r"^[\x20-\x7E]*$",
    },
    "description": "A retry with the same key and body replays the first answer (kept at "
    "least 24 hours) and creates nothing new; the same key with another body is 422.",
}


def request_body() -> object:
    """Return what the request's fingerprint covers: its JSON, its form and files, or its text.

    An upload is covered by its form fields and the SHA-256 of each file (read, then rewound
    for the view): another picture under the same key is another request.
    """
    if request.mimetype == "multipart/form-data":
        files = {}
        for name, upload in request.files.items(multi=True):
            files.setdefault(name, []).append(hashlib.sha256(upload.stream.read()).hexdigest())
            upload.stream.seek(0)
        return {"form": request.form.to_dict(flat=False), "files": files}
    body = request.get_json(silent=True)
    if body is None:
        return request.get_data(as_text=True)
    return body


def replay_response(replayed: service.Replay):
    """Send a stored answer again, serialized like the first one, marked as a replay."""
    response = current_app.json.response(replayed.body)
    response.status_code = replayed.status
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent_create(blp):
    """Honour `Idempotency-Key` on a create view of `blp`; documents the header.

    Put it right under the route decorator (above `arguments`/`response`), so that it sees the
    finished response. The key is claimed in the request's transaction before the view runs and
    the answer stored before the commit: a retry (or a double tap) with the same key and body
    replays the first answer and creates nothing; a refused request keeps no record. Without the
    header, or without a signed-in caller (the view then answers 401), the view runs as is.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            from app.identity import auth

            raw_key = request.headers.get(service.HEADER)
            user = auth.current_user() if raw_key is not None else None
            if user is None:
                return view(*args, **kwargs)
            key = service.key_for(
                raw_key, method=request.method, path=request.path, body=request_body()
            )
            now = utcnow()
            if not service.claim(user_id=user.id, key=key, now=now):
                replayed = service.replay(user=user, key=key, now=now)
                if replayed is None:  # the first request's record expired between two steps
                    raise Conflict("Yêu cầu đang được xử lý; vui lòng thử lại.")
                return replay_response(replayed)
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code < 400:
                body = json.loads(response.get_data(as_text=True) or "null")
                service.settle(user_id=user.id, key=key, status=response.status_code, body=body)
            return response

        return blp.doc(parameters=[PARAMETER])(wrapper)

    return decorator
