"""`flask --app portal search ...`: rebuild the index from the database, or check it against the database."""
import time

import click
from flask import Blueprint

from portal.publication import index as public_index
from portal.search.indexer import check, reindex

search_cli = Blueprint("search_index", __name__, cli_group="search")


class _Progress:
    """A click progress bar opened on the first report, when the total is known."""

    def __init__(self):
        self.bar, self.done = None, 0

    def __call__(self, done, total):
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Indexing complaints")
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self):
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@search_cli.cli.command("reindex")
def search_reindex():
    """Rebuild the search index from the database, then the public one; searches use the old one until the new
    one is ready."""
    progress = _Progress()
    start = time.perf_counter()
    try:
        count = reindex(progress=progress)
    finally:
        progress.close()
    seconds = time.perf_counter() - start
    rate = count / seconds if seconds > 0 else 0
    click.echo(f"Indexed {count} complaint(s) in {seconds:.1f} s ({rate:.0f} per second).")
    click.echo(f"Indexed {public_index.rebuild()} published answer(s) in the public index.")


@search_cli.cli.command("reindex-public")
def search_reindex_public():
    """Rebuild the public index of published answers from the database."""
    click.echo(f"Indexed {public_index.rebuild()} published answer(s).")


@search_cli.cli.command("check")
@click.option("--dry-run", is_flag=True, help="Only report the differences; change nothing.")
def search_check(dry_run):
    """Compare the index with the database and repair what differs (missing, outdated or extra documents)."""
    differences = check(repair=not dry_run)
    if differences.rebuilt:
        click.echo("The index was missing or damaged: rebuilt from the database.")
    if not differences:
        click.echo("The search index matches the database.")
        return
    for label, ids in (("missing from the index", differences.missing),
                       ("outdated in the index", differences.stale),
                       ("in the index but not in the database", differences.extra)):
        if ids:
            click.echo(f"{len(ids)} complaint(s) {label}: ids {_short(ids)}")
    click.echo(f"Repaired {differences.count} difference(s)." if differences.repaired
               else "Nothing changed (dry run).")


def _short(ids, limit=20):
    shown = ", ".join(str(i) for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")
