"""Filing a complaint through the form, and computing deadlines, against a plain page render.

Baseline: GET / (template rendering only). Filing adds validation, routing, deadlines, the first history event
and the acknowledgment in the outbox, in one transaction."""
from datetime import UTC, datetime

from benchmarks.common import report, scratch_app, timings
from portal.domain.calendar import WorkCalendar

FORM = {
    "kind": "phan_anh", "category": "xay_dung", "problem_type": "delay", "ward": "00004",
    "title": "Hồ sơ cấp phép xây dựng quá hạn", "filer_type": "individual", "full_name": "Nguyễn Văn An",
    "description": "Hồ sơ nộp từ tháng trước đến nay vẫn chưa có kết quả, cán bộ hẹn lại nhiều lần.",
    "phone": "0912345678", "email": "an@example.com", "contact_preference": "email", "truthful": "y",
    # the fields a browser sends empty
    "concerned_agency": "", "official_name": "", "official_position": "", "procedure_name": "", "dossier_code": "",
    "organisation": "", "tax_code": "", "address": "", "website": "",
}


def run():
    app = scratch_app()
    client = app.test_client()
    baseline = timings(lambda: client.get("/"), 200)
    report("GET / (baseline)", baseline, baseline)
    report("GET /complaints/new", timings(lambda: client.get("/complaints/new"), 200), baseline)
    report("POST /complaints/new (file one)", timings(lambda: client.post("/complaints/new", data=FORM), 200),
           baseline)
    calendar = WorkCalendar()
    start = datetime(2026, 2, 13, 3, 0, tzinfo=UTC)
    report("30 deadlines (3 units x 10)", timings(lambda: [calendar.deadline(start, n, unit) for n in range(1, 11)
                                                           for unit in ("working_hours", "working_days", "days")],
                                                  200), baseline)
