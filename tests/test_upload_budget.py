"""Files are stored before the rest of the form is valid, so what one connection may store is bounded: every
post with files counts against the submission limit, and uploads have a byte budget per session and per address.
A filing that fails leaves no file behind, and a file the resident removes is deleted."""
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.complaints.models import Attachment
from portal.extensions import db
from tests.conftest import english_client, token_in
from tests.helpers import VALID, complaint_count, post_form

KB = 1024


def pdf(size, mark=b"0"):
    """A plain PDF of about `size` bytes (stored as received, so its size is what counts)."""
    return b"%PDF-1.4\n%" + mark * size + b"\n%%EOF\n"


def files_on_disk(app):
    return {path for path in Path(app.config["UPLOAD_DIR"]).rglob("*") if path.is_file()}


def test_every_post_with_files_counts_against_the_submission_limit(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMISSION_RATE_LIMIT", "2 per minute")
    assert post_form(client, files=[("a.pdf", pdf(KB))], email="bad").status_code == 400
    assert post_form(client, files=[("b.pdf", pdf(KB))], email="bad").status_code == 400
    response = post_form(client, title="Lần thứ ba, đã sửa địa chỉ email")
    assert response.status_code == 429
    assert "Lần thứ ba, đã sửa địa chỉ email" in response.get_data(as_text=True)
    assert complaint_count(app) == 0


def test_a_post_correcting_a_typo_without_files_does_not_count(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SUBMISSION_RATE_LIMIT", "1 per minute")
    assert post_form(client, email="bad").status_code == 400
    assert post_form(client).status_code == 303


def test_an_address_stores_at_most_its_daily_budget_whatever_the_session(app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_BYTES_PER_ADDRESS", 25 * KB)
    before = files_on_disk(app)
    for number in range(2):  # a fresh session each time, as a script would
        response = post_form(english_client(app), files=[(f"{number}.pdf", pdf(10 * KB))], email="bad")
        assert response.status_code == 400 and "Too many files" not in response.get_data(as_text=True)
    response = post_form(english_client(app), files=[("2.pdf", pdf(10 * KB))], email="bad",
                         title="Ống nước vỡ trước nhà số 7")
    page = response.get_data(as_text=True)
    assert "Too many files have been sent from your connection today" in page
    assert "Ống nước vỡ trước nhà số 7" in page  # what was typed is kept
    assert len(files_on_disk(app) - before) == 2


def test_a_session_keeps_at_most_one_forms_worth_even_across_new_forms(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENTS_BYTES", 25 * KB)
    assert post_form(client, files=[("a.pdf", pdf(15 * KB))], email="bad").status_code == 400
    client.get("/complaints/new")  # a new form forgets the file, but it was stored all the same
    response = post_form(client, files=[("b.pdf", pdf(15 * KB))], email="bad")
    assert "as much as one submission may hold" in response.get_data(as_text=True)
    assert VALID["description"] in response.get_data(as_text=True)


def test_a_filed_complaint_frees_the_sessions_budget(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENTS_BYTES", 25 * KB)
    assert post_form(client, files=[("a.pdf", pdf(15 * KB))]).status_code == 303
    assert post_form(client, files=[("b.pdf", pdf(15 * KB))]).status_code == 303


def test_a_removed_file_is_deleted_and_frees_its_place(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENTS_BYTES", 25 * KB)
    response = post_form(client, files=[("a.pdf", pdf(15 * KB))], email="bad")
    with app.app_context():
        first = db.session.scalars(select(Attachment)).one()
        token, path = first.token, Path(app.config["UPLOAD_DIR"]) / first.stored_name[:2] / first.stored_name
    assert path.exists()
    response = post_form(client, token=token_in(response), remove_file=token,
                         files=[("b.pdf", pdf(15 * KB, mark=b"1"))])
    assert response.status_code == 303
    assert not path.exists()
    with app.app_context():
        assert [a.original_name for a in db.session.scalars(select(Attachment))] == ["b.pdf"]


def test_a_filing_that_fails_leaves_no_file_behind(app, client, monkeypatch):
    """Even a denouncer's PDF: the row was never committed, so its file goes too."""
    def fails(submission):
        raise RuntimeError("the database went away")
    monkeypatch.setattr("portal.complaints.views.file_complaint", fails)
    before = files_on_disk(app)
    with pytest.raises(RuntimeError):
        post_form(client, kind="to_cao", files=[("to-cao.pdf", pdf(KB)), ("anh.pdf", pdf(KB, mark=b"2"))])
    assert files_on_disk(app) == before
    assert complaint_count(app) == 0
