"""Signing in and out, and resetting a forgotten password."""
from datetime import datetime, timedelta

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo, InputRequired

from portal.accounts.models import User
from portal.accounts.operations import (
    AccountError,
    authenticate,
    end_sessions,
    send_password_reset,
    set_password,
    user_for_reset,
)
from portal.extensions import db, limiter, login_manager
from portal.forms import PortalForm
from portal.i18n import current_language
from portal.safety import safe_next
from portal.timeutil import utcnow

bp = Blueprint("auth", __name__, url_prefix="/staff")
IDLE_LIMIT = timedelta(minutes=60)


class LoginForm(PortalForm):
    email = EmailField(_l("Email"), validators=[InputRequired(_l("Please enter your email."))],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Please enter your password."))],
                             render_kw={"autocomplete": "current-password"})


class ForgotForm(PortalForm):
    email = EmailField(_l("Email"), validators=[InputRequired(_l("Please enter your email."))])


class ResetForm(PortalForm):
    password = PasswordField(_l("New password"), validators=[InputRequired(_l("Please choose a password."))],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"), validators=[
        EqualTo("password", _l("The two passwords differ; please type the same one twice."))],
        render_kw={"autocomplete": "new-password"})


@login_manager.user_loader
def load_user(session_id):
    """The account of a session (or remember-me cookie) that has not been signed out since it began."""
    user_id, _sep, generation = session_id.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or str(user.session_generation) != generation:
        return None
    return user


@bp.before_app_request
def expire_idle_sessions():
    """Staff sessions end after an hour without activity (and in any case after the session lifetime)."""
    if not current_user.is_authenticated:
        return
    seen = session.get("seen")
    now = utcnow()
    if seen and now - datetime.fromisoformat(seen) > IDLE_LIMIT:
        logout_user()
        flash(_("You were signed out after an hour without activity. Please sign in again."), "warning")
        return redirect(url_for("auth.login", next=request.full_path))
    session["seen"] = now.isoformat()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        db.session.commit()  # failures count even when the sign-in is refused
        if user is not None:
            language = session.get("lang")
            session.clear()  # a fresh session for the signed-in person (no fixation)
            if language:
                session["lang"] = language
            session.permanent = True
            login_user(user)
            session["seen"] = utcnow().isoformat()
            return redirect(safe_next(request.args.get("next"), fallback="inspections.home"))
        form.password.errors = [_("The email or password is wrong, or the account is locked for 15 minutes "
                                  "after 5 failed tries. You can reset your password below.")]
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        send_password_reset(form.email.data, current_language())
        db.session.commit()
        flash(_("If this email belongs to a staff account, a reset link is on its way. It works for one hour."),
              "info")
        return redirect(url_for("auth.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    user = user_for_reset(token)
    if user is None:
        flash(_("This reset link has expired or was already used. Please ask for a new one."), "warning")
        return redirect(url_for("auth.forgot_password"))
    form = ResetForm()
    if form.validate_on_submit():
        try:
            set_password(user, form.password.data)
        except AccountError as error:
            form.password.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("Your password has been changed. Please sign in."), "success")
            return redirect(url_for("auth.login"))
    return render_template("accounts/reset.html", form=form)


def configure_login(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
