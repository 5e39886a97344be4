"""`flask demo generate`: lifelike complaints written in bulk, with valid histories, deterministic per seed."""
import re
from collections import Counter

import pytest
from sqlalchemy import delete, func, select, update

from portal.cases.models import APPROVED, ExtensionRequest, Rating
from portal.complaints.codes import normalise
from portal.complaints.models import Complaint, Filer
from portal.complaints.validators import canonical_email, canonical_phone
from portal.directory.models import Category, ProblemType
from portal.domain.enums import Kind, Status
from portal.extensions import db
from portal.history import CaseEvent
from portal.outbox.models import OutboxMessage
from portal.oversight.models import Finding, InspectionCase, inspection_complaint, inspection_member
from portal.publication.models import PublicVersion
from portal.timeutil import utcnow

N = 300
REVIEWS = ("publication_approved", "publication_declined")  # may come after a case closed


def generate(runner, n=N, seed=1, days=365):
    result = runner.invoke(args=["demo", "generate", str(n), "--seed", str(seed), "--days", str(days)])
    assert result.exit_code == 0, result.output
    return result.output


def all_complaints():
    return db.session.scalars(select(Complaint).order_by(Complaint.id)).all()


def words(text):
    found = re.findall(r"\w+", text.lower())
    return {" ".join(found[i:i + 3]) for i in range(len(found) - 2)}


def similarity(a, b):
    a, b = words(a), words(b)
    return len(a & b) / len(a | b)


def test_generate_writes_lifelike_complaints(app, runner):
    with app.app_context():
        outbox_before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    output = generate(runner)
    assert f"{N:,} complaints in" in output and "complaints/s" in output and "search reindex" in output

    with app.app_context():
        complaints = all_complaints()
        assert len(complaints) == N
        assert len({c.code for c in complaints}) == N
        assert all(normalise(c.code) == c.code for c in complaints)
        kinds = Counter(c.kind for c in complaints)
        assert set(kinds) == {k.value for k in Kind}
        assert kinds["phan_anh"] > N / 2 > kinds["kien_nghi"]
        categories = db.session.scalar(select(func.count()).select_from(Category).where(Category.active))
        assert len({c.category_id for c in complaints}) >= categories * 2 // 3
        problem_types = db.session.scalar(select(func.count()).select_from(ProblemType).where(ProblemType.active))
        assert len({c.problem_type_id for c in complaints}) == problem_types
        assert len({c.ward_id for c in complaints}) > 40
        assert all(c.agency_id and c.routing_rule_id and c.suggested_agency_id for c in complaints)
        assert all(len(c.title) <= 200 and c.description for c in complaints)

        now = utcnow()
        statuses = Counter(c.status for c in complaints)
        assert statuses["closed"] > N / 3
        assert statuses["rejected"] and statuses["answered"] + statuses["closed"] > N / 2
        assert sum(c.is_overdue(now) for c in complaints) >= 3
        assert db.session.scalar(select(func.count()).select_from(Rating)) >= 20
        scores = db.session.scalars(select(Rating)).all()
        assert {r.satisfied for r in scores} == {True, False}
        assert all(1 <= r.score <= 5 and r.score == sum(getattr(r, a) for a in Rating.ASPECTS) / 5 for r in scores)
        extended = [c for c in complaints if c.extensions_used]
        assert extended
        assert all(db.session.scalar(select(func.count()).select_from(ExtensionRequest).where(
            ExtensionRequest.complaint_id == c.id, ExtensionRequest.status == APPROVED)) == c.extensions_used
            for c in extended)

        # Anonymous only where the law allows it; identified filers have valid contacts.
        anonymous = [c for c in complaints if c.anonymous]
        assert anonymous and all(c.kind == "phan_anh" and c.filer_id is None for c in anonymous)
        filers = db.session.scalars(select(Filer)).all()
        assert all(canonical_phone(f.phone) == f.phone and f.phone.startswith("+84") for f in filers)
        assert all(canonical_email(f.email) for f in filers if f.email)
        assert 0.3 < sum(bool(f.email) for f in filers) / len(filers) < 0.8
        assert all(re.fullmatch(r"\d{10}", f.tax_code) for f in filers if f.filer_type == "business")

        # A tố cáo passes to the agency without the denouncer's name.
        denunciations = [c for c in complaints if c.kind == "to_cao" and c.accepted_at]
        assert denunciations
        for c in denunciations:
            assert c.filer.full_name in c.description
            assert c.redacted_description and c.filer.full_name not in c.redacted_description
            for text in (c.redacted_title, c.redacted_description):  # nor the code of their own dossier
                assert not c.dossier_code or c.dossier_code not in text
            assert c.filer.filer_type == "individual" and c.filer.address

        # A cast of officials comes back, spelled in several ways, under one grouping key.
        keys = Counter(c.official_key for c in complaints if c.official_key)
        key, count = keys.most_common(1)[0]
        assert count >= 5
        assert len({c.official_name for c in complaints if c.official_key == key}) >= 2
        procedures = Counter(c.procedure_key for c in complaints if c.procedure_key)
        assert procedures.most_common(1)[0][1] >= 10
        assert any(re.fullmatch(r"H01\.\d{4}\.\d{6}", c.dossier_code) for c in complaints)

        # Re-submissions: a few near-identical texts, merged into (or at least filed by) the same resident.
        merged = [c for c in complaints if c.status == Status.MERGED.value]
        assert merged
        for c in merged:
            assert c.merged_into and c.merged_into.created_at < c.created_at
            assert similarity(c.description, c.merged_into.description) > 0.6
            assert c.filer_id == c.merged_into.filer_id
        unrelated = [similarity(a.description, b.description) for a, b in zip(complaints, complaints[1:], strict=False)
                     if a.merged_into_id != b.id and b.merged_into_id != a.id]
        assert max(unrelated) < 0.6

        # Core inserts: no search-index outbox row per complaint (the reindex command rebuilds the index).
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == outbox_before


@pytest.mark.demo_data
def test_histories_are_chained_and_dates_ordered(app, runner):
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0

    with app.app_context():
        now = utcnow()
        for c in all_complaints():
            events = db.session.scalars(select(CaseEvent).where(CaseEvent.complaint_id == c.id)
                                        .order_by(CaseEvent.seq)).all()
            assert events[0].action == "filed" and events[0].created_at == c.created_at
            assert [e.created_at for e in events] == sorted(e.created_at for e in events)
            touched = [e for e in events if e.action != "inspection_concluded"]  # an inspection's update comes later
            assert touched[-1].created_at == c.updated_at <= now
            own = [e for e in touched if e.action not in REVIEWS]
            moments = [m for m in (c.created_at, c.accepted_at, c.answered_at, c.closed_at) if m is not None]
            assert moments == sorted(moments)
            assert c.accept_due_at > c.created_at
            if c.accepted_at:
                assert c.resolve_due_at > c.accepted_at
                assert {"accepted", "assigned"} <= {e.action for e in events}
            if c.answered_at:
                assert "answered" in {e.action for e in events}
            if c.status == Status.CLOSED.value:
                assert own[-1].action == "closed"
            if c.kind == "to_cao" and c.accepted_at:
                assert c.redacted_title
        actors = set(db.session.scalars(select(CaseEvent.actor)))
        assert {"resident", "system"} <= actors and any(a.startswith("user:") for a in actors)


def forget_demo_data():
    db.session.execute(update(Complaint).values(merged_into_id=None))
    for model in (CaseEvent, inspection_complaint, inspection_member, Finding, InspectionCase, Rating,
                  ExtensionRequest, OutboxMessage, PublicVersion, Complaint, Filer):
        db.session.execute(delete(model))
    db.session.commit()


def snapshot():
    return [(c.code, c.kind, c.title, c.description) for c in all_complaints()]


# A month of complaints is enough to compare two runs, and quicker: each run rebuilds the figures of every day
# of its span.
def test_same_seed_gives_the_same_complaints(app, runner):
    generate(runner, n=120, seed=7, days=30)
    with app.app_context():
        first = snapshot()
        forget_demo_data()
    generate(runner, n=120, seed=7, days=30)
    with app.app_context():
        assert snapshot() == first
        forget_demo_data()
    generate(runner, n=120, seed=8, days=30)
    with app.app_context():
        assert {row[0] for row in snapshot()}.isdisjoint(row[0] for row in first)


def test_codes_stay_unique_when_run_again(app, runner):
    generate(runner, n=50, seed=3, days=30)
    generate(runner, n=50, seed=3, days=30)
    with app.app_context():
        codes = [c.code for c in all_complaints()]
        assert len(codes) == len(set(codes)) == 100
