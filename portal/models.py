"""Every table, imported in one place so that Alembic and the app see the whole schema."""
from portal.accounts.models import User  # noqa: F401
from portal.cases.models import ExtensionRequest, Rating  # noqa: F401
from portal.complaints.models import Attachment, Complaint, Filer  # noqa: F401
from portal.directory.models import (  # noqa: F401
    Agency,
    CalendarDay,
    CannedReply,
    Category,
    KindClock,
    ProblemType,
    RoutingRule,
    Ward,
    agency_successors,
)
from portal.directory.version import DirectoryVersion  # noqa: F401
from portal.figures.models import AgencyDay, AgencyNow, FigureState, GroupDay, RoutingDay, StaleDay  # noqa: F401
from portal.history import CaseEvent  # noqa: F401
from portal.open311.keys import ApiKey  # noqa: F401
from portal.outbox.models import OutboxMessage, WorkerBeat  # noqa: F401
from portal.oversight.models import Finding, InspectionCase, RecordView  # noqa: F401
from portal.patterns.alerts import PatternAlert  # noqa: F401
from portal.patterns.clusters import TextCluster  # noqa: F401
from portal.patterns.officials import OfficialAlias  # noqa: F401
from portal.publication.models import PublicVersion  # noqa: F401
from portal.reports.models import AnswerTime, ReportDay  # noqa: F401
from portal.residents.models import ResidentAccount, ResidentSignInCode  # noqa: F401
from portal.tracking_access import OneTimeCode  # noqa: F401
