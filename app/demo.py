"""`flask demo load`: the demo data of every installed module (idempotent)."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.departments import service as departments
from app.extensions import db
from app.registry import manifests
from app.wards import service as wards

demo_cli = AppGroup("demo", help="Demo data for a newcomer's machine.")


@demo_cli.command("load")
def load_command():
    """Load demo people, groups, notices, polls and merchants in the pilot wards; departments."""
    wards.sync()
    departments.sync()
    for manifest in manifests(current_app):
        for loader in manifest.demo_loaders:
            loader()
            db.session.flush()
            click.echo(f"demo: {manifest.name} loaded")
    db.session.commit()
    click.echo("demo: done")
