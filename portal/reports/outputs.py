"""A report as CSV, XLSX and PDF: the same rows, formatted once (`shown`), in every format."""
import csv
import io

from flask import render_template
from flask_babel import gettext as _
from openpyxl import Workbook

MIMETYPES = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument."
             "spreadsheetml.sheet", "pdf": "application/pdf"}


def shown(row):
    """A row's value as every format shows it: a count, a percentage with one decimal, or a dash."""
    if row.value is None:
        return "—"
    if row.percent:
        return f"{row.value:.1f}%"
    return str(row.value)


def file_name(report, extension):
    scope = report.agency.code if report.agency is not None else "HN"
    return f"bao-cao-{report.period.kind}-{report.period.value}-{scope}.{extension}"


def _lines(report):
    return [[str(row.section), row.key, str(row.label), shown(row)] for row in report.rows]


def csv_bytes(report):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Section"), _("Key"), _("Indicator"), _("Value")])
    writer.writerows(_lines(report))
    return ("\ufeff" + buffer.getvalue()).encode()  # the BOM lets Excel read Vietnamese


def xlsx_bytes(report):
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Report")[:31])
    sheet.append([str(_title(report))])
    sheet.append([_("Section"), _("Key"), _("Indicator"), _("Value")])
    for line in _lines(report):
        sheet.append(line)
    for number, chart in enumerate(report.charts, start=1):
        data = book.create_sheet(_("Chart %(n)d", n=number)[:31])
        data.append([str(chart.title)])
        data.append(["", *[str(name) for name, _values in chart.series]])
        for index, label in enumerate(chart.labels):
            data.append([label, *[values[index] for _name, values in chart.series]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf_bytes(report):
    """The printable page rendered by WeasyPrint, tagged for screen readers (PDF/UA-1), in DejaVu Sans (which
    covers Vietnamese)."""
    from portal.reports.charts import svg_chart

    html = render_template("reports/print.html", report=report, svg_chart=svg_chart, shown=shown)
    return _weasyprint().HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def _weasyprint():
    """WeasyPrint, loaded when a PDF is asked for (it brings Pango along). Importing it sets Pillow's
    LOAD_TRUNCATED_IMAGES for the whole process, which would let truncated images through the uploads' check
    (portal/complaints/uploads.py): the flag is put back at once."""
    import weasyprint
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def _title(report):
    scope = report.agency.name if report.agency is not None else _("Hanoi city")
    return _("Report: %(period)s · %(scope)s", period=report.period.label, scope=scope)
