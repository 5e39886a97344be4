"""Leaks found by probing the accused agency's view beyond the crawl of test_accused_agency: links between a
denunciation and the same filer's named complaints that other pages make (merges), and what a merge tells a
third party."""

from sqlalchemy import select

from portal.complaints.models import Complaint
from portal.extensions import db
from tests.conftest import case_url, english_client, signed_in
from tests.helpers import post_form
from tests.test_accused_agency import (
    DOSSIER,
    EMAIL,
    NAME,
    PHONE,
    accept_as_intake,
    file_denunciation,
    form_on,
    fresh_index,  # noqa: F401  (autouse fixture)
)


def file_named_phan_anh(app):
    """The same resident's phản ánh about the same dossier: its page shows her name to the agency."""
    resident = english_client(app)
    response = post_form(resident, kind="phan_anh", category="dat_dai", problem_type="delay",
                         title="Hồ sơ địa chính chậm", description="Hồ sơ của tôi chưa được giải quyết.",
                         full_name=NAME, phone=PHONE, email=EMAIL, address="47 ngõ Trạm", dossier_code=DOSSIER)
    assert response.status_code == 303
    with app.app_context():
        return db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first().code


def accept_plain(intake, code):
    fields = form_on(intake.get(case_url(code)), "/accept")
    fields.update({"agency": ["SNNMT"]})
    assert intake.post(case_url(code, "accept"), data=fields).status_code == 302


def merge(intake, code, into_code):
    form = form_on(intake.get(case_url(code)), "/merge")
    form.update({"into": [reference(into_code)]})
    return intake.post(case_url(code, "merge"), data=form)


def reference(code):
    return case_url(code).rsplit("/", 1)[1]


def setup_pair(app, make_user):
    intake = signed_in(app, make_user("intake"))
    officer = make_user("officer", "SNNMT")
    denunciation, pdf = file_denunciation(app)
    assert accept_as_intake(intake, denunciation, pdf).status_code == 302
    named = file_named_phan_anh(app)
    accept_plain(intake, named)
    return intake, signed_in(app, officer), denunciation, named


def merged_directly(app, code, into_code):
    """A merge made before intake's merge refused mixed kinds (the data may still hold such pairs)."""
    with app.app_context():
        rows = {c.code: c for c in db.session.scalars(select(Complaint).where(Complaint.code.in_([code, into_code])))}
        rows[code].merged_into, rows[code].status = rows[into_code], "merged"
        db.session.commit()


def test_intake_cannot_merge_a_denunciation_with_a_named_complaint(app, make_user):
    intake, officer, denunciation, named = setup_pair(app, make_user)
    for code, into in ((named, denunciation), (denunciation, named)):
        refused = merge(intake, code, into)
        assert refused.status_code == 400 and "only with another denunciation" in refused.get_data(as_text=True)
    with app.app_context():
        assert {c.status for c in db.session.scalars(select(Complaint))} == {"assigned"}


def test_a_named_complaint_merged_into_a_denunciation_does_not_link_to_it_for_the_agency(app, make_user):
    intake, officer, denunciation, named = setup_pair(app, make_user)
    merged_directly(app, named, denunciation)
    page = officer.get(case_url(named)).get_data(as_text=True)
    assert NAME in page  # the phản ánh names its filer to the agency, as it should
    assert reference(denunciation) not in page  # but must not point at her denunciation


def test_a_denunciation_merged_into_a_named_complaint_does_not_link_to_it_for_the_agency(app, make_user):
    intake, officer, denunciation, named = setup_pair(app, make_user)
    merged_directly(app, denunciation, named)
    page = officer.get(case_url(denunciation)).get_data(as_text=True)
    assert reference(named) not in page
