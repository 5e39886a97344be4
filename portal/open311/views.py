"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2), in XML and JSON, and the page for
developers at /open311/.

Reads need no key and show what the key sent (if any) may read; filing needs a key, and is limited per key."""
from datetime import timedelta

from flask import Blueprint, current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.extensions import csrf, db, limiter
from portal.formatting import local_date
from portal.i18n import current_language
from portal.open311 import filing, reading, services
from portal.open311.formats import errors, requested_format, respond
from portal.open311.keys import active_key, digest_of
from portal.open311.openapi import document
from portal.timeutil import hanoi_today, utcnow
from portal.tracking_links import public_url

bp = Blueprint("open311", __name__, url_prefix="/open311")
FORMAT = "<any(xml, json):fmt>"
LANGUAGES = ("vi", "en")


class Refusal(Exception):
    def __init__(self, status, *descriptions):
        super().__init__(descriptions)
        self.status, self.descriptions = status, descriptions


@bp.errorhandler(Refusal)
def refused(refusal):
    return errors(requested_format(), refusal.status, *refusal.descriptions)


PRIVATE = {"open311.file_request", "open311.request_list", "open311.request_one", "open311.token"}


@bp.after_request
def caching(response):
    """The services and the documents are the same for everyone; requests are read with a key, so never kept."""
    if request.endpoint in PRIVATE or response.status_code >= 400:
        response.headers["Cache-Control"] = "no-store"
    else:
        response.headers.setdefault("Cache-Control", "public, max-age=300")
        response.vary.add("Cookie")  # the developers page is in the visitor's language
    return response


@bp.before_request
def language_and_jurisdiction():
    """The language of names and messages when `locale` is sent (vi or en; a client has no session to choose one
    otherwise, so it gets Vietnamese); an unknown jurisdiction is not ours."""
    values = request.values
    if values.get("locale"):
        language = values["locale"][:2].lower()
        g.language = language if language in LANGUAGES else "vi"
    jurisdiction = values.get("jurisdiction_id")
    if jurisdiction and jurisdiction != current_app.config["OPEN311_JURISDICTION"]:
        raise Refusal(404, _l("jurisdiction_id: not served here; use %(id)s.",
                              id=current_app.config["OPEN311_JURISDICTION"]))


def _read_limit():
    return current_app.config["OPEN311_READ_RATE_LIMIT"]


def _filing_limit():
    return current_app.config["OPEN311_FILING_RATE_LIMIT"]


KEY_HEADER = "X-Api-Key"


def sent_key():
    """The key as the request sends it: in the X-Api-Key header (kept out of every access log), or as the api_key
    parameter (the form of a POST, the address of a GET)."""
    return request.headers.get(KEY_HEADER) or (request.form if request.method == "POST" else request.args).get(
        "api_key")


def _key_bucket():
    """Filing is counted per key (a hotline's system files for many people from one address)."""
    return "open311:" + digest_of(sent_key() or "")


def _over_limit(_limit):
    return errors(requested_format(), 429, _l("Too many requests with this key: please wait a minute and send again."))


def _caller_key(required=False):
    """The key the request sent: None when none was sent (reads only); refused when unknown or revoked."""
    sent = sent_key()  # as _key_bucket counts it
    if not sent:
        if required:
            raise Refusal(403, _l("api_key: a key is needed to file a request; the city gives keys to partners."))
        return None
    key = active_key(sent)
    if key is None:
        raise Refusal(403, _l("api_key: this key is not valid or has been revoked."))
    return key


@bp.route("/")
def developers():
    return render_template("open311/developers.html", base=url_for(".discovery", fmt="json", _external=True)
                           .removesuffix("discovery.json"), jurisdiction=current_app.config["OPEN311_JURISDICTION"],
                           week_ago=(hanoi_today() - timedelta(days=7)).isoformat())


@bp.route(f"/v2/discovery.{FORMAT}")
@limiter.limit(_read_limit)
def discovery(fmt):
    endpoint = {"specification": "http://wiki.open311.org/GeoReport_v2",
                "url": url_for(".discovery", fmt=fmt, _external=True).removesuffix(f"/discovery.{fmt}"),
                "changeset": "2026-12-07T00:00:00+07:00", "type": "production",
                "formats": ["text/xml", "application/json"]}
    return respond(fmt, {"changeset": endpoint["changeset"], "contact": current_app.config["OPEN311_CONTACT"],
                         "key_service": current_app.config["OPEN311_KEY_SERVICE"], "endpoints": [endpoint]},
                   "discovery")


@bp.route(f"/v2/services.{FORMAT}")
@limiter.limit(_read_limit)
def service_list(fmt):
    return respond(fmt, services.services(), "services")


@bp.route(f"/v2/services/<service_code>.{FORMAT}")
@limiter.limit(_read_limit)
def service_definition(service_code, fmt):
    if service_code not in services.service_codes():
        raise Refusal(404, _l("service_code: unknown service %(code)s (see services.xml).", code=service_code))
    return respond(fmt, services.definition(service_code), "service_definition")


@bp.route(f"/v2/requests.{FORMAT}", methods=["POST"])
@csrf.exempt  # an API key, not a browser session, authorises a filing
@limiter.limit(_filing_limit, key_func=_key_bucket, on_breach=_over_limit)
def file_request(fmt):
    key = _caller_key(required=True)
    if not request.form.get("service_code"):
        raise Refusal(400, _l("service_code: please give the service (see services.xml)."))
    if request.form["service_code"] not in services.service_codes():
        raise Refusal(400, _l("service_code: unknown service %(code)s (see services.xml).",
                              code=request.form["service_code"]))
    try:
        complaint = filing.file_request(request.form, key, current_language())
    except filing.Refused as refusal:
        db.session.rollback()
        raise Refusal(400, *refusal.problems) from None
    key.last_used_at = utcnow()
    answer = [{"service_request_id": complaint.code, "token": complaint.api_token, "account_id": "",
               "service_notice": _notice(complaint)}]
    db.session.commit()
    return respond(fmt, answer, "service_requests", 201)


def _notice(complaint):
    return _("Received. The intake desk accepts it, or says why not, by %(date)s. Follow it with the tracking code "
             "%(code)s at %(url)s.", date=local_date(complaint.accept_due_at), code=complaint.code,
             url=public_url(url_for("tracking.track")))


@bp.route(f"/v2/requests.{FORMAT}")
@limiter.limit(_read_limit)
def request_list(fmt):
    key = _caller_key()
    try:
        query = reading.parse_query(request.args, services.service_codes())
    except reading.BadQuery as bad:
        raise Refusal(400, bad.args[0]) from None
    return respond(fmt, reading.find(query, key), "service_requests")


@bp.route(f"/v2/requests/<service_request_id>.{FORMAT}")
@limiter.limit(_read_limit)
def request_one(service_request_id, fmt):
    found = reading.find_one(service_request_id, _caller_key())
    if found is None:
        raise Refusal(404, _l("service_request_id: no request %(id)s that this key may read.",
                              id=service_request_id))
    return respond(fmt, found, "service_requests")


@bp.route(f"/v2/tokens/<token>.{FORMAT}")
@limiter.limit(_read_limit)
def token(token, fmt):
    found = reading.find_token(token, _caller_key())
    if found is None:
        raise Refusal(404, _l("token: no request has this token for this key."))
    return respond(fmt, found, "service_requests")


@bp.route("/v2/openapi.json")
def openapi():
    return document()
