"""Jobs the worker runs on a schedule, besides the outbox."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from portal.cases.deadline_checks import check_deadlines, send_daily_digest
from portal.cases.ratings import close_unrated_answers
from portal.complaints.attachments import discard
from portal.complaints.models import UNCLAIMED, Attachment
from portal.extensions import db
from portal.figures.upkeep import refresh_figures
from portal.outbox.worker import PeriodicJob
from portal.oversight.operations import check_party_notices
from portal.patterns.alerts import check_thresholds
from portal.patterns.clusters import refresh_clusters
from portal.patterns.officials import backfill_keys
from portal.publication.index import build_if_missing
from portal.residents.digest import send_weekly_digests
from portal.residents.sign_in import forget_old_codes
from portal.timeutil import utcnow

ABANDONED_AFTER = timedelta(days=1)


def remove_abandoned_uploads():
    """Files uploaded with a form that was never sent are personal data nobody needs: remove them after a day."""
    cutoff = utcnow() - ABANDONED_AFTER
    abandoned = db.session.scalars(select(Attachment).where(UNCLAIMED, Attachment.created_at < cutoff)).all()
    for attachment in abandoned:
        discard(attachment)  # the file goes once the row's deletion is committed
    db.session.commit()
    if abandoned:
        current_app.logger.info("removed %d abandoned upload(s)", len(abandoned))
    return len(abandoned)


def refresh_patterns():
    """Grouping keys for bulk-loaded rows, near-duplicate clusters, then the alert thresholds."""
    backfill_keys()
    refresh_clusters()
    return check_thresholds()


def scheduled_jobs():
    return [
        PeriodicJob(60, refresh_figures),
        PeriodicJob(300, check_deadlines),
        PeriodicJob(300, check_party_notices),
        PeriodicJob(300, build_if_missing),  # the public index of published answers
        PeriodicJob(600, send_daily_digest),
        PeriodicJob(3600, remove_abandoned_uploads),
        PeriodicJob(3600, close_unrated_answers),
        PeriodicJob(3600, refresh_patterns),
        PeriodicJob(3600, forget_old_codes),
        PeriodicJob(3600, send_weekly_digests),  # each account's own week: due when its last digest is 7 days old
    ]
