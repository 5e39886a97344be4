"""The Hanoi citizen feedback and inspection portal."""
from flask import Flask, request, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import paging, settings
from portal.extensions import babel, bootstrap, csrf, db, limiter, login_manager, mail, migrate
from portal.open311.log_masking import mask_keys_in_request_logs
from portal.session_cookie import SealedCookieSessions

# Pages that may show a person's data (staff pages, a case followed by its filer, its files, the filing form
# shown again with what was typed, a resident's account): never kept by a browser's or a proxy's cache, nor by the
# back button.
PRIVATE_PATHS = ("/staff/", "/track", "/attachments/", "/complaints/", "/account/")


def create_app(config=None):
    """Build the application; `config` overrides settings (tests)."""
    app = Flask(__name__, instance_relative_config=True, template_folder="../templates",
                static_folder="../static")
    settings.configure(app, config)
    app.session_interface = SealedCookieSessions()
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_page_helpers(app)
    from portal import cli, errors
    errors.register(app)
    cli.register(app)
    mask_keys_in_request_logs()
    return app


def trust_proxies(app):
    """Behind reverse proxies, take the resident's address (and the scheme) from the headers the configured
    number of proxies add, so that rate limits count residents, not the proxy. With no proxy configured the
    headers are ignored: anybody can send them."""
    hops = app.config["PROXY_FIX_X_FOR"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_extensions(app):
    from portal import database, models  # noqa: F401  (every table, for Alembic)
    from portal.figures import upkeep  # noqa: F401  (changes queue the days whose figures they move)
    from portal.i18n import select_locale
    from portal.publication import index  # noqa: F401  (the public index: its handler and its queue)
    from portal.search import (
        indexer,  # noqa: F401  (the worker's index handler)
        queue,  # noqa: F401  (index updates follow every committed complaint change)
    )

    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True,
                     render_item=database.render_item)
    csrf.init_app(app)
    mail.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(app.root_path + "/translations"))
    limiter.init_app(app)
    bootstrap.init_app(app)


def register_blueprints(app):
    from inspections import bp as inspections_bp
    from portal import i18n, public, tracking, transparency
    from portal.accounts import views as accounts
    from portal.complaints import views as complaints
    from portal.open311 import views as open311
    from portal.residents import views as residents

    paging.init_app(app)  # bounds every <int:> of the routes below
    for blueprint in (public.bp, i18n.bp, complaints.bp, tracking.bp, transparency.bp, accounts.bp, residents.bp,
                      inspections_bp, open311.bp):
        app.register_blueprint(blueprint)
    accounts.configure_login(app)


def register_page_helpers(app):
    from portal.events import event_label
    from portal.formatting import countdown, local_date, local_time, resident_time, waited
    from portal.i18n import current_language
    from portal.oversight.states import recommendation_label
    from portal.patterns.groups import dimension_label
    from portal.safety import csrf_token_field
    from portal.timeutil import to_local
    from portal.tracking_links import inspection_link, staff_link, staff_link_ref, staff_url

    # `{% do list.append(x) %}` in templates: never `{% set _ = ... %}`, which would hide the translation function.
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def page_context():
        return {"current_language": current_language, "to_local": to_local, "event_label": event_label,
                "csrf_token_field": csrf_token_field, "staff_link": staff_link, "staff_link_ref": staff_link_ref,
                "local_time": local_time, "local_date": local_date, "resident_time": resident_time,
                "countdown": countdown, "waited": waited,
                "staff_url": staff_url, "dimension_label": dimension_label, "inspection_link": inspection_link,
                "recommendation_label": recommendation_label,
                "language_url": lambda code: url_for("i18n.switch", language=code, next=request.full_path)}

    @app.after_request
    def security_headers(response):
        if request.path.startswith(PRIVATE_PATHS):
            response.headers["Cache-Control"] = "no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                                    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
        return response
