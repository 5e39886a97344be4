"""Demo data: `flask --app portal demo generate N` writes N lifelike complaints spread over the past year.

Why: search, similar complaints and the repeated-problem patterns only show what they are worth on a large data set
that looks like Hanoi's: mostly phản ánh about delays, a handful of officials and procedures that keep coming back
(spelled in several ways), wards far busier than others, re-submissions of the same complaint, agencies that answer
late or leave residents dissatisfied. Nothing here is real: names, phone numbers, dossier codes and decisions are
drawn at random; emails use example.com/.net/.org so that no demo case ever mails a real person.

How: everything is decided in Python first (deterministic for a given --seed), then written with SQLAlchemy Core
inserts in batches. Core inserts skip the ORM session hook that queues one search-index outbox row per complaint, so
afterwards the index is rebuilt in one go with `flask --app portal search reindex`. Each complaint gets its main
history events with a valid hash chain, so `flask audit verify` passes. The handling steps need staff users
(intake, officers and a head per agency): disabled accounts `demo.*@demo.invalid` are created for them.
"""
import random
import re
import time
import zlib
from bisect import bisect
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from types import SimpleNamespace

import click
from flask import Blueprint
from sqlalchemy import bindparam, insert, select, text, update

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.cases.leadership import impartial_agency
from portal.cases.models import APPROVED, PENDING, REFUSED, ExtensionRequest, Rating
from portal.cases.ratings import RATING_WINDOW
from portal.cases.redaction import redact
from portal.complaints.codes import new_code, new_reference
from portal.complaints.models import Complaint, Filer, current_deadline
from portal.demo.inspections import generate_inspections
from portal.demo.vocabulary import (
    ABOUT_OFFICE,
    ABOUT_PROCEDURE,
    ABSENCES,
    AMOUNTS_LARGE,
    AMOUNTS_SMALL,
    ANONYMOUS_SHARE,
    ANSWERS,
    ASPECT_BIAS,
    ASSIGNED_SHARE,
    ASSIGNMENT_TASKS,
    ATTITUDES,
    BUSINESS_SHARE,
    CAST_SIZE,
    CATEGORY_WEIGHTS,
    CLOSINGS,
    COMPANY_FORMS,
    COMPANY_NAMES,
    COMPANY_TRADES,
    COMPLEX_SHARE,
    CONSEQUENCES,
    CORRECTED_ROUTING_SHARE,
    DECISIONS,
    DEPARTMENT_JOBS,
    DEPARTMENT_OFFICES,
    DOCUMENTS,
    DOSSIER_MENTIONS,
    EMAIL_DOMAINS,
    EMAIL_SHARE,
    EXTENSION_REASONS,
    EXTENSION_SHARE,
    FIRST_OFFICIAL,
    GENERIC_ISSUES,
    GIVEN,
    GREETING,
    HONORIFIC,
    HOT_OFFICIALS,
    HOUR_WEIGHTS,
    IDENTITY,
    IMPACTS,
    INTRODUCTION,
    ISSUES,
    KIND_TITLES,
    KIND_WEIGHTS,
    LARGE_STAKES,
    LATE_ACCEPT_SHARE,
    LATE_PENALTY,
    LATE_SHARE,
    LEADER_JOB,
    LOCAL_JOBS,
    MEAN_SCORE,
    MIDDLE,
    MOBILE_PREFIXES,
    NAMES_OFFICIAL,
    OFFICERS_PER_AGENCY,
    OTHER_CATEGORY_WEIGHTS,
    PRETEXTS,
    PROBLEM_SENTENCES,
    PROBLEM_WEIGHTS,
    PROCEDURES,
    PROPOSALS,
    PUBLICATION_DECLINED,
    RATED_SHARE,
    RATING_COMMENTS,
    REJECT_SHARE,
    REJECTION_NOTE,
    REJECTIONS,
    RELATIVES,
    REPEAT_OPENINGS,
    REPEAT_SHARE,
    REPEAT_TITLE_PREFIXES,
    REQUESTS,
    REWORDINGS,
    SATISFACTION_SPREAD,
    SOMEONE,
    STREETS,
    STUCK_SHARE,
    SURNAMES,
    TIMES,
    TITLES,
    VILLAGES,
    VIOLATIONS,
    WAITING_FOR,
    WARD_OFFICES,
    WRONG_ACTS,
)
from portal.directory.models import Category, KindClock, ProblemType, Ward
from portal.directory.routing import route
from portal.domain.calendar import ClockUnit
from portal.domain.deadlines import work_calendar
from portal.domain.enums import Kind, Status
from portal.domain.text import fold, procedure_key
from portal.extensions import db
from portal.figures.upkeep import rebuild_figures
from portal.history import GENESIS, CaseEvent
from portal.patterns.officials import canonical_official
from portal.publication import rule as publication
from portal.publication.models import PublicVersion
from portal.publication.review import public_redaction
from portal.timeutil import HANOI, utcnow

demo_cli = Blueprint("demo", __name__, cli_group="demo")

BATCH = 2000
REPEAT_WINDOW = timedelta(days=60)  # a resident re-submits a complaint within two months

# ---------------------------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------------------------

@demo_cli.cli.command("generate")
@click.argument("n", type=click.IntRange(min=1))
@click.option("--seed", default=2026, show_default=True, help="Same seed, same data (relative to today).")
@click.option("--days", default=365, show_default=True, type=click.IntRange(min=1),
              help="Spread the complaints over this many past days.")
def generate(n, seed, days):
    """Write N realistic demo complaints (filers, history, extensions, ratings) over the past DAYS days."""
    started = time.perf_counter()
    generator = Generator(seed, days)
    click.echo(f"Generating {n:,} complaints over {days} days (seed {seed})...")
    done = 0
    for batch in generator.batches(n):
        generator.writer.write(batch)
        done += len(batch)
        elapsed = time.perf_counter() - started
        if done == n or done % (BATCH * 5) == 0 or n <= BATCH * 5:
            click.echo(f"  {done:>9,} / {n:,}  ({done / elapsed:,.0f} complaints/s)")
    rebuild_figures()  # Core inserts bypass the hooks that queue the figures' days
    inspections = generate_inspections(seed, n)
    elapsed = time.perf_counter() - started
    stats = generator.writer.counts
    click.echo(f"Done: {n:,} complaints in {elapsed:.1f} s ({n / elapsed:,.0f}/s); {stats['events']:,} events, "
               f"{stats['filers']:,} filers, {stats['ratings']:,} ratings, {stats['extensions']:,} extension requests, "
               f"{inspections:,} inspections.")
    click.echo("The search indexes do not know them yet: run `flask --app portal search reindex`.")


# ---------------------------------------------------------------------------------------------------------------
# The directory, routing and deadlines, read once and cached
# ---------------------------------------------------------------------------------------------------------------

class Directory:
    """Categories, problem types, wards and agencies as loaded, with routing cached per combination."""

    def __init__(self):
        self.categories = db.session.scalars(select(Category).where(Category.active).order_by(Category.id)).all()
        self.problem_types = db.session.scalars(select(ProblemType).where(ProblemType.active)
                                                .order_by(ProblemType.id)).all()
        self.wards = db.session.scalars(select(Ward).order_by(Ward.id)).all()
        if not (self.categories and self.problem_types and self.wards):
            raise click.ClickException("the directory is empty: run `flask --app portal directory load` first")
        self.problem_by_code = {p.code: p for p in self.problem_types}
        self._routes, self._impartial = {}, {}

    def route(self, category, problem_type, ward):
        """(agency, rule id) for the combination; route() runs once per combination."""
        key = (category.id, problem_type.id, ward.id if ward else None)
        if key not in self._routes:
            agency, rule = route(category, problem_type, ward)
            self._routes[key] = (agency, rule.id)
        return self._routes[key]

    def impartial(self, agency, official_name, official_position, concerned_agency_id):
        """The agency with no conflict of interest for the named official (cached per official and agency)."""
        key = (agency.id, official_name, official_position, concerned_agency_id)
        if key not in self._impartial:
            stand_in = SimpleNamespace(official_name=official_name, official_position=official_position,
                                       concerned_agency_id=concerned_agency_id)
            self._impartial[key] = impartial_agency(stand_in, agency)
        return self._impartial[key]

    def service_agency(self, category, ward):
        """Where residents do the paperwork of a category: the ward committee or the department."""
        return self.route(category, self.problem_by_code.get("delay", self.problem_types[0]), ward)[0]


class Deadlines:
    """The kinds' legal clocks on the working calendar. Day-based limits depend only on the local date, so they
    are cached per (date, limit); working-hour limits are computed each time."""

    def __init__(self):
        self.calendar = work_calendar()
        self.clocks = {c.kind: c for c in db.session.scalars(select(KindClock))}
        missing = {k.value for k in Kind} - set(self.clocks)
        if missing:
            raise click.ClickException(f"no legal clock for {', '.join(sorted(missing))}: run `directory load`")
        self._cache = {}

    def _due(self, start, amount, unit):
        if ClockUnit(unit) is ClockUnit.WORKING_HOURS:
            return self.calendar.deadline(start, amount, unit)
        key = (start.astimezone(HANOI).date(), amount, unit)
        if key not in self._cache:
            self._cache[key] = self.calendar.deadline(start, amount, unit)
        return self._cache[key]

    def accept(self, kind, start):
        clock = self.clocks[kind]
        return self._due(start, clock.accept_amount, clock.accept_unit)

    def resolve(self, kind, start, complex_case=False):
        clock = self.clocks[kind]
        if complex_case and clock.resolve_complex_amount:
            return self._due(start, clock.resolve_complex_amount, clock.resolve_complex_unit)
        return self._due(start, clock.resolve_amount, clock.resolve_unit)

    def extend(self, kind, due):
        clock = self.clocks[kind]
        return self._due(due, clock.extension_amount, clock.extension_unit)

    def max_extensions(self, kind):
        return self.clocks[kind].max_extensions


# ---------------------------------------------------------------------------------------------------------------
# People: the recurring officials and the residents who file
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Official:
    name: str
    position: str
    honorific: str  # ông or bà
    category: object
    ward: object  # the ward the official works in (None: a city department)
    unit: object  # the official's own agency
    variants: list = field(default_factory=list)  # other spellings residents use

    def spelled(self, rng):
        return rng.choice(self.variants) if self.variants and rng.random() < 0.3 else self.name


def person_name(rng, gender=None):
    gender = gender or rng.choice("mf")
    surname = rng.choices(list(SURNAMES), weights=list(SURNAMES.values()))[0]
    return f"{surname} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}", gender


def spellings(name):
    """How residents type an official's name: without accents, in lower or upper case, given name first."""
    words = name.split()
    bare = " ".join(w.capitalize() for w in fold(name).split())
    return [bare, name.lower(), name.upper(), " ".join(words[-1:] + words[:-1]), fold(name)]


def lower_first(text):
    return text[:1].lower() + text[1:] if text else text


class Cast:
    """~60 officials who keep being named; the first few several times more often than the rest."""

    def __init__(self, rng, directory, ward_picker, category_picker):
        self.officials = [self._official(rng, directory, ward_picker, category_picker, rank)
                          for rank in range(CAST_SIZE)]
        weights = [HOT_OFFICIALS[rank] if rank < len(HOT_OFFICIALS) else 1 for rank in range(CAST_SIZE)]
        self.cumulative = list(accumulate(weights))

    @staticmethod
    def _official(rng, directory, ward_picker, category_picker, rank):
        local = [c for c in directory.categories if c.code in LOCAL_JOBS]
        category = rng.choice(local) if local and rng.random() < 0.7 else category_picker(rng)
        (name, gender), ward = person_name(rng), ward_picker(rng)
        if rank == 0:  # the usual suspect of the examples, when the directory has his ward
            category = next((c for c in directory.categories if c.code == FIRST_OFFICIAL[2]), category)
            ward = next((w for w in directory.wards if w.name_vi == FIRST_OFFICIAL[3]), ward)
            name, gender = FIRST_OFFICIAL[:2]
        unit = directory.service_agency(category, ward)
        if unit.ward_id is not None:  # a ward official
            job = LEADER_JOB if rank % 15 == 7 else LOCAL_JOBS.get(category.code, "cán bộ")
            position = f"{job} {lower_first(ward.name_vi)}" if job != LEADER_JOB else f"{job} {ward.name_vi}"
        else:
            ward, position = None, f"{rng.choice(DEPARTMENT_JOBS)} {unit.name_vi}"
        variants = spellings(name) if rank < len(HOT_OFFICIALS) + 3 else []
        return Official(name, position, HONORIFIC[gender], category, ward, unit, variants)

    def pick(self, rng):
        return self.officials[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def phone_number(rng):
    return f"+84{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10 ** 7):07d}"


def email_for(rng, name):
    words = fold(name).split()
    local = rng.choice([f"{words[-1]}.{words[0]}", f"{words[-1]}{words[0]}", "".join(w[0] for w in words[:-1])
                        + words[-1]])
    return f"{local}{rng.randrange(1, 1000)}@{rng.choice(EMAIL_DOMAINS)}"


class Places:
    """Streets of each ward (villages for a commune) and addresses on them."""

    def __init__(self, rng, wards):
        self.streets = {w.id: (rng.sample(STREETS, 3) if w.kind == "ward" else rng.sample(VILLAGES, 3)) for w in wards}
        self.kinds = {w.id: w.kind for w in wards}

    def place(self, rng, ward):
        if ward is None:
            return f"phố {rng.choice(STREETS)}"
        street = rng.choice(self.streets[ward.id])
        where = f"phố {street}" if self.kinds[ward.id] == "ward" else f"thôn {street}"
        return f"{where}, {lower_first(ward.name_vi)}"

    def address(self, rng, ward):
        if ward is not None and self.kinds[ward.id] != "ward":
            return f"Xóm {rng.randrange(1, 12)}, thôn {rng.choice(self.streets[ward.id])}, {lower_first(ward.name_vi)}"
        street = rng.choice(self.streets[ward.id]) if ward else rng.choice(STREETS)
        house = rng.randrange(1, 200)
        form = rng.random()
        if form < 0.5:
            line = f"Số {house} ngõ {rng.randrange(2, 300)} phố {street}"
        elif form < 0.8:
            line = f"Số {house} phố {street}"
        else:
            flat, tower = f"{rng.randrange(1, 25)}{rng.randrange(1, 20):02d}", f"{rng.choice('ABCDE')}{house % 9 + 1}"
            line = f"Phòng {flat}, tòa {tower}, khu đô thị {street}"
        return f"{line}, {lower_first(ward.name_vi)}" if ward else f"{line}, Hà Nội"


def make_filer(rng, places, kind, ward):
    """A resident or a business, as the filing form stores them (None for an anonymous phản ánh)."""
    if kind == Kind.PHAN_ANH.value and rng.random() < ANONYMOUS_SHARE:
        return None
    name, _gender = person_name(rng)
    home = ward if rng.random() < 0.8 else None  # most residents complain about their own ward
    filer = {"filer_type": "individual", "full_name": name, "organisation": "", "tax_code": "",
             "phone": phone_number(rng), "email": "", "address": places.address(rng, home),
             "contact_preference": "phone"}
    if kind != Kind.TO_CAO.value and rng.random() < BUSINESS_SHARE:
        company = f"{rng.choice(COMPANY_FORMS)} {rng.choice(COMPANY_TRADES)} {rng.choice(COMPANY_NAMES)}"
        filer.update(filer_type="business", organisation=company, tax_code=f"01{rng.randrange(10 ** 8):08d}",
                     email=f"lienhe{rng.randrange(1, 1000)}@{rng.choice(EMAIL_DOMAINS)}")
    elif rng.random() < EMAIL_SHARE:
        filer["email"] = email_for(rng, name)
    if filer["email"] and rng.random() < 0.7:
        filer["contact_preference"] = "email"
    return filer


# ---------------------------------------------------------------------------------------------------------------
# What a complaint says
# ---------------------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Planned:
    """One complaint as decided before it is written."""

    index: int
    code: str
    created_at: datetime
    kind: str
    category: object
    problem_type: object
    ward: object
    reference: str = ""
    official: str = ""
    position: str = ""
    honorific: str = ""
    concerned_agency_id: int | None = None
    procedure: str = ""
    dossier: str = ""
    title: str = ""
    description: str = ""
    redacted_description: str | None = None
    filer: dict | None = None
    original: object = None  # the complaint this one re-submits
    filer_from: object = None  # a re-submission keeps its filer
    life: object = None
    id: int | None = None
    filer_id: int | None = None


def fmt_day(moment):
    return moment.astimezone(HANOI).strftime("%d/%m/%Y")


def overdue_phrase(days):
    if days < 14:
        return f"đã quá hạn {days} ngày"
    if days < 35:
        return f"đã quá hạn {days // 7} tuần"
    return f"đã quá hạn hơn {days // 30} tháng"


def details(rng, plan, office, mention, places):
    """The values the templates are filled with. `office` is (where the paperwork is done, its agency's name)."""
    office_name, agency_name = office
    ward_name = lower_first(plan.ward.name_vi) if plan.ward else "Hà Nội"
    filed_on = plan.created_at - timedelta(days=rng.randrange(20, 120))
    due_on = filed_on + timedelta(days=rng.randrange(10, 20))
    issue = rng.choice(ISSUES.get(plan.category.code, GENERIC_ISSUES))
    values = {
        "procedure": plan.procedure or f"lĩnh vực {plan.category.name_vi.lower()}", "office": office_name,
        "office_short": agency_name, "agency": agency_name, "ward": ward_name, "filed_on": fmt_day(filed_on),
        "due_on": fmt_day(due_on), "overdue": overdue_phrase((plan.created_at - due_on).days),
        "seen_on": fmt_day(plan.created_at - timedelta(days=rng.randrange(1, 20))),
        "dossier": plan.dossier,
        "dossier_part": rng.choice(DOSSIER_MENTIONS).format(plan.dossier) if plan.dossier else "",
        "times": rng.choice(TIMES), "weeks": rng.randrange(2, 9), "age": rng.randrange(62, 91),
        "legal_days": rng.choice([3, 5, 7, 10, 15, 20]),
        "fee": f"{rng.randrange(1, 40) * 50_000:,} đồng".replace(",", "."),
        "hour": f"{rng.randrange(7, 11)} giờ{rng.choice(['', ' 15', ' 30', ' 45'])}",
        "waiting_for": rng.choice(WAITING_FOR), "consequence": rng.choice(CONSEQUENCES),
        "someone": mention or rng.choice(SOMEONE), "official": mention or "cán bộ thụ lý hồ sơ",
        "document": rng.choice(DOCUMENTS), "pretext": rng.choice(PRETEXTS),
        "amount": rng.choice(AMOUNTS_LARGE if plan.category.code in LARGE_STAKES else AMOUNTS_SMALL),
        "wrong_act": rng.choice(WRONG_ACTS),
        "attitude": rng.choice(ATTITUDES[:3]), "other_attitude": rng.choice(ATTITUDES[3:]),
        "absence": rng.choice(ABSENCES),
        "matter": f"thủ tục {plan.procedure}" if plan.procedure else "tiến độ giải quyết hồ sơ",
        "issue": issue, "Issue": issue[:1].upper() + issue[1:], "place": places.place(rng, plan.ward),
        "impact": rng.choice(IMPACTS), "violation": VIOLATIONS.get(plan.problem_type.code, "vi phạm quy định"),
        "grassroots": "trưởng thôn" if plan.ward is not None and plan.ward.kind != "ward" else "tổ dân phố",
    }
    values["relative"] = fill(rng, rng.choice(RELATIVES), values)
    values["proposal"] = rng.choice(PROPOSALS).format(**values)
    values["decision"] = rng.choice(DECISIONS).format(n=rng.randrange(10, 3000), day=values["filed_on"], **values)
    values["decision_short"] = values["decision"].split(" ngày ")[0]
    return values


ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")


def fill(rng, template, values):
    """Pick one of each "[a|b]" and fill in the "{details}"."""
    return ALTERNATIVES.sub(lambda match: rng.choice(match.group(1).split("|")), template).format_map(values)


def write_text(rng, plan, values, filer):
    """Title, description and (for a tố cáo) the description without the denouncer's identity."""
    code = plan.problem_type.code if plan.problem_type.code in TITLES else "other"
    kind_titles = KIND_TITLES.get(plan.kind)
    template = rng.choice(kind_titles) if kind_titles and rng.random() < 0.6 else rng.choice(TITLES[code])
    if "{dossier}" in template and not plan.dossier:
        template = TITLES[code][0]
    title = fill(rng, template, values)
    openings, further = PROBLEM_SENTENCES[code]
    chosen = sorted(rng.sample(range(len(further)), rng.randint(2, min(4, len(further)))))
    body = [fill(rng, rng.choice(openings), values), *(fill(rng, further[i], values) for i in chosen),
            fill(rng, rng.choice(REQUESTS[plan.kind]), values)]
    if rng.random() < 0.4:
        body.append(rng.choice(CLOSINGS))
    greeting = [fill(rng, GREETING, values)] if rng.random() < 0.35 else []
    if plan.kind == Kind.TO_CAO.value and filer:
        identity = IDENTITY.format(filer_name=filer["full_name"], filer_address=filer["address"],
                                   filer_phone=filer["phone"])
        return title[:1].upper() + title[1:200], " ".join([*greeting, identity, *body]), " ".join([*greeting, *body])
    if filer and rng.random() < 0.3:
        greeting.append(fill(rng, INTRODUCTION, {"filer_name": filer["full_name"], "filer_address": filer["address"]}))
    return title[:1].upper() + title[1:200], " ".join([*greeting, *body]), None


def reworded(rng, plan, original):
    """A re-submission: the same complaint, a new opening sentence and a word or two changed."""
    plan.kind, plan.category, plan.problem_type, plan.ward = (original.kind, original.category,
                                                              original.problem_type, original.ward)
    plan.official, plan.position, plan.concerned_agency_id = (original.official, original.position,
                                                              original.concerned_agency_id)
    plan.procedure, plan.dossier, plan.filer_from = original.procedure, original.dossier, original
    plan.title = (rng.choice(REPEAT_TITLE_PREFIXES) + original.title)[:200]
    opening, (before, after) = rng.choice(REPEAT_OPENINGS), rng.choice(REWORDINGS)
    plan.description = f"{opening} {original.description.replace(before, after, 1)}"
    if original.redacted_description is not None:
        plan.redacted_description = f"{opening} {original.redacted_description.replace(before, after, 1)}"


def _as_intake_redacts(plan, text):
    """What intake leaves of a tố cáo's text for the agency: the filer's sentence is already left out, and the
    portal's own redaction takes what else points to the filer (the dossier code), as on the accept form."""
    return redact(text, None, plan.official, plan.dossier)


# ---------------------------------------------------------------------------------------------------------------
# The life of a case: what happened to it between filing and now
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Life:
    status: str = Status.RECEIVED.value
    agency: object = None
    suggested: object = None
    rule_id: int | None = None
    routing_kept: bool | None = None
    assignee: str | None = None  # "user:<id>" of the named officer
    assignee_task: str = ""
    accepted_at: datetime | None = None
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    accept_due_at: datetime | None = None
    resolve_due_at: datetime | None = None
    accept_escalated_at: datetime | None = None
    resolve_escalated_at: datetime | None = None
    complex_case: bool = False
    extensions_used: int = 0
    rejection_reason: str = ""
    merged: bool = False
    events: list = field(default_factory=list)  # (at, actor, action, public, note, data)
    extensions: list = field(default_factory=list)
    rating: dict | None = None
    publication_review: str | None = None  # a consented answer's review (publication.rule)
    publication_queued_at: datetime | None = None
    public_version_at: datetime | None = None  # when its public version was approved

    def add(self, at, actor, action, public=False, note="", data=None):
        self.events.append((at, actor, action, public, note, data or {}))

    @property
    def updated_at(self):
        return max(event[0] for event in self.events)


def between(rng, start, end):
    """A moment between two instants, to the second."""
    seconds = max(1, int((end - start).total_seconds()))
    return start + timedelta(seconds=rng.randrange(1, seconds + 1))


def hours(rng, low, high):
    """A duration of `low` to `high` hours, to the second."""
    return timedelta(seconds=rng.randrange(int(low * 3600), int(high * 3600)))


def worker_delay(rng):
    return timedelta(minutes=rng.randrange(1, 10))


class Lives:
    """Decides each case's course from its age; agencies differ in lateness and residents' satisfaction."""

    def __init__(self, seed, now, deadlines, staff):
        self.seed, self.now, self.deadlines, self.staff = seed, now, deadlines, staff
        self._traits = {}
        # Who is named for a case is drawn apart, so that naming officers leaves every other draw as it was.
        self.naming = random.Random(f"{seed}:naming")

    def traits(self, agency):
        """(share answered late, satisfaction offset) of an agency, the same for every run with this seed."""
        if agency.id not in self._traits:
            rng = random.Random(f"{self.seed}:agency:{agency.code}")
            self._traits[agency.id] = (rng.uniform(*LATE_SHARE), rng.gauss(0, SATISFACTION_SPREAD))
        return self._traits[agency.id]

    def live(self, rng, plan, suggested, rule_id, alternative):
        life = Life(agency=suggested, suggested=suggested, rule_id=rule_id)
        life.accept_due_at = self.deadlines.accept(plan.kind, plan.created_at)
        life.resolve_due_at = self.deadlines.resolve(plan.kind, plan.created_at)
        life.add(plan.created_at, "resident", "filed", True,
                 data={"agency": suggested.code, "rule": rule_id, "attachments": 0})
        intake_at = self._intake_time(rng, plan, life)
        if intake_at is None:
            return life
        if self._merged_or_rejected(rng, plan, life, intake_at):
            return life
        self._accept(rng, plan, life, intake_at, alternative)
        answered_at = self._handle(rng, plan, life)
        if answered_at is not None:
            self._after_answer(rng, life, answered_at)
            self._review(plan, life)
        return life

    def _review(self, plan, life):
        """Intake reviews a consented answer for publication within two days: it approves the machine's version,
        now and then declines it, and a recent one still waits. Chosen by the tracking code, not drawn, so that
        every other draw of a seed stays as it was."""
        if not (_agrees_to_publish(plan) and life.status in publication.SHOWN_STATUSES):
            return
        chosen = zlib.crc32(f"review:{plan.code}".encode())
        at = life.answered_at + timedelta(hours=2 + chosen % 46, minutes=chosen % 60)
        if at > self.now:
            life.publication_review, life.publication_queued_at = publication.WAITING, life.answered_at
        elif chosen % 10 == 0:
            life.publication_review = publication.DECLINED
            life.add(at, self.staff.intake, "publication_declined", note=PUBLICATION_DECLINED)
        else:
            life.publication_review, life.public_version_at = publication.APPROVED, at
            life.add(at, self.staff.intake, "publication_approved")

    def _escalate(self, rng, life, which, due, until):
        """The deadline watch escalates an open case a few minutes after its deadline passed."""
        at = due + worker_delay(rng)
        if at >= min(until, self.now):
            return
        setattr(life, f"{which}_escalated_at", at)
        life.add(at, "system", "escalated",
                 data={"deadline": which, "due": due.isoformat(), "agency": life.agency.code})

    def _intake_time(self, rng, plan, life):
        due = life.accept_due_at
        if rng.random() < LATE_ACCEPT_SHARE:
            at = due + hours(rng, 1, 24 * 6)
        else:
            at = between(rng, plan.created_at + timedelta(minutes=5), due)
        self._escalate(rng, life, "accept", due, at)
        return at if at <= self.now else None

    def _merged_or_rejected(self, rng, plan, life, at):
        original = plan.original
        intake = self.staff.intake
        if original is not None:
            still_open = original.life.closed_at is None or original.life.closed_at > at
            if still_open and original.life.status != Status.RECEIVED.value and rng.random() < 0.75:
                life.status, life.closed_at, life.merged = Status.MERGED.value, at, True
                life.add(at, intake, "merged", True, data={"into": original.code})
                return True
            if rng.random() < 0.4:
                return self._reject(life, at, "duplicate" if still_open else "already_resolved")
        if rng.random() < REJECT_SHARE:
            return self._reject(life, at, rng.choices(list(REJECTIONS), weights=list(REJECTIONS.values()))[0])
        return False

    def _reject(self, life, at, reason):
        life.status, life.closed_at, life.rejection_reason = Status.REJECTED.value, at, reason
        life.add(at, self.staff.intake, "rejected", True, note=REJECTION_NOTE if reason == "other" else "",
                 data={"reason": reason})
        return True

    def _accept(self, rng, plan, life, at, alternative):
        life.complex_case = plan.kind == Kind.KHIEU_NAI.value and rng.random() < COMPLEX_SHARE
        if alternative is not None and alternative.id != life.suggested.id and rng.random() < CORRECTED_ROUTING_SHARE:
            life.agency = alternative
        life.routing_kept = life.agency.id == life.suggested.id
        life.status, life.accepted_at = Status.ASSIGNED.value, at
        life.resolve_due_at = self.deadlines.resolve(plan.kind, at, life.complex_case)
        life.add(at, self.staff.intake, "accepted", True, data={"changes": {}})
        life.add(at, self.staff.intake, "assigned", True,
                 data={"agency": life.agency.code, "suggested": life.suggested.code, "kept": life.routing_kept})
        naming = self.naming
        named_at = at + timedelta(minutes=naming.randint(5, 55))
        if naming.random() < ASSIGNED_SHARE and named_at <= self.now:
            life.assignee = naming.choice(self.staff.officers(life.agency))
            life.assignee_task = naming.choice(ASSIGNMENT_TASKS)
            life.add(named_at, self.staff.head(life.agency), "officer_assigned",
                     data={"officer": _user_id(life.assignee), "from": None, "task": life.assignee_task,
                           "public": False})

    def _handler(self, life):
        """Who handles the case: its named officer, or the agency's first officer."""
        return life.assignee or self.staff.officers(life.agency)[0]

    def _handle(self, rng, plan, life):
        """Extensions, then the answer (or none yet); returns when the case was answered."""
        late_share, _ = self.traits(life.agency)
        busy_until, pending = self._extensions(rng, plan, life)
        due = life.resolve_due_at
        if pending or rng.random() < STUCK_SHARE:
            answered_at = max(due, self.now) + hours(rng, 24 * 30, 24 * 400)
        elif rng.random() < late_share:
            answered_at = due + hours(rng, 2, 24 * 30)
        else:
            answered_at = between(rng, busy_until + timedelta(hours=1), due)
        self._escalate(rng, life, "resolve", due, answered_at)
        if answered_at > self.now:
            if rng.random() < 0.6:
                started = between(rng, life.accepted_at, min(self.now, life.accepted_at + timedelta(days=3)))
                life.status = Status.IN_PROGRESS.value
                life.add(started, self._handler(life), "in_progress", True)
            return None
        self._answer(rng, life, answered_at)
        return answered_at

    def _extensions(self, rng, plan, life):
        """Up to the kind's limit of extension requests, decided before the deadline runs out.
        Returns (when the last one was decided, whether one still waits for the head)."""
        busy_until = life.accepted_at
        if rng.random() >= EXTENSION_SHARE[plan.kind]:
            return busy_until, False
        officer, head = self._handler(life), self.staff.head(life.agency)
        for _ in range(self.deadlines.max_extensions(plan.kind)):
            due = life.resolve_due_at
            requested = busy_until + (due - busy_until) * rng.uniform(0.5, 0.9)
            requested = requested.replace(microsecond=0)
            if requested > self.now:
                break
            reason = rng.choice(EXTENSION_REASONS)
            life.add(requested, officer, "extension_requested", note=reason)
            request = {"requested": requested, "reason": reason, "officer": officer, "head": head, "status": PENDING,
                       "decided": None}
            life.extensions.append(request)
            decided = (requested + min(hours(rng, 1, 48), (due - requested) * 0.9)).replace(microsecond=0)
            if decided > self.now:
                return busy_until, True
            request["decided"] = busy_until = decided
            if rng.random() < 0.15:
                request["status"] = REFUSED
                life.add(decided, head, "extension_refused", note="Chưa đủ căn cứ để gia hạn.")
                break
            request["status"] = APPROVED
            life.resolve_due_at = self.deadlines.extend(plan.kind, due)
            life.extensions_used += 1
            life.add(decided, head, "extended", True, note=reason,
                     data={"from": due.isoformat(), "to": life.resolve_due_at.isoformat()})
            if rng.random() < 0.7:
                break
        return busy_until, False

    def _answer(self, rng, life, at):
        text = rng.choice(ANSWERS).format(day=fmt_day(at), agency=life.agency.name_vi)
        life.status, life.answered_at = Status.ANSWERED.value, at
        life.add(at, self._handler(life), "answered", True, note=text,
                 data={"resolved": rng.random() < 0.7, "evidence": 0})

    def _after_answer(self, rng, life, answered_at):
        """The resident rates the answer (closing or reopening it), or the rating window closes it."""
        if rng.random() < RATED_SHARE:
            rated_at = answered_at + hours(rng, 1, RATING_WINDOW.total_seconds() / 3600 - 1)
            if rated_at <= self.now:
                self._rate(rng, life, rated_at)
                return
        self._close_unrated(rng, life, answered_at)

    def _close_unrated(self, rng, life, answered_at):
        closes = answered_at + RATING_WINDOW + worker_delay(rng)
        if closes <= self.now:
            life.status, life.closed_at = Status.CLOSED.value, closes
            life.add(closes, "system", "closed", True, data={"unrated": True})

    def _rate(self, rng, life, at):
        _, offset = self.traits(life.agency)
        late = life.resolve_escalated_at is not None
        mean = MEAN_SCORE + offset - (LATE_PENALTY if late else 0)
        scores = {a: min(5, max(1, round(rng.gauss(mean + bias, 0.9)))) for a, bias in ASPECT_BIAS.items()}
        score = sum(scores.values()) / len(scores)
        satisfied = score >= 3 and scores["result"] >= 3
        comment = rng.choice(RATING_COMMENTS[satisfied])
        life.rating = dict(scores, score=score, satisfied=satisfied, comment=comment, created_at=at)
        if satisfied:
            life.status, life.closed_at = Status.CLOSED.value, at
            life.add(at, "resident", "closed", True, data={"score": score})
            return
        life.status = Status.IN_PROGRESS.value
        life.add(at, "resident", "reopened", True, note=comment, data={"score": score})
        life.add(at, "system", "escalated", data={"deadline": "dissatisfied", "score": score,
                                                  "agency": life.agency.code})
        life.resolve_escalated_at = None
        second = at + hours(rng, 24 * 2, 24 * 15)
        if second <= self.now and rng.random() < 0.9:
            self._answer(rng, life, second)
            self._close_unrated(rng, life, second)


# ---------------------------------------------------------------------------------------------------------------
# Staff accounts the handling steps are recorded under
# ---------------------------------------------------------------------------------------------------------------

class DemoStaff:
    """Disabled demo accounts: an intake desk, and officers and a head per agency (made when first needed)."""

    def __init__(self, rng):
        self.rng = rng
        intake = self._account("demo.intake@demo.invalid", "Bộ phận tiếp nhận (dữ liệu mẫu)", Role.INTAKE, None)
        self.intake = f"user:{intake}"
        self._ids = {}

    def _account(self, email, name, role, agency):
        user = db.session.scalars(select(User).where(User.email == email)).first()
        if user is None:
            user = User(email=email, name=name, role=role.value, agency_id=agency.id if agency else None,
                        password_hash="", active=False)
            db.session.add(user)
            db.session.flush()
        return user.id

    def _team(self, agency):
        if agency.id not in self._ids:
            slug = agency.code.lower()
            # The first officer keeps the address earlier versions gave the agency's only officer.
            emails = [f"demo.officer.{slug}{f'.{n}' if n > 1 else ''}@demo.invalid"
                      for n in range(1, OFFICERS_PER_AGENCY + 1)]
            officers = tuple(f"user:{self._account(email, person_name(self.rng)[0], Role.OFFICER, agency)}"
                             for email in emails)
            head = self._account(f"demo.head.{slug}@demo.invalid", person_name(self.rng)[0], Role.AGENCY_HEAD, agency)
            self._ids[agency.id] = (officers, f"user:{head}")
        return self._ids[agency.id]

    def officers(self, agency):
        return self._team(agency)[0]

    def head(self, agency):
        return self._team(agency)[1]


# ---------------------------------------------------------------------------------------------------------------
# Planning: who files what, where and when
# ---------------------------------------------------------------------------------------------------------------

class Generator:
    """Plans complaints in the order they were filed and hands them to the writer in batches.

    Separate random streams keep the tracking codes and texts the same for a seed even when the day's date changes
    what has happened to a case since."""

    def __init__(self, seed, days):
        self.now = utcnow().replace(second=0, microsecond=0)
        self.days = days
        self.rng = random.Random(f"{seed}:content")
        self.times_rng = random.Random(f"{seed}:times")
        self.codes_rng = random.Random(f"{seed}:codes")
        self.life_rng = random.Random(f"{seed}:life")
        self.directory = Directory()
        self.deadlines = Deadlines()
        self._ward_weights(random.Random(f"{seed}:wards"))
        self.places = Places(random.Random(f"{seed}:places"), self.directory.wards)
        self.lives = Lives(seed, self.now, self.deadlines, DemoStaff(random.Random(f"{seed}:staff")))
        self.writer = Writer(self.lives.staff.intake)
        self.used_codes = set(db.session.scalars(select(Complaint.code)))
        self.used_references = set(db.session.scalars(select(Complaint.reference)))
        self.references_rng = random.Random(f"{seed}:references")
        self.recent = deque()
        categories = self.directory.categories
        weights = [CATEGORY_WEIGHTS.get(c.code, OTHER_CATEGORY_WEIGHTS) for c in categories]
        self.category_cumulative = [list(accumulate(w[0] for w in weights)), list(accumulate(w[1] for w in weights))]
        self.procedures = self._procedures()
        self.cast = Cast(random.Random(f"{seed}:cast"), self.directory, self.pick_ward, self._category)
        self.dossier_serial = 0

    def _ward_weights(self, rng):
        """Some wards are far busier than others: urban wards, and a few hot spots."""
        weights = [(3 if w.kind == "ward" else 1) * rng.lognormvariate(0, 0.75) for w in self.directory.wards]
        self.ward_cumulative = list(accumulate(weights))

    def pick_ward(self, rng):
        return self.directory.wards[bisect(self.ward_cumulative, rng.random() * self.ward_cumulative[-1])]

    def _procedures(self):
        by_category = {}
        for name, category, weight in PROCEDURES:
            by_category.setdefault(category, ([], []))
            by_category[category][0].append(name)
            by_category[category][1].append(weight)
        return by_category

    # -- timing

    def filing_times(self, n):
        """N filing instants over the past days, sorted: more on weekdays and office hours, growing over the year."""
        rng = self.times_rng
        today = self.now.astimezone(HANOI).date()
        day_weights = []
        for back in range(self.days):
            day = today - timedelta(days=back)
            trend = 1.3 - 0.6 * back / self.days
            day_weights.append(trend * (0.45 if day.weekday() >= 5 else 1))
        days_cumulative, hours_cumulative = list(accumulate(day_weights)), list(accumulate(HOUR_WEIGHTS))
        times = []
        while len(times) < n:
            back = bisect(days_cumulative, rng.random() * days_cumulative[-1])
            hour = bisect(hours_cumulative, rng.random() * hours_cumulative[-1])
            day = today - timedelta(days=back)
            local = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=HANOI)
            moment = local.astimezone(UTC)
            if moment < self.now - timedelta(minutes=10):
                times.append(moment)
        times.sort()
        return times

    def new_code(self, created_at):
        """A tracking code drawn from the seeded stream, never one used before."""
        year = created_at.astimezone(HANOI).year
        while True:
            code = new_code(year, self.codes_rng.choice)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def new_reference(self, created_at):
        """A staff reference drawn from its own seeded stream (never from the tracking code's), never reused."""
        year = created_at.astimezone(HANOI).year
        while True:
            reference = new_reference(year, self.references_rng.choice)
            if reference not in self.used_references:
                self.used_references.add(reference)
                return reference

    # -- planning

    def batches(self, n):
        batch = []
        for index, created_at in enumerate(self.filing_times(n)):
            batch.append(self.plan(index, created_at))
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def plan(self, index, created_at):
        rng = self.rng
        plan = Planned(index=index, code=self.new_code(created_at), created_at=created_at, kind="", category=None,
                       problem_type=None, ward=None, reference=self.new_reference(created_at))
        original = self.repeat_of(created_at)
        if original is not None:
            plan.original = original
            reworded(rng, plan, original)
        else:
            self.compose(rng, plan)
        self.route_and_live(plan)
        self.recent.append(plan)
        return plan

    def repeat_of(self, created_at):
        while self.recent and self.recent[0].created_at < created_at - REPEAT_WINDOW:
            self.recent.popleft()
        if not self.recent or self.rng.random() >= REPEAT_SHARE:
            return None
        original = self.recent[self.rng.randrange(len(self.recent))]
        return original if original.original is None and original.created_at < created_at - timedelta(days=3) \
            else None

    def compose(self, rng, plan):
        """Kind, subject, place, official, procedure, text and filer of a new complaint."""
        plan.kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        plan.problem_type = rng.choice(self.directory.problem_types) if rng.random() < 0.05 else \
            self._problem_type(rng)
        official = None
        if plan.kind == Kind.TO_CAO.value or rng.random() < NAMES_OFFICIAL.get(plan.problem_type.code, 0.1):
            official = self.cast.pick(rng) if rng.random() < 0.85 else None
            self._name_official(rng, plan, official)
        if official is not None and rng.random() < 0.9:
            plan.category = official.category
            plan.ward = official.ward or self.pick_ward(rng)
        else:
            plan.category = self._category(rng, plan.problem_type.code in ABOUT_OFFICE)
            plan.ward = self.pick_ward(rng) if rng.random() < 0.95 else None
        self._procedure(rng, plan)
        office_agency = self.directory.service_agency(plan.category, plan.ward)
        office = self._office(rng, plan, office_agency), office_agency.name_vi
        mention = f"{plan.honorific} {plan.official}, {plan.position}" if plan.official else ""
        plan.filer = make_filer(rng, self.places, plan.kind, plan.ward)
        values = details(rng, plan, office, mention, self.places)
        plan.title, plan.description, plan.redacted_description = write_text(rng, plan, values, plan.filer)

    def _problem_type(self, rng):
        by_code = self.directory.problem_by_code
        codes = [c for c in PROBLEM_WEIGHTS if c in by_code]
        if not codes:
            return rng.choice(self.directory.problem_types)
        return by_code[rng.choices(codes, weights=[PROBLEM_WEIGHTS[c] for c in codes])[0]]

    def _category(self, rng, about_office=True):
        cumulative = self.category_cumulative[0 if about_office else 1]
        return self.directory.categories[bisect(cumulative, rng.random() * cumulative[-1])]

    def _name_official(self, rng, plan, official):
        if official is None:  # somebody named once
            name, gender = person_name(rng)
            plan.official, plan.honorific = name, HONORIFIC[gender]
            plan.position = rng.choice(["cán bộ tiếp nhận hồ sơ", "cán bộ thụ lý", "nhân viên"])
            return
        plan.official, plan.position, plan.honorific = official.spelled(rng), official.position, official.honorific
        plan.concerned_agency_id = official.unit.id

    def _procedure(self, rng, plan):
        share = ABOUT_PROCEDURE.get(plan.problem_type.code, 0.5)
        if plan.kind in (Kind.KIEN_NGHI.value, Kind.KHIEU_NAI.value) and share:
            share = 1.0  # a recommendation or a complaint is about a procedure
        if rng.random() >= share:
            return
        names, weights = self.procedures.get(plan.category.code, ([], []))
        if not names:
            return
        plan.procedure = rng.choices(names, weights=weights)[0]
        if plan.problem_type.code in ("delay", "wrong_procedure", "bribe_request") and rng.random() < 0.6:
            self.dossier_serial += rng.randrange(1, 40)
            plan.dossier = f"H01.{plan.created_at.astimezone(HANOI).year}.{self.dossier_serial % 1_000_000:06d}"

    @staticmethod
    def _office(rng, plan, agency):
        if agency.ward_id is not None and plan.ward is not None:
            where = lower_first(plan.ward.name_vi)
            return rng.choice(WARD_OFFICES).format(ward=where, n=rng.randrange(1, 9))
        return rng.choice(DEPARTMENT_OFFICES).format(agency=agency.name_vi, n=rng.randrange(1, 9))

    def route_and_live(self, plan):
        directory = self.directory
        agency, rule_id = directory.route(plan.category, plan.problem_type, plan.ward)
        if plan.official:
            agency = directory.impartial(agency, plan.official, plan.position, plan.concerned_agency_id)
        alternative = directory.route(plan.category, plan.problem_type, None)[0] if plan.ward else None
        plan.life = self.lives.live(self.life_rng, plan, agency, rule_id, alternative)


# ---------------------------------------------------------------------------------------------------------------
def _agrees_to_publish(plan):
    """About a third of the filers of reports and recommendations agree to publication: chosen by the tracking
    code, not drawn, so that every other draw of a seed stays as it was."""
    return Kind(plan.kind).may_be_published and zlib.crc32(plan.code.encode()) % 3 == 0


# Writing: Core inserts in batches (no ORM flush, so no per-complaint outbox row)
# ---------------------------------------------------------------------------------------------------------------

def insert_returning_ids(table, rows):
    """Insert rows with one Core executemany; return their new ids in order.

    On PostgreSQL the ids are drawn from the table's sequence first and sent with the rows: psycopg parses a large
    multi-row INSERT … RETURNING in Python, several times slower than a plain executemany."""
    if db.session.get_bind().dialect.name != "postgresql":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return db.session.execute(statement, rows).scalars().all()
    ids = sorted(db.session.scalars(text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                                         "FROM generate_series(1, :n)"), {"table": table.name, "n": len(rows)}))
    db.session.execute(insert(table), [dict(row, id=row_id) for row, row_id in zip(rows, ids, strict=True)])
    return ids


class Writer:
    """Writes a batch of planned complaints with Core executemany statements and commits it."""

    def __init__(self, intake):
        self.intake = intake  # "user:<id>" of the demo's intake desk, which approves the public versions
        self.counts = {"filers": 0, "events": 0, "ratings": 0, "extensions": 0}
        self._official_keys, self._procedure_keys = {}, {}

    def write(self, batch):
        self._filers(batch)
        self._complaints(batch)
        self._public_versions(batch)
        self._merges(batch)
        self._events(batch)
        self._extensions(batch)
        self._ratings(batch)
        db.session.commit()
        for plan in batch:  # keep what a later re-submission needs, drop the rest
            plan.life.events = plan.life.extensions = None

    def _filers(self, batch):
        new = [plan for plan in batch if plan.filer is not None and plan.filer_from is None]
        if new:
            ids = insert_returning_ids(Filer.__table__, [plan.filer for plan in new])
            for plan, filer_id in zip(new, ids, strict=True):
                plan.filer_id = filer_id
            self.counts["filers"] += len(new)
        for plan in batch:
            if plan.filer_from is not None:
                plan.filer_id = plan.filer_from.filer_id
            plan.filer = None

    def _complaints(self, batch):
        ids = insert_returning_ids(Complaint.__table__, [self._complaint_row(plan) for plan in batch])
        for plan, complaint_id in zip(batch, ids, strict=True):
            plan.id = complaint_id

    def _complaint_row(self, plan):
        row = self._stored_row(plan)
        row["publish_consent"] = _agrees_to_publish(plan)
        row["publication_review"] = plan.life.publication_review
        row["publication_queued_at"] = plan.life.publication_queued_at
        # Core inserts skip the mapper hook; nothing generated was taken off the public pages.
        row["published_at"] = publication.published_since(SimpleNamespace(publication_withdrawn_at=None, **row))
        return row

    def _public_versions(self, batch):
        """The approved public versions: the machine's redaction, as the demo's intake desk approved it."""
        approved = [plan for plan in batch if plan.life.public_version_at is not None]
        filers = {filer.id: filer for filer in db.session.scalars(select(Filer).where(
            Filer.id.in_({plan.filer_id for plan in approved if plan.filer_id})))} if approved else {}
        rows = []
        for plan in approved:
            case = SimpleNamespace(filer=filers.get(plan.filer_id), official_name=plan.official,
                                   dossier_code=plan.dossier, code=plan.code, reference=plan.reference)
            answer = [event[4] for event in sorted(plan.life.events, key=lambda e: e[0]) if event[2] == "answered"][-1]
            rows.append({"complaint_id": plan.id, "subject": public_redaction(case, plan.title),
                         "text": public_redaction(case, plan.description), "reply": public_redaction(case, answer),
                         "approved_by_id": _user_id(self.intake), "approved_at": plan.life.public_version_at})
        if rows:
            db.session.execute(insert(PublicVersion.__table__), rows)

    def _stored_row(self, plan):
        life = plan.life
        redacted = plan.kind == Kind.TO_CAO.value and life.accepted_at is not None
        return {
            "code": plan.code, "reference": plan.reference, "kind": plan.kind, "status": life.status, "locale": "vi",
            "anonymous": plan.filer_id is None, "filer_id": plan.filer_id,
            "concerned_agency_id": plan.concerned_agency_id, "agency_id": life.agency.id,
            "routing_rule_id": life.rule_id, "official_name": plan.official, "official_position": plan.position,
            "official_key": self._official_key(plan.official), "procedure_key": self._procedure_key(plan.procedure),
            "procedure_name": plan.procedure, "dossier_code": plan.dossier, "category_id": plan.category.id,
            "problem_type_id": plan.problem_type.id, "ward_id": plan.ward.id if plan.ward else None,
            "title": plan.title, "description": plan.description,
            "redacted_title": _as_intake_redacts(plan, plan.title) if redacted else None,
            "redacted_description": _as_intake_redacts(plan, plan.redacted_description) if redacted else None,
            "suggested_agency_id": life.suggested.id, "routing_kept": life.routing_kept, "merged_into_id": None,
            "assignee_id": _user_id(life.assignee) if life.assignee else None, "assignee_task": life.assignee_task,
            "assignee_public": False,
            "rejection_reason": life.rejection_reason, "complex_case": life.complex_case,
            "extensions_used": life.extensions_used, "created_at": plan.created_at, "updated_at": life.updated_at,
            "accepted_at": life.accepted_at, "answered_at": life.answered_at, "closed_at": life.closed_at,
            "accept_due_at": life.accept_due_at, "resolve_due_at": life.resolve_due_at,
            "current_due_at": current_deadline(life.status, life.accept_due_at, life.resolve_due_at),
            "accept_reminded_at": None, "resolve_reminded_at": None,
            "accept_escalated_at": life.accept_escalated_at, "resolve_escalated_at": life.resolve_escalated_at,
            "version": 1,
        }

    def _official_key(self, name):
        if not name:
            return None
        if name not in self._official_keys:
            self._official_keys[name] = canonical_official(name)
        return self._official_keys[name]

    def _procedure_key(self, name):
        if not name:
            return None
        if name not in self._procedure_keys:
            self._procedure_keys[name] = procedure_key(name) or None
        return self._procedure_keys[name]

    def _merges(self, batch):
        """Point merged re-submissions at their original (whose id may have come with this very batch)."""
        rows = [{"row_id": plan.id, "into": plan.original.id, "at": plan.life.updated_at}
                for plan in batch if plan.life.merged]
        if rows:
            table = Complaint.__table__
            db.session.execute(update(table).where(table.c.id == bindparam("row_id"))
                               .values(merged_into_id=bindparam("into"), updated_at=bindparam("at")), rows)

    def _events(self, batch):
        rows = []
        for plan in batch:
            previous = GENESIS
            ordered = sorted(plan.life.events, key=lambda event: event[0])
            for seq, (at, actor, action, public, note, data) in enumerate(ordered, start=1):
                row = {"complaint_id": plan.id, "seq": seq, "created_at": at, "actor": actor, "action": action,
                       "public": public, "note": note, "data": data, "prev_hash": previous}
                row["hash"] = previous = CaseEvent.compute_hash(SimpleNamespace(**row))
                rows.append(row)
        db.session.execute(insert(CaseEvent.__table__), rows)
        self.counts["events"] += len(rows)

    def _extensions(self, batch):
        rows = [{"complaint_id": plan.id, "requested_by_id": _user_id(ext["officer"]), "reason": ext["reason"],
                 "status": ext["status"], "decided_by_id": _user_id(ext["head"]) if ext["decided"] else None,
                 "decision_note": "", "created_at": ext["requested"], "decided_at": ext["decided"]}
                for plan in batch for ext in plan.life.extensions]
        if rows:
            db.session.execute(insert(ExtensionRequest.__table__), rows)
            self.counts["extensions"] += len(rows)

    def _ratings(self, batch):
        rows = [dict(plan.life.rating, complaint_id=plan.id) for plan in batch if plan.life.rating]
        if rows:
            db.session.execute(insert(Rating.__table__), rows)
            self.counts["ratings"] += len(rows)


def _user_id(actor):
    return int(actor.split(":", 1)[1])
