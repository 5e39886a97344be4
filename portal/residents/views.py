"""The residents' pages under /account/: sign in with an emailed code, then one's own complaints."""
import json
from functools import wraps

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.cases.workflow import CaseError
from portal.extensions import db, limiter
from portal.i18n import current_language
from portal.one_time_codes import CODE_MINUTES
from portal.paging import page_number, paginate
from portal.residents import sessions
from portal.residents.export import own_data
from portal.residents.forms import CodeForm, EmailForm, NotificationsForm
from portal.residents.models import account_email
from portal.residents.operations import choose_notifications, own_complaint, own_complaints, withdraw
from portal.residents.sign_in import TooManyTries, ask_for_code, email_key, sign_in_with
from portal.timeutil import utcnow
from portal.tracking import verify

bp = Blueprint("residents", __name__, url_prefix="/account")
PER_PAGE = 20
TOO_MANY = _l("There have been too many attempts to sign in with this email, so it is paused for a while to protect "
              "it. Please try again in an hour.")


def _address_limit():
    return current_app.config["RESIDENT_SIGN_IN_RATE_LIMIT"]


def resident_required(view):
    """The view gets the signed-in resident's account; anybody else is asked to sign in."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        account = sessions.current_account()
        if account is None:
            flash(_("Please sign in to see your submissions."), "info")
            return redirect(url_for(".sign_in"))
        return view(account, *args, **kwargs)
    return wrapped


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
def sign_in():
    """The same answer for every valid email: a code is on its way, the next page asks for it."""
    if request.method == "GET" and sessions.current_account() is not None:
        return redirect(url_for(".home"))
    form = EmailForm()
    if form.validate_on_submit():
        email = account_email(form.email.data)
        try:
            ask_for_code(email, current_language(), sessions.is_known_device(email_key(email)))
        except TooManyTries:
            form.email.errors = [str(TOO_MANY)]
            return render_template("residents/sign_in.html", form=form), 429
        db.session.commit()
        session[sessions.PENDING] = email
        return redirect(url_for(".enter_code"), code=303)
    return render_template("residents/sign_in.html", form=form), 400 if form.errors else 200


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
def enter_code():
    email = session.get(sessions.PENDING)
    if not email:
        flash(_("Please enter your email first: the code is sent to it."), "info")
        return redirect(url_for(".sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            account = sign_in_with(email, form.one_time_code.data, current_language(),
                                   sessions.is_known_device(email_key(email)))
        except TooManyTries:
            form.one_time_code.errors = [str(TOO_MANY)]
            return _code_page(form, 429)
        db.session.commit()  # a wrong try counts against the code
        if account is not None:
            sessions.begin(account)
            return sessions.remember_device(redirect(url_for(".home"), code=303), email_key(email))
        form.one_time_code.errors = [_("This code is not right or no longer valid. A code works once, within "
                                       "%(minutes)d minutes: ask for a new one if needed.", minutes=CODE_MINUTES)]
    return _code_page(form, 400 if form.errors else 200)


def _code_page(form, status):
    return render_template("residents/code.html", form=form, minutes=CODE_MINUTES), status


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    sessions.end(sessions.current_account())
    db.session.commit()
    flash(_("You have signed out."), "info")
    return redirect(url_for(".sign_in"), code=303)


@bp.route("/")
@resident_required
def home(account):
    return _home_page(account, NotificationsForm(formdata=None, choice=account.notifications))


def _home_page(account, notifications_form, status=200):
    page = paginate(own_complaints(account), request.args.get("page", 1, type=page_number), PER_PAGE)
    return render_template("residents/home.html", account=account, page=page, notifications_form=notifications_form,
                           now=utcnow()), status


@bp.route("/cases/<code>")
@resident_required
def open_case(account, code):
    """One's own complaint, opened on the tracking page (with the rating form when it is due)."""
    complaint = _own(account, code)
    verify(complaint)
    return redirect(url_for("tracking.track", code=complaint.code))


@bp.route("/cases/<code>/withdraw", methods=["GET", "POST"])
@resident_required
def withdraw_case(account, code):
    """GET asks to confirm (a link works without JavaScript); POST withdraws."""
    complaint = _own(account, code)
    if request.method == "GET":
        return render_template("residents/withdraw.html", complaint=complaint)
    try:
        withdraw(complaint)
    except CaseError as refusal:
        flash(str(refusal), "warning")
        return redirect(url_for(".home"), code=303)
    db.session.commit()
    flash(_("Your submission %(code)s has been withdrawn: it will not be handled.", code=complaint.code), "success")
    return redirect(url_for(".home"), code=303)


@bp.route("/notifications", methods=["POST"])
@resident_required
def notifications(account):
    form = NotificationsForm()
    if not form.validate():
        return _home_page(account, form, 400)
    choose_notifications(account, form.choice.data)
    db.session.commit()
    flash(_("Your choice is saved."), "success")
    return redirect(url_for(".home"), code=303)


@bp.route("/data.json")
@resident_required
def data(account):
    body = json.dumps(own_data(account), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="my-hanoi-portal-data.json"'})


def _own(account, code):
    complaint = own_complaint(account, code)
    if complaint is None:
        abort(404)
    return complaint
