"""POST requests: a complaint filed by other software, under the web form's own rules.

The parameters are mapped onto the filing form (portal.complaints.forms.ComplaintForm) and validated by it, so
that the API and the form can never disagree on what a valid complaint is; the form's messages come back as
Open311 errors naming the parameter to fix. Filing itself is the web form's operation: routing, deadlines, the
first history event and the acknowledgment email through the outbox."""
import math
import secrets

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.complaints.forms import ComplaintForm, submission_of
from portal.complaints.operations import file_complaint
from portal.domain.enums import ContactPreference, Kind
from portal.open311.services import API_KINDS

# The form's fields, and the Open311 parameters they are given as.
PARAMETERS = {
    "kind": "attribute[kind]", "category": "service_code", "problem_type": "attribute[problem_type]",
    "ward": "address_id", "concerned_agency": "attribute[agency]", "official_name": "attribute[official]",
    "official_position": "attribute[official_position]", "procedure_name": "attribute[procedure]",
    "dossier_code": "attribute[dossier_code]", "title": "attribute[subject]", "description": "description",
    "anonymous": "last_name", "filer_type": "attribute[filer_type]", "full_name": "last_name",
    "organisation": "attribute[organisation]", "tax_code": "attribute[tax_code]", "phone": "phone",
    "email": "email", "address": "attribute[filer_address]", "contact_preference": "email",
    "publish": "attribute[publish]",
}
IDENTITY = ("first_name", "last_name", "email", "phone", "attribute[filer_address]")
MEDIA_URL_LENGTH = 500


class Refused(Exception):
    """The request cannot be filed: each item of `problems` says what to fix."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def file_request(params, key, locale):
    """File the complaint that `params` (the POST's form) describe for `key`; the Complaint (not committed)."""
    form = ComplaintForm(formdata=_form_data(params), meta={"csrf": False}).load_choices()
    problems = _location_problems(params) + _kind_problems(params)
    if not form.validate() or problems:
        raise Refused(problems + [f"{PARAMETERS.get(name, name)}: {message}"
                                  for name, messages in form.errors.items() for message in messages])
    complaint = file_complaint(submission_of(form, [], locale=locale, channel="api"))
    complaint.api_key_id, complaint.api_token = key.id, secrets.token_urlsafe(24)
    complaint.location_text = (params.get("address_string") or "").strip()[:300]
    if params.get("lat"):
        complaint.latitude, complaint.longitude = float(params["lat"]), float(params["long"])
    return complaint


def _form_data(params):
    """The filing form as the web page would post it for these parameters."""
    def attribute(code):
        return (params.get(f"attribute[{code}]") or "").strip()

    anonymous = not any((params.get(name) or "").strip() for name in IDENTITY)
    email = (params.get("email") or "").strip()
    data = {
        "kind": attribute("kind") or Kind.PHAN_ANH.value, "category": params.get("service_code") or "",
        "problem_type": attribute("problem_type"), "ward": params.get("address_id") or attribute("ward"),
        "concerned_agency": attribute("agency"), "official_name": attribute("official"),
        "official_position": attribute("official_position"), "procedure_name": attribute("procedure"),
        "dossier_code": attribute("dossier_code"), "description": _description(params),
        "title": attribute("subject") or _subject_from(params.get("description") or ""),
        "filer_type": attribute("filer_type") or "individual", "organisation": attribute("organisation"),
        "tax_code": attribute("tax_code"), "full_name": _full_name(params), "phone": params.get("phone") or "",
        "email": email, "address": attribute("filer_address"),
        "contact_preference": ContactPreference.EMAIL.value if email else ContactPreference.PHONE.value,
        "truthful": "y",  # the filing software confirms for the person it files for
    }
    if anonymous:
        data["anonymous"] = "y"
    if attribute("publish").lower() in ("true", "1", "yes"):
        data["publish"] = "y"
    return MultiDict(data)


def _full_name(params):
    """Vietnamese order: family name first (Nguyễn Văn An is last_name Nguyễn, first_name Văn An)."""
    return " ".join(part for part in ((params.get("last_name") or "").strip(),
                                      (params.get("first_name") or "").strip()) if part)


def _description(params):
    """The text, with a photo or document link the software sent (the portal does not fetch it) written under it
    for the agency to open."""
    text = (params.get("description") or "").strip()
    media = (params.get("media_url") or "").strip()
    return f"{text}\n\n{media}" if text and media else text


def _subject_from(description):
    """A subject when the software sends none: the description's first line, cut at a word within 200."""
    first = " ".join(description.strip().splitlines()[0].split()) if description.strip() else ""
    if len(first) <= 200:
        return first
    return first[:199].rsplit(" ", 1)[0] + "…"


def _location_problems(params):
    """The specification asks for a location: lat and long together, address_string, or address_id (a ward)."""
    lat, long = params.get("lat"), params.get("long")
    problems = []
    if bool(lat) != bool(long):
        problems.append(str(_l("lat, long: please give both, in decimal degrees (lat=21.0285&long=105.8542).")))
    elif lat and not _coordinates(lat, long):
        problems.append(str(_l("lat, long: not valid coordinates; use decimal degrees (lat=21.0285&long=105.8542).")))
    if not (lat or params.get("address_string") or params.get("address_id") or params.get("attribute[ward]")):
        problems.append(str(_l("address_string, address_id, lat, long: please give a location: the address, the "
                               "ward code (see the ward attribute of the service definition), or lat and long.")))
    if len(params.get("address_string") or "") > 300:
        problems.append(str(_l("address_string: please keep the address under 300 characters.")))
    if len(params.get("media_url") or "") > MEDIA_URL_LENGTH or not _link(params.get("media_url")):
        problems.append(str(_l("media_url: please give a single http or https link under 500 characters.")))
    return problems


def _kind_problems(params):
    kind = (params.get("attribute[kind]") or "").strip()
    if kind == Kind.TO_CAO.value:
        return [str(_l("attribute[kind]: a denunciation (tố cáo) can only be made on the portal itself, which keeps "
                       "the denouncer's identity secret."))]
    if kind and kind not in {member.value for member in API_KINDS}:
        return [str(_l("attribute[kind]: please use one of the values of the service definition."))]
    return []


def _coordinates(lat, long):
    try:
        lat, long = float(lat), float(long)
    except ValueError:
        return False
    return math.isfinite(lat) and math.isfinite(long) and -90 <= lat <= 90 and -180 <= long <= 180


def _link(url):
    return not url or (url.startswith(("http://", "https://")) and len(url.split()) == 1)
