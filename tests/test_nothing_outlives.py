"""Nothing personal outlives its use: after a denouncer files, residents and staff ask for sign-in codes, tracking
codes and links, and the worker has sent every email, a copy of the whole database holds no code that signs in,
no link that opens a case, and no part of the denouncer's identity outside the filer's own record (their filer
row and their complaint's own text, which the issue about sealed identities encrypts)."""
import re
from email import message_from_bytes

from sqlalchemy import MetaData, select

from portal.extensions import db
from tests.conftest import csrf_token, english_client
from tests.helpers import post_form
from tests.test_accounts import PASSWORD
from tests.test_track_secrecy import deliver, track

DENOUNCER = {"full_name": "Lưu Thị Bích Ngọc", "phone": "0936 271 845", "email": "bichngoc.luu@example.com",
             "address": "47 ngõ Trạm, Hàng Bông"}
IDENTITY = ("Lưu Thị Bích Ngọc", "Bích Ngọc", "936271845", "0936 271 845", "bichngoc.luu@example.com", "ngõ Trạm")
# Where the filer's own record keeps the identity: the filer row, and the complaint's own text (what they wrote).
OWN_RECORD = {"filer": None, "complaint": {"title", "description"}}


def sent_texts(smtp_server):
    return [part.get_payload(decode=True).decode() for envelope in smtp_server.mailbox.messages
            for part in message_from_bytes(envelope.content).walk() if part.get_content_type() == "text/plain"]


def every_cell(app):
    """(table, column, text) of every value of every table."""
    with app.app_context():
        metadata = MetaData()
        metadata.reflect(bind=db.session.connection())
        return [(table.name, column, str(value)) for table in metadata.sorted_tables
                for row in db.session.execute(select(table)).mappings() for column, value in row.items()
                if value is not None]


def test_a_copy_of_the_database_holds_no_code_no_link_and_no_denouncer(app, smtp_server, make_user):
    filing = post_form(english_client(app), kind="to_cao", title="Tố cáo cán bộ địa chính nhận tiền",
                       description=f"Tôi là {DENOUNCER['full_name']}, điện thoại {DENOUNCER['phone']}. Cán bộ địa "
                                   f"chính phường đòi tiền mới nhận hồ sơ.", **DENOUNCER)
    assert filing.status_code == 303
    with app.app_context():
        from portal.complaints.models import Complaint
        code = db.session.scalars(select(Complaint.code)).one()
    track(app, code, DENOUNCER["email"])  # a one-time code to open the tố cáo
    resident = english_client(app)
    resident.post("/account/sign-in", data={"email": DENOUNCER["email"],
                                            "csrf_token": csrf_token(resident, "/account/sign-in")})
    officer = make_user("officer", "SXD")
    with app.app_context():
        from portal.accounts.models import User
        staff_email = db.session.get(User, officer).email
    staff = english_client(app)
    staff.post("/staff/password/forgot", data={"email": staff_email,
                                               "csrf_token": csrf_token(staff, "/staff/password/forgot")})
    deliver(app)
    texts = sent_texts(smtp_server)
    assert len(texts) == 4, texts  # acknowledgment, tracking code, sign-in code, password reset
    codes = {found for text in texts for found in re.findall(r"^\s+(\d{6})\s*$", text, re.M)}
    links = {found for text in texts for found in re.findall(r"http://portal\.test/\S+/([\w.\-]{20,})", text)}
    assert len(codes) == 2 and len(links) >= 2, (codes, links)
    assert PASSWORD  # (the staff member's password is argon2-hashed: tested in test_accounts.py)

    found = [(table, column, secret) for table, column, value in every_cell(app)
             for secret in (*codes, *links, *IDENTITY) if secret in value
             and not (secret in IDENTITY and table in OWN_RECORD
                      and (OWN_RECORD[table] is None or column in OWN_RECORD[table]))]
    assert found == []
