"""Each page runs a fixed, small number of SQL statements, whatever the number of cases: the same count with
10 and with 60 demo complaints, and no more than BOUND. A page that loads a relation per row it shows (an
N+1) runs more statements on the larger data set and fails here.

Pages are requested as a role allowed to see them; the cases opened are the same ones on both data sets (the
first batch of the demo generator), one of each kind, the one with the longest history."""
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from portal.accounts.models import User
from portal.cases import operations as ops
from portal.complaints.models import Attachment, Complaint
from portal.directory.models import Agency, RoutingRule
from portal.domain.enums import Kind
from portal.extensions import db
from portal.history import CaseEvent
from portal.oversight import operations as oversight
from portal.oversight.models import InspectionCase
from portal.timeutil import utcnow
from portal.tracking_links import tracking_token
from tests.conftest import english_client, signed_in

SMALL, LARGE = 60, 180
BOUND = 30  # statements per page: sign-in checks, the page's rows, its choices; never one per row

# (role, address) of each page; "{case:<kind>}", "{track:<kind>}", "{rule}" and "{agency}" are filled in.
# Pages other changes add (a paged follow-up, directory admin pages...) belong in this list.
STAFF_PAGES = [
    ("home_affairs", "/staff/"),
    ("home_affairs", "/staff/cases"),
    ("home_affairs", "/staff/cases?status=all"),
    ("home_affairs", "/staff/cases?kind=phan_anh"),
    ("home_affairs", "/staff/cases?overdue=1"),
    ("home_affairs", "/staff/cases?status=closed&kind=phan_anh"),
    ("home_affairs", "/staff/cases?agency={agency}"),
    ("home_affairs", "/staff/cases?code=VV-"),
    ("officer", "/staff/cases"),
    ("officer", "/staff/cases?status=all&overdue=1"),
    ("officer", "/staff/cases?assignee=me"),
    ("officer", "/staff/cases?assignee=none&status=all"),
    ("agency_head", "/staff/cases"),  # with each officer's load
    *[("home_affairs", f"{{case:{kind.value}}}") for kind in Kind],
    *[("intake", f"{{case:{kind.value}}}") for kind in Kind],
    *[(f"officer:{kind.value}", f"{{case:{kind.value}}}") for kind in Kind],  # an officer of the case's agency
    *[(f"agency_head:{kind.value}", f"{{case:{kind.value}}}") for kind in Kind],  # with the form to assign it
    ("home_affairs", "/staff/search"),
    ("home_affairs", "/staff/search?q=h%E1%BB%93+s%C6%A1"),
    ("home_affairs", "/staff/search?q=ho+so&page=2"),
    ("officer", "/staff/search?q=ho+so"),
    ("officer", "/staff/search?page=2"),
    ("intake", "/staff/triage"),
    ("home_affairs", "/staff/follow-up"),
    ("home_affairs", "/staff/follow-up?agency={agency}"),  # with its officers' figures
    ("home_affairs", "/staff/patterns"),
    ("home_affairs", "/staff/patterns?dimension=category&days=30"),  # groups at both sizes: their weekly trend too
    ("inspector", "/staff/patterns/agency/{agency}"),
    ("inspector", "/staff/inspections"),
    ("inspector", "{inspection}"),
    ("commission", "/staff/commission"),
    ("commission", "{official}"),
    ("admin", "/staff/routing"),
    ("admin", "/staff/routing/new"),
    ("admin", "/staff/routing/{rule}/edit"),
]
# Pages whose count may differ between the sizes without an N+1: a section that is empty on the small data set
# skips its query (no official yet has the three complaints a pattern group needs).
STILL_GROWING = {"/staff/patterns"}  # its category view below is held to the rule
RESIDENT_PAGES = ["/", "/complaints/new", "/track", "/track?code={code:phan_anh}", "{track:phan_anh}",
                  "{track:to_cao}", "/transparency/", "/transparency/{agency}"]


@contextmanager
def counted():
    """The SQL statements run inside the block (the test's savepoints left out)."""
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            seen.append(" ".join(statement.split())[:160])
    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def demo(runner, n, seed):
    """n demo complaints of the last 20 days (so that every list has open cases), indexed."""
    result = runner.invoke(args=["demo", "generate", str(n), "--seed", str(seed), "--days", "20"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0


def chosen_cases(app):
    """{kind: complaint}: of each kind, the accepted case with the longest history; the same on both data sets."""
    with app.app_context():
        chosen = {}
        for kind in Kind:
            events = select(func.count()).where(CaseEvent.complaint_id == Complaint.id).scalar_subquery()
            chosen[kind.value] = db.session.scalars(
                select(Complaint).where(Complaint.kind == kind.value, Complaint.accepted_at.is_not(None))
                .order_by(events.desc(), Complaint.id).limit(1)).first()
        return chosen


def accepted_denunciation(app, make_user, make_complaint):
    code = make_complaint(kind="to_cao", official_name="Nguyễn Văn Bình", official_position="cán bộ địa chính")
    with app.app_context():
        complaint = db.session.scalars(select(Complaint).where(Complaint.code == code)).one()
        ops.accept(complaint, db.session.get(User, make_user("intake")), version=complaint.version,
                   agency=complaint.agency, category=complaint.category, problem_type=complaint.problem_type,
                   redacted_title="Tố cáo cán bộ địa chính", redacted_description="Nội dung đã che.")
        db.session.commit()


def unassigned_cases(app, make_user, agency, count=2):
    """Accepted cases of `agency` that no officer owns yet: its "not yet assigned" list is never empty (an empty
    list skips the rows' queries, and the counts of the two data sets would differ for no N+1)."""
    with app.app_context():
        intake = db.session.get(User, make_user("intake"))
        handler = db.session.scalars(select(Agency).where(Agency.code == agency)).one()
        waiting = db.session.scalars(select(Complaint).where(Complaint.status == "received")
                                     .order_by(Complaint.id).limit(count)).all()
        for complaint in waiting:
            ops.accept(complaint, intake, version=complaint.version, agency=handler, category=complaint.category,
                       problem_type=complaint.problem_type, redacted_title="Tố cáo",
                       redacted_description="Nội dung đã che.")
        db.session.commit()


def an_inspection(app, make_user):
    """An inspection of the busiest official, with a finding: {mark: address} of its page and their record."""
    with app.app_context():
        key = db.session.scalar(select(Complaint.official_key).where(Complaint.official_key.is_not(None))
                                .group_by(Complaint.official_key).order_by(func.count().desc()).limit(1))
        inspector = db.session.get(User, make_user("inspector"))
        first = db.session.scalars(select(Complaint).where(Complaint.official_key == key)).first()
        inspection = oversight.open_inspection(inspector, origin="complaints", allegations="Chậm hồ sơ.",
                                               official_name=first.official_name, complaints=[first],
                                               due_at=utcnow() + timedelta(days=30))
        db.session.flush()
        oversight.start_investigation(inspection, inspector, version=inspection.version)
        db.session.commit()
        return {"{inspection}": f"/staff/inspections/{inspection.reference}", "{official}": f"/staff/officials/{key}"}


def grow_inspection(app, make_user, ref):
    """More findings with evidence, complaints and team members: the page must not cost a statement per row."""
    with app.app_context():
        inspection = db.session.scalars(select(InspectionCase).where(InspectionCase.reference == ref)).one()
        inspector = db.session.get(User, make_user("inspector"))
        inspection.members.append(inspector)
        inspection.complaints.extend(db.session.scalars(select(Complaint).where(
            Complaint.id.not_in([c.id for c in inspection.complaints])).limit(3)))
        for number in range(3):
            finding = oversight.add_finding(inspection, inspector, text=f"Phát hiện {number}.", substantiated=True)
            for copy in range(2):
                db.session.add(Attachment(token=f"t{finding.id}-{copy}-{ref}", stored_name="x.jpg",
                                          original_name="x.jpg", mime="image/jpeg", size=1, sha256="0" * 64,
                                          finding_id=finding.id))
        db.session.commit()


def longer_histories(app, make_user, cases):
    """Notes by several staff members on each chosen case: its history grows with the data set too."""
    with app.app_context():
        writers = [db.session.get(User, make_user(role)) for role in ("intake", "inspector", "home_affairs")]
        for case in cases.values():
            if case is None:
                continue
            complaint = db.session.get(Complaint, case.id)
            for number, writer in enumerate(writers * 3):
                ops.add_note(complaint, writer, text=f"Ghi chú số {number}.", share_with_agency=True)
        db.session.commit()


def busiest_agency(app):
    """The code of the agency with the most accepted cases."""
    with app.app_context():
        return db.session.scalars(select(Agency.code).join(Complaint, Complaint.agency_id == Agency.id)
                                  .where(Complaint.accepted_at.is_not(None)).group_by(Agency.code)
                                  .order_by(func.count().desc(), Agency.code).limit(1)).one()


def addresses(app, cases, agency):
    with app.app_context():
        rule = db.session.scalars(select(RoutingRule.id).order_by(RoutingRule.id)).first()
        fill = {"{agency}": agency, "{rule}": str(rule)}
        for kind, case in cases.items():
            if case is None:
                continue
            fill[f"{{case:{kind}}}"] = f"/staff/cases/{case.reference}"
            fill[f"{{code:{kind}}}"] = case.code
            fill[f"{{track:{kind}}}"] = f"/track/{tracking_token(case)}"
    return fill


def filled(address, fill):
    for mark, value in fill.items():
        address = address.replace(mark, value)
    return None if "{" in address else address


def statement_counts(app, browsers, fill):
    """{(who, address): statements} for every page, each requested twice (the first warms the caches)."""
    counts = {}
    for who, address in [*STAFF_PAGES, *[("resident", address) for address in RESIDENT_PAGES]]:
        address = filled(address, fill)
        if address is None:  # no case of that kind in the first batch
            continue
        browser = browsers[who] if who != "resident" else english_client(app)  # a resident's first visit
        response = browser.get(address, follow_redirects=True)
        assert response.status_code == 200, (who, address, response.status_code)
        with counted() as seen:
            assert browser.get(address, follow_redirects=True).status_code == 200
        counts[(who, address)] = seen
    return counts


def signed_browsers(app, make_user, agency, cases):
    """{who: browser}: staff of each role; officers of the busiest agency and of each chosen case's agency."""
    with app.app_context():
        agencies = {kind: db.session.get(Complaint, case.id).agency.code
                    for kind, case in cases.items() if case is not None}
    found = {role: signed_in(app, make_user(role, agency if role in ("officer", "agency_head") else None))
             for role in ("home_affairs", "intake", "officer", "agency_head", "inspector", "commission", "admin")}
    found.update({f"{role}:{kind}": signed_in(app, make_user(role, code))
                  for kind, code in agencies.items() for role in ("officer", "agency_head")})
    return found


def test_each_page_runs_the_same_few_statements_with_20_and_80_complaints(app, runner, fresh_index, make_user,
                                                                          make_complaint):
    accepted_denunciation(app, make_user, make_complaint)  # the first batch may hold none
    demo(runner, SMALL, seed=11)
    agency, cases = busiest_agency(app), chosen_cases(app)
    unassigned_cases(app, make_user, agency)
    fill = addresses(app, cases, agency) | an_inspection(app, make_user)
    grow_inspection(app, make_user, fill["{inspection}"].rsplit("/", 1)[-1])
    signed = signed_browsers(app, make_user, agency, cases)
    small = statement_counts(app, signed, fill)
    demo(runner, LARGE - SMALL, seed=12)
    longer_histories(app, make_user, cases)
    grow_inspection(app, make_user, fill["{inspection}"].rsplit("/", 1)[-1])
    large = statement_counts(app, signed, fill)
    for (who, address), found in large.items():  # shown with `pytest -s`
        print(f"{len(small[who, address]):3} {len(found):3}  {who:12} {address}")
    grew = {page: _added(small[page], large[page]) for page in small
            if len(large[page]) != len(small[page]) and page[1] not in STILL_GROWING}
    assert grew == {}, "statements that grow with the number of cases (an N+1?):\n" + "\n".join(
        f"{who} {address}: {len(small[who, address])} -> {len(large[who, address])}, more: {more}"
        for (who, address), more in grew.items())
    over = {page: len(found) for page, found in large.items() if len(found) > BOUND}
    assert over == {}, f"pages over {BOUND} statements"


def _added(before, after):
    """The statements `after` runs more often than `before`, with how many more times."""
    more = Counter(after)
    more.subtract(Counter(before))
    return {statement: times for statement, times in more.items() if times}
