"""`flask --app portal ...` commands: the directory, the worker and the outbox."""
from pathlib import Path

import click
from flask import Blueprint
from sqlalchemy import update

from portal.directory.exporter import export_directory
from portal.directory.loader import DATA_DIR, load_directory
from portal.extensions import db
from portal.jobs import scheduled_jobs
from portal.outbox.models import FAILED, PENDING, OutboxMessage
from portal.outbox.worker import run_forever, run_once
from portal.timeutil import utcnow

directory_cli = Blueprint("directory", __name__, cli_group="directory")
outbox_cli = Blueprint("outbox", __name__, cli_group="outbox")


@directory_cli.cli.command("load")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DATA_DIR)
def directory_load(folder):
    """Load agencies, wards, categories, routing rules, clocks and the calendar (safe to run again)."""
    changes = load_directory(folder)
    db.session.commit()
    click.echo("\n".join(changes.lines()) if changes else "Directory already up to date.")


@directory_cli.cli.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def directory_export(folder):
    """Write the directory to FOLDER in the format `directory load` reads."""
    export_directory(folder)
    click.echo(f"Directory written to {folder}")


@click.command("worker")
@click.option("--once", is_flag=True, help="Work through what is due, then stop.")
def worker(once):
    """Send queued emails and run scheduled jobs; keep running (use --once for a single round)."""
    if once:
        click.echo(f"{run_once()} outbox message(s) handled")
        return
    click.echo("Worker running; press Ctrl+C to stop.")
    run_forever(scheduled_jobs())


@outbox_cli.cli.command("retry")
def outbox_retry():
    """Queue again the messages that failed for good (e.g. after fixing the mail settings)."""
    result = db.session.execute(update(OutboxMessage).where(OutboxMessage.status == FAILED)
                                .values(status=PENDING, available_at=utcnow(), locked_until=None))
    db.session.commit()
    click.echo(f"{result.rowcount} message(s) queued again")


def register(app):
    app.register_blueprint(directory_cli)
    app.register_blueprint(outbox_cli)
    app.cli.add_command(worker)
