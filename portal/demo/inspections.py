"""Demo inspections: after the complaints, the officials named most often get inspection cases opened from their
complaints at past moments and taken through the real operations (portal/oversight), each step on the clock of
its day, so that the inspection pages, the commission's review and the "slow to correct" list have something to
show. A few unannounced checks of agencies are added. No email is sent for them: the demo's people are not real."""
import random
from datetime import timedelta

from sqlalchemy import delete, func, select

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.complaints.models import Complaint
from portal.directory.models import Agency
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.oversight import operations as ops
from portal.oversight.states import Recommendation
from portal.timeutil import freeze, utcnow

PER_COMPLAINTS = 250  # one inspection per this many complaints, for the officials named most
MOST = 30
CHECKS_PER_COMPLAINTS = 1000  # unannounced checks of an agency
STAGES = {"opened": 1, "investigating": 2, "findings": 1, "recommendation": 1.5, "closed": 4.5}
MEASURES = {"none": 2, "reminder": 3, "warning": 2, "criticism": 1, "discipline": 1, "reassignment": 0.5,
            "suspension": 0.3, "party_commission": 0.5, "police": 0.2}
FINDINGS = ["Đối chiếu sổ theo dõi: nhiều hồ sơ bị hẹn lại quá hạn không có lý do chính đáng.",
            "Người dân xác nhận bị yêu cầu bổ sung giấy tờ không có trong quy định.",
            "Không đủ căn cứ xác định việc gợi ý chi phí ngoài quy định.",
            "Bộ phận một cửa không niêm yết đầy đủ thủ tục, phí và lệ phí."]


def generate_inspections(seed, complaints):
    """Open and carry out the demo inspections; returns how many."""
    rng = random.Random(f"{seed}:inspections")
    inspector = _demo_inspector()
    outbox_before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    officials = db.session.execute(
        select(Complaint.official_key, func.count()).where(Complaint.official_key.is_not(None))
        .group_by(Complaint.official_key).order_by(func.count().desc(), Complaint.official_key)
        .limit(min(MOST, max(1, complaints // PER_COMPLAINTS)))).all()
    made = 0
    for key, _count in officials:
        made += _inspect_official(rng, inspector, key)
    agencies = [a for a in db.session.scalars(select(Agency).order_by(Agency.id)) if a.is_active()]
    for _ in range(min(10, complaints // CHECKS_PER_COMPLAINTS)):
        made += _unannounced_check(rng, inspector, rng.choice(agencies))
    # Nothing to send: the demo's people are not real, and the search index is rebuilt after a demo load anyway.
    db.session.commit()  # the index rows are queued as the changes commit: remove them after
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > outbox_before))
    db.session.commit()
    return made


def _demo_inspector():
    email = "demo.inspector@demo.invalid"
    user = db.session.scalars(select(User).where(User.email == email)).first()
    if user is None:
        user = User(email=email, name="Thanh tra viên (dữ liệu mẫu)", role=Role.INSPECTOR.value, password_hash="",
                    active=False)
        db.session.add(user)
        db.session.flush()
    return user


def _inspect_official(rng, inspector, key):
    complaints = db.session.scalars(select(Complaint).where(Complaint.official_key == key)
                                    .order_by(Complaint.created_at)).all()
    if len(complaints) < 2:
        return 0
    opened = complaints[len(complaints) // 2].created_at + timedelta(days=rng.randint(1, 10))
    if opened > utcnow() - timedelta(days=2):
        return 0
    first = complaints[0]
    with freeze(opened):
        inspection = ops.open_inspection(
            inspector, origin="pattern", pattern=("official", key), agency=first.concerned_agency or first.agency,
            official_name=first.official_name, official_position=first.official_position,
            party_member=rng.random() < 0.4, allegations=f"Nhiều phản ánh về cán bộ {first.official_name}: "
            "chậm giải quyết hồ sơ, gây phiền hà cho người dân.", plan="Làm việc với bộ phận một cửa, đối chiếu "
            "sổ theo dõi hồ sơ, lấy ý kiến người dân.", due_at=opened + timedelta(days=45),
            complaints=[c for c in complaints if c.updated_at < opened][:20])  # their histories end before it
    _carry_out(rng, inspector, inspection, opened)
    return 1


def _unannounced_check(rng, inspector, agency):
    opened = utcnow() - timedelta(days=rng.randint(3, 300), hours=rng.randint(0, 8))
    with freeze(opened):
        inspection = ops.open_inspection(
            inspector, origin="own", unannounced=True, agency=agency, desk="Bộ phận một cửa",
            allegations="Kiểm tra công vụ đột xuất: giờ làm việc, thái độ phục vụ, niêm yết thủ tục.",
            due_at=opened + timedelta(days=15))
    _carry_out(rng, inspector, inspection, opened)
    return 1


def _carry_out(rng, inspector, inspection, at):
    """Take the inspection as far as a random stage allows, a few days per step, never past now."""
    stage = rng.choices(list(STAGES), weights=list(STAGES.values()))[0]
    steps = list(STAGES).index(stage)
    moments = []
    for _ in range(steps):
        at += timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 6))
        moments.append(at)
    if moments and moments[-1] > utcnow():
        return
    db.session.flush()
    if steps >= 1:
        with freeze(moments[0]):
            ops.start_investigation(inspection, inspector, version=inspection.version)
            for _ in range(rng.randint(1, 3)):
                ops.add_finding(inspection, inspector, text=rng.choice(FINDINGS), substantiated=rng.random() < 0.65)
    if steps >= 2:
        with freeze(moments[1]):
            ops.establish_findings(inspection, inspector, version=inspection.version)
    if steps >= 3:
        measure = rng.choices(list(MEASURES), weights=list(MEASURES.values()))[0]
        if not any(f.substantiated for f in inspection.findings):
            measure = Recommendation.NONE.value
        with freeze(moments[2]):
            ops.recommend(inspection, inspector, version=inspection.version, recommendation=measure,
                          reason="Căn cứ kết quả xác minh và quy định về trách nhiệm công vụ.")
        _party_notice(rng, inspector, inspection, moments[2])
    if steps >= 4:
        with freeze(moments[3]):
            ops.close(inspection, inspector, version=inspection.version)
    db.session.flush()


def _party_notice(rng, inspector, inspection, at):
    due = inspection.party_notice_due_at
    if due is None:
        return
    if rng.random() < 0.7 and at + timedelta(days=2) < utcnow():
        with freeze(at + timedelta(days=2)):
            ops.record_party_notice(inspection, inspector, note="Công văn thông báo số 15/TB-TTr")
    elif due < utcnow():
        db.session.flush()
        with freeze(due + timedelta(hours=1)):
            ops.check_party_notices()
