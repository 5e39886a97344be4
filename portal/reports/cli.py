"""`flask --app portal report monthly 2026-10 [--agency CODE|all] [--out DIR] [--lang vi|en]`: the report as PDF,
XLSX and CSV files, the same numbers as the page."""
from pathlib import Path

import click
from flask import Blueprint
from flask_babel import force_locale
from sqlalchemy import select

from portal.directory.models import Agency
from portal.extensions import db
from portal.reports.build import build_report
from portal.reports.outputs import csv_bytes, file_name, pdf_bytes, xlsx_bytes
from portal.reports.periods import EXAMPLES, PeriodError, parse_period

report_cli = Blueprint("report", __name__, cli_group="report")
WRITERS = {"pdf": pdf_bytes, "xlsx": xlsx_bytes, "csv": csv_bytes}


def _agencies(code):
    """[None] for the city, [agency] for one, every active agency for "all"."""
    if not code:
        return [None]
    if code == "all":
        return [a for a in db.session.scalars(select(Agency).order_by(Agency.code)) if a.is_active()]
    agency = db.session.scalars(select(Agency).where(Agency.code == code)).first()
    if agency is None:
        raise click.BadParameter(f"no agency has the code {code}", param_hint="--agency")
    return [agency]


def _write(kind, value, agency_code, out, lang):
    with force_locale(lang):
        try:
            period = parse_period(kind, value)
        except PeriodError as error:
            raise click.BadParameter(str(error), param_hint="PERIOD") from error
        _write_files(period, _agencies(agency_code), out)


def _write_files(period, agencies, out):
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with click.progressbar(agencies, label="Reports", show_pos=True,
                           item_show_func=lambda a: a.code if a else None) as bar:
        for agency in bar:
            report = build_report(period, agency)
            for fmt, write in WRITERS.items():
                path = out / file_name(report, fmt)
                path.write_bytes(write(report))
                written.append(path)
    click.echo(f"{len(written)} file(s) written to {out}")


def _command(kind):
    @report_cli.cli.command(kind, help=f"Write the {kind} report of PERIOD (such as {EXAMPLES[kind]}) as PDF, "
                                       "XLSX and CSV, for the city or --agency CODE (or all).")
    @click.argument("period")
    @click.option("--agency", "agency_code", default="", help="An agency's code, or all; the city by default.")
    @click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True)
    @click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
    def command(period, agency_code, out, lang):
        _write(kind, period, agency_code, out, lang)
    command.__name__ = f"report_{kind}"
    return command


for _kind in EXAMPLES:
    _command(_kind)
