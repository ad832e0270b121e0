"""Extensions, created unbound here and bound to the app in create_app()."""

from authlib.integrations.flask_client import OAuth
from flask_compress import Compress
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from marshmallow import Schema, fields

from app.database import Base
from app.ratelimit import RateLimiter


class ErrorDetailSchema(Schema):
    """What went wrong: a snake_case code, a message for people, and details by field."""

    code = fields.String(required=True, metadata={"example": "validation_error"})
    message = fields.String(required=True)
    details = fields.Dict(required=True)


class ErrorSchema(Schema):
    """The one error body of the API (app/errors.py writes it)."""

    error = fields.Nested(ErrorDetailSchema, required=True)


class PxsApi(Api):
    """flask-smorest's Api, documenting the error body the API really sends."""

    ERROR_SCHEMA = ErrorSchema


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = PxsApi()
oauth = OAuth()
limiter = RateLimiter()
# gzip / brotli for pages, assets and API answers; bound by the web module (web/__init__.py).
compress = Compress()
