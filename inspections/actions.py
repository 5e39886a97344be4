"""How every staff action form is carried out: validate, run the one operation, commit once, go back to the page;
or show the page again with what was typed and the reason (a refusal, or somebody else's change meanwhile)."""
from flask import flash, redirect
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from portal.cases.workflow import CONFLICT, CaseError, VersionConflict
from portal.extensions import db


def carry_out(subject, form, operation, success, *, render, reload, done):
    """`render(subject, failed=, error=, status=)` shows the page again; `reload()` reads the subject afresh
    after a rollback; `done` is the page to go back to."""
    if not form.validate_on_submit():
        return render(subject, failed=form, error=_("Please check the form."), status=400)
    try:
        operation()
        db.session.commit()  # the version column makes a concurrent commit fail here rather than overwrite
    except (VersionConflict, StaleDataError):
        db.session.rollback()
        return render(reload(), failed=form, error=str(CONFLICT), status=409)
    except CaseError as refusal:
        db.session.rollback()
        return render(reload(), failed=form, error=str(refusal), status=400)
    flash(success, "success")
    return redirect(done)
