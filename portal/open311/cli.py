"""`flask --app portal apikey create NAME | list | revoke NAME`: the keys partners' software files with."""
import click
from flask import Blueprint

from portal.extensions import db
from portal.open311.keys import ApiKeyError, all_keys, create_key, revoke_key

apikey_cli = Blueprint("apikey", __name__, cli_group="apikey")


@apikey_cli.cli.command("create")
@click.argument("name")
def create(name):
    """Create a key for NAME (the partner or its software); the key is shown this once."""
    try:
        row, key = create_key(name)
    except ApiKeyError as refusal:
        raise click.ClickException(str(refusal)) from None
    db.session.commit()
    click.echo(f"Key for {row.name} (shown only now; only its digest is stored):\n{key}")


@apikey_cli.cli.command("list")
def list_keys():
    """Every key: name, first characters, created, last used, revoked."""
    for row in all_keys():
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
        used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
        click.echo(f"{row.name}\t{row.hint}…\tcreated {row.created_at:%Y-%m-%d}\tlast used {used}\t{state}")


@apikey_cli.cli.command("revoke")
@click.argument("name")
def revoke(name):
    """Revoke NAME's key: it stops working at once; what it filed stays."""
    try:
        row = revoke_key(name)
    except ApiKeyError as refusal:
        raise click.ClickException(str(refusal)) from None
    db.session.commit()
    click.echo(f"Key for {row.name} revoked.")
