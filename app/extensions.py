"""Extensions, created unbound here and bound to the app in create_app()."""

from authlib.integrations.flask_client import OAuth
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy

from app.database import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api()
oauth = OAuth()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
