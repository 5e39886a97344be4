"""`flask --app portal ...` commands: the directory, staff accounts, the worker and the outbox."""
import os
from pathlib import Path

import click
from flask import Blueprint
from sqlalchemy import select, update

from portal.accounts.models import User
from portal.accounts.operations import AccountError, create_user, disable_user, find_user
from portal.accounts.roles import Role
from portal.cases.deadline_checks import check_deadlines, send_daily_digest
from portal.demo.generate import demo_cli
from portal.directory.exporter import export_directory
from portal.directory.loader import DATA_DIR, load_directory
from portal.extensions import db
from portal.figures.upkeep import rebuild_figures
from portal.history import first_broken_link
from portal.jobs import scheduled_jobs
from portal.open311.cli import apikey_cli
from portal.outbox.models import DISCARDED, FAILED, PENDING, OutboxMessage
from portal.outbox.sealing import without_sealed
from portal.outbox.worker import run_forever, run_once
from portal.reports.cli import report_cli
from portal.search.cli import search_cli
from portal.timeutil import utcnow

directory_cli = Blueprint("directory", __name__, cli_group="directory")
outbox_cli = Blueprint("outbox", __name__, cli_group="outbox")
figures_cli = Blueprint("figures", __name__, cli_group="figures")


@figures_cli.cli.command("rebuild")
def figures_rebuild():
    """Compute every day's figures from the complaints again (after a bulk load; the worker keeps them after)."""
    as_of = rebuild_figures()
    click.echo(f"Figures rebuilt as of {as_of:%Y-%m-%d %H:%M} UTC.")


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


@outbox_cli.cli.command("discard")
def outbox_discard():
    """Give up for good the messages that failed for good (once handled another way): their sealed content goes."""
    failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == FAILED)).all()
    for message in failed:
        message.status, message.payload = DISCARDED, without_sealed(message.payload)
    db.session.commit()
    click.echo(f"{len(failed)} message(s) discarded")


user_cli = Blueprint("user", __name__, cli_group="user")


@user_cli.cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--agency", "agency_code", help="Agency code, for officers and agency heads (e.g. SXD).")
def user_create(email, name, role, agency_code):
    """Create a staff account. The password comes from PORTAL_PASSWORD or is asked for."""
    password = os.environ.get("PORTAL_PASSWORD") or click.prompt("Password", hide_input=True,
                                                                 confirmation_prompt=True)
    try:
        user = create_user(email, name, role, password, agency_code)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role}{', ' + user.agency.code if user.agency else ''})")


@user_cli.cli.command("list")
def user_list():
    """List staff accounts."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        state = "active" if user.active else "disabled"
        agency = user.agency.code if user.agency else "-"
        click.echo(f"{user.email:<40} {user.role:<13} {agency:<14} {state}  {user.name}")


@user_cli.cli.command("disable")
@click.argument("email")
def user_disable(email):
    """Disable a staff account (it can no longer sign in; its history stays)."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user has the email {email}")
    disable_user(user)
    db.session.commit()
    click.echo(f"Disabled {user.email}")



audit_cli = Blueprint("audit", __name__, cli_group="audit")
deadlines_cli = Blueprint("deadlines", __name__, cli_group="deadlines")


@audit_cli.cli.command("verify")
def audit_verify():
    """Check every case's hash-chained history; name the first broken link."""
    broken = first_broken_link()
    if broken:
        code, seq, problem = broken
        raise click.ClickException(f"case {code}, event {seq}: {problem}")
    click.echo("Every case history is intact.")


@deadlines_cli.cli.command("check")
@click.option("--digest", is_flag=True, help="Also send the daily digest of overdue cases now.")
def deadlines_check(digest):
    """Remind staff of deadlines within two working days and escalate overdue cases."""
    reminded, escalated = check_deadlines()
    click.echo(f"{reminded} reminder(s), {escalated} escalation(s)")
    if digest:
        send_daily_digest(force=True)
        click.echo("Daily digest queued")


def register(app):
    for group in (directory_cli, outbox_cli, user_cli, audit_cli, deadlines_cli, demo_cli, figures_cli, report_cli,
                  apikey_cli):
        app.register_blueprint(group)
    app.cli.add_command(worker)
    app.register_blueprint(search_cli)
