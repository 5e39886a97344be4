"""Tables as CSV or XLSX downloads. Callers pass only the columns the viewer may see (the visibility rules are
applied before a row gets here)."""
import csv
import io

from flask import Response
from openpyxl import Workbook

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def table_response(fmt, filename, header, rows):
    """A download of `rows` (lists of plain values) under `header`, as csv or xlsx."""
    body = _csv(header, rows) if fmt == "csv" else _xlsx(header, rows)
    return Response(body, mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'})


def _csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in header])
    writer.writerows([_cell(v) for v in row] for row in rows)
    return "\ufeff" + buffer.getvalue()  # the BOM lets Excel read Vietnamese correctly


def _xlsx(header, rows):
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    """Plain text or numbers; a leading = + - @ is quoted so a spreadsheet never runs it as a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
