"""`flask backup create FILE` / `flask backup restore FILE`: whole-database backups."""

from flask.cli import AppGroup

backup_cli = AppGroup("backup", help="Back up the database and restore it into an empty one.")
