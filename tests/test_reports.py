"""Periodic reports: the figures equal what plain SQL finds on generated demo data (city and one agency), the page,
the PDF, the XLSX and the CSV hold the same numbers, rebuilding gives the same report, the command writes the
files, and the agencies' own staff are refused."""
import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pikepdf
import pypdfium2
import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import bindparam, text

from portal.complaints.uploads import UploadRejected, clean_upload
from portal.extensions import db
from portal.figures.upkeep import rebuild_figures, refresh_figures
from portal.reports.build import build_report
from portal.reports.models import ASPECTS
from portal.reports.outputs import csv_bytes, pdf_bytes, shown, xlsx_bytes
from portal.reports.periods import PeriodError, parse_period
from portal.timeutil import UTCDateTime, day_start, freeze
from tests.conftest import signed_in
from tests.demo_data import DEMO_NOW as NOW

PERIOD = parse_period("monthly", "2026-02")


def rows(sql, **params):
    statement = text(sql).bindparams(*(bindparam(name, type_=UTCDateTime) for name, value in params.items()
                                       if isinstance(value, datetime)))
    return db.session.execute(statement, params).all()


def one(sql, **params):
    return rows(sql, **params)[0][0] or 0


def expected(period, agency_id=None):
    """{row key: value} computed with plain SQL over the complaints, the ratings, the events and the inspections."""
    start, end = day_start(period.first), day_start(period.last + timedelta(days=1))
    scope = "AND c.agency_id = :agency" if agency_id else ""
    args = {"start": start, "end": end, **({"agency": agency_id} if agency_id else {})}
    filed = f"FROM complaint c WHERE c.created_at >= :start AND c.created_at < :end {scope}"
    answered = f"FROM complaint c WHERE c.answered_at >= :start AND c.answered_at < :end {scope}"
    found = {"received.total": one(f"SELECT count(*) {filed}", **args),
             "received.accepted": one(f"SELECT count(*) {filed} AND c.accepted_at IS NOT NULL", **args),
             "received.named": one(f"SELECT count(*) {filed} AND c.assignee_id IS NOT NULL", **args),
             "received.extended": one(f"SELECT count(*) {filed} AND c.extensions_used > 0", **args),
             "received.open_overdue": one(f"SELECT count(*) {filed} AND c.current_due_at < :now", now=NOW, **args),
             "answered.total": one(f"SELECT count(*) {answered}", **args),
             "answered.on_time": one(f"SELECT count(*) {answered} AND c.answered_at <= c.resolve_due_at", **args),
             "answered.reopened": one(f"SELECT count(*) {answered} AND EXISTS (SELECT 1 FROM case_event e WHERE "
                                      "e.complaint_id = c.id AND e.action = 'reopened')", **args)}
    for kind, count in rows(f"SELECT c.kind, count(*) {filed} GROUP BY c.kind", **args):
        found[f"received.kind.{kind}"] = count
    waits = sorted((_utc(answer) - _utc(filed_at)).days
                   for filed_at, answer in rows(f"SELECT c.created_at, c.answered_at {answered}", **args))
    found["answered.median_days"] = waits[-(-len(waits) * 5 // 10) - 1] if waits else None
    found["answered.p90_days"] = waits[-(-len(waits) * 9 // 10) - 1] if waits else None
    latest = "JOIN rating r ON r.id = (SELECT max(r2.id) FROM rating r2 WHERE r2.complaint_id = c.id)"
    ratings = rows(f"SELECT r.* {answered.replace('FROM complaint c', 'FROM complaint c ' + latest)}", **args)
    found["satisfaction.rated"] = len(ratings)
    for aspect in ASPECTS:
        found[f"satisfaction.{aspect}"] = _share(sum(getattr(r, aspect) >= 4 for r in ratings), len(ratings))
    found["satisfaction.satisfied"] = _share(sum(sum(getattr(r, a) for a in ASPECTS) >= 20 for r in ratings),
                                             len(ratings))
    inspections = "AND i.agency_id = :agency" if agency_id else ""
    found["inspections.opened"] = one("SELECT count(*) FROM inspection_case i WHERE i.created_at >= :start "
                                      f"AND i.created_at < :end {inspections}", **args)
    found["inspections.closed"] = one("SELECT count(*) FROM inspection_case i WHERE i.closed_at >= :start "
                                      f"AND i.closed_at < :end {inspections}", **args)
    return found


def _utc(value):
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else None


def busiest_agency():
    return rows("SELECT agency_id FROM complaint WHERE agency_id IS NOT NULL GROUP BY agency_id "
                "ORDER BY count(*) DESC LIMIT 1")[0][0]


@pytest.mark.demo_data
def test_the_reports_figures_are_what_sql_finds(app):
    with freeze(NOW), app.app_context():
        from portal.directory.models import Agency
        agency = db.session.get(Agency, busiest_agency())
        for scope in (None, agency):
            report = build_report(PERIOD, scope)
            wanted = expected(PERIOD, scope.id if scope else None)
            shown_values = {key: report.value(key) for key in wanted}
            assert shown_values == {key: wanted.get(key, 0) for key in wanted}, scope
            least = 1 if scope else 20  # the comparison compares something
            assert report.value("received.total") >= least and report.value("answered.total") >= least
            assert report.value("received.named_share") == _share(wanted["received.named"],
                                                                  wanted["received.accepted"])
        city = build_report(parse_period("yearly", "2025"), None)
        assert city.value("inspections.opened") >= 0 and any(r.key.startswith("patterns.") for r in city.rows)


@pytest.mark.demo_data
def test_the_figures_follow_a_change_and_a_rebuild_gives_the_same_report(app):
    with freeze(NOW), app.app_context():
        before = build_report(PERIOD, None)
        again = build_report(PERIOD, None)
        assert [(r.key, r.value) for r in before.rows] == [(r.key, r.value) for r in again.rows]
        db.session.execute(text("DELETE FROM report_day"))
        db.session.execute(text("DELETE FROM answer_time"))
        db.session.commit()
        rebuild_figures()
        assert [(r.key, r.value) for r in build_report(PERIOD, None).rows] == [(r.key, r.value) for r in before.rows]
        from portal.complaints.models import Complaint
        moved = db.session.scalars(db.select(Complaint).where(Complaint.answered_at.is_not(None),
                                                               Complaint.answered_at < day_start(PERIOD.first))
                                   .order_by(Complaint.id)).first()
        moved.answered_at = day_start(PERIOD.first) + timedelta(hours=30)  # answered in the period after all
        db.session.commit()
        refresh_figures()
        assert build_report(PERIOD, None).value("answered.total") == before.value("answered.total") + 1


def values_in(text_of_format, report):
    """The rows whose shown value is missing from a format's text."""
    return [row.key for row in report.rows if shown(row) not in text_of_format]


@pytest.mark.demo_data
def test_page_pdf_xlsx_and_csv_hold_the_same_numbers(app, make_user):
    with freeze(NOW):
        browser = signed_in(app, make_user("home_affairs"))
        page = browser.get("/staff/reports?kind=monthly&value=2026-02")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        with app.app_context():
            report = build_report(PERIOD, None)
        row = r'<tr id="([a-z0-9_.]+)"><th scope="row" class="fw-normal">[^<]*</th><td class="text-end">([^<]*)</td>'
        page_values = dict(re.findall(row, html))
        assert page_values == {row.key: shown(row) for row in report.rows}
        assert html.count("<svg") == 2 and html.count("<caption>") == 2
        files = {fmt: browser.get(f"/staff/reports/report.{fmt}?kind=monthly&value=2026-02") for fmt in
                 ("csv", "xlsx", "pdf")}
        assert all(response.status_code == 200 for response in files.values())
        table = list(csv.reader(io.StringIO(files["csv"].get_data().decode("utf-8-sig"))))[1:]
        assert {key: value for _section, key, _label, value in table} == page_values
        book = load_workbook(io.BytesIO(files["xlsx"].get_data()))
        sheet = book.worksheets[0]
        assert {r[1]: r[3] for r in sheet.iter_rows(min_row=3, values_only=True)} == page_values
        pdf = pypdfium2.PdfDocument(files["pdf"].get_data())
        words = " ".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))
        assert values_in(words, report) == [] and "Answered on time" in words  # the English client's language
        image = pdf[0].render(scale=0.5).to_pil().convert("L")
        dark = sum(1 for pixel in image.tobytes() if pixel < 128)
        assert 0.7 < image.width / image.height < 0.72 and dark > 500  # an A4 page with text and bars on it
        with pikepdf.open(io.BytesIO(files["pdf"].get_data())) as document:  # tagged for screen readers
            assert "/StructTreeRoot" in document.Root and document.Root.MarkInfo.Marked


@pytest.mark.demo_data
def test_the_command_writes_the_three_files(app, runner, tmp_path):
    with freeze(NOW):
        result = runner.invoke(args=["report", "monthly", "2026-02", "--out", str(tmp_path)])
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "bao-cao-monthly-2026-02-HN.csv", "bao-cao-monthly-2026-02-HN.pdf", "bao-cao-monthly-2026-02-HN.xlsx"]
        with app.app_context():
            report = build_report(PERIOD, None)
            assert (tmp_path / "bao-cao-monthly-2026-02-HN.csv").read_bytes() == csv_bytes(report)
        result = runner.invoke(args=["report", "monthly", "2026-13", "--lang", "en", "--out", str(tmp_path)])
        assert result.exit_code == 2 and "01 to 12" in result.output
        result = runner.invoke(args=["report", "quarterly", "2026-Q1", "--agency", "SXD", "--out", str(tmp_path)])
        assert result.exit_code == 0 and (tmp_path / "bao-cao-quarterly-2026-Q1-SXD.pdf").exists()


@pytest.mark.parametrize("kind, value, first, last", [
    ("monthly", "2026-02", "2026-02-01", "2026-02-28"), ("quarterly", "2026-q4", "2026-10-01", "2026-12-31"),
    ("yearly", "2024", "2024-01-01", "2024-12-31")])
def test_periods(kind, value, first, last):
    period = parse_period(kind, value)
    assert (period.first.isoformat(), period.last.isoformat()) == (first, last)


def test_a_bad_period_is_refused_politely(app, make_user):
    with pytest.raises(PeriodError):
        parse_period("monthly", "02/2026")
    browser = signed_in(app, make_user("inspector"))
    response = browser.get("/staff/reports?kind=monthly&value=tháng 2")
    assert response.status_code == 400 and 'value="tháng 2"' in response.get_data(as_text=True)
    assert "2026-10" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["officer", "agency_head", "intake"])
def test_the_agencies_staff_are_refused(app, make_user, role):
    browser = signed_in(app, make_user(role, "SXD" if role != "intake" else None))
    assert browser.get("/staff/reports").status_code == 403
    for fmt in ("csv", "xlsx", "pdf"):
        assert browser.get(f"/staff/reports/report.{fmt}?kind=monthly&value=2026-02").status_code == 403


@pytest.mark.demo_data
def test_pdf_renders_outside_a_request_and_leaves_the_upload_checks_as_they_were(app):
    with freeze(NOW), app.app_context():
        assert pdf_bytes(build_report(PERIOD, None)).startswith(b"%PDF")
        assert xlsx_bytes(build_report(PERIOD, None))[:2] == b"PK"
    noise = io.BytesIO()
    Image.effect_noise((200, 200), 64).convert("RGB").save(noise, "JPEG")
    with pytest.raises(UploadRejected):  # WeasyPrint's import switches Pillow to accepting truncated images
        clean_upload(noise.getvalue()[:len(noise.getvalue()) // 2], "anh.jpg")
