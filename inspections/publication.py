"""The reviewers' queue of answers to publish: consented answers waiting for a person, longest waiting first, each
linking to its case page where the reviewer edits the public version and approves or declines it."""
from flask import render_template, request

from inspections import bp
from inspections.case_listing import Key
from portal.accounts.permissions import requires
from portal.accounts.roles import Permission
from portal.publication.review import queue_size, waiting_page
from portal.timeutil import utcnow

PER_PAGE = 50


@bp.route("/publication")
@requires(Permission.MODERATE_PUBLICATION)
def publication_queue():
    after = Key.parse(request.args.get("after"))
    waiting = waiting_page(after, PER_PAGE + 1)
    last = waiting[PER_PAGE - 1] if len(waiting) > PER_PAGE else None
    count, oldest = queue_size()
    return render_template("inspections/publication_queue.html", waiting=waiting[:PER_PAGE], count=count,
                           oldest=oldest, now=utcnow(), first_page=after is None,
                           next_key=Key(last.publication_queued_at, last.id) if last else None)
