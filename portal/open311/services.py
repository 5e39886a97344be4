"""Open311 services: the portal's fields (lĩnh vực) as services, and one service definition whose attributes
carry what the web form asks beyond the text (the kind, the problem, the agency, the official, the procedure, the
dossier code, the ward, who files).

The lists are the web form's own (portal.complaints.forms.filing_choices: active entries, in the caller's
language), so that the API offers exactly what the form offers."""
from flask_babel import lazy_gettext as _l

from portal.complaints.forms import filing_choices
from portal.domain.enums import FilerType, Kind

# The kinds other software may file. A tố cáo is not among them: the law keeps the denouncer's identity secret,
# and a third party's system that relayed it would hold it outside the portal's protection.
API_KINDS = (Kind.PHAN_ANH, Kind.KIEN_NGHI, Kind.KHIEU_NAI)

# Services in groups, as a city app lists them; a field not named here falls in the last group.
GROUPS = (
    (_l("Land, construction and urban order"),
     ("dat_dai", "xay_dung", "trat_tu_do_thi", "quy_hoach_kien_truc", "moi_truong", "giao_thong")),
    (_l("Business, tax and labour"),
     ("dau_tu_kinh_doanh", "thue_tai_chinh", "cong_thuong", "lao_dong_viec_lam", "khoa_hoc_cong_nghe")),
    (_l("Health, education and society"), ("y_te", "giao_duc", "van_hoa_the_thao_du_lich", "dan_toc_ton_giao")),
    (_l("Civil status and public service"), ()),
)


def service_codes():
    return {choice.value for choice in _categories()}


def services():
    """The list for GET services."""
    return [{"service_code": choice.value, "service_name": choice.label,
             "description": str(_l("Complaints, reports and recommendations about: %(field)s", field=choice.label)),
             "metadata": True, "type": "realtime", "keywords": _keywords(choice.value),
             "group": str(_group_of(choice.value))}
            for choice in _categories()]


def definition(service_code):
    """The service definition for GET services/<code>: the same attributes for every field."""
    lists = filing_choices()
    attributes = [
        _list("kind", _l("What are you submitting?"), True,
              [(kind.value, str(kind.label)) for kind in API_KINDS],
              _l("A denunciation (tố cáo) can only be made on the portal itself, which keeps the denouncer's "
                 "identity secret.")),
        _list("problem_type", _l("What went wrong?"), True, _pairs(lists["problem_type"])),
        _text("subject", _l("Subject"), _l("5 to 200 characters; taken from the description when left out.")),
        _list("agency", _l("Agency concerned"), False, _pairs(lists["concerned_agency"])),
        _text("official", _l("Official's name"), _l("Optional: the person the submission is about.")),
        _text("official_position", _l("Official's position")),
        _text("procedure", _l("Administrative procedure")),
        _text("dossier_code", _l("Dossier code (mã hồ sơ)")),
        _list("ward", _l("Ward or commune"), False, _pairs(lists["ward"]),
              _l("The same as address_id; either may be given.")),
        _list("filer_type", _l("You are"), False, [(member.value, str(member.label)) for member in FilerType]),
        _text("organisation", _l("Business or organisation name"), _l("Needed when filer_type is business.")),
        _text("tax_code", _l("Tax code"), _l("10 digits, or 13 for a branch.")),
        _text("filer_address", _l("Address"), _l("The filer's address: needed for a complaint (khiếu nại).")),
        _list("publish", _l("The filer agrees that the question and the agency's answer may be published, without "
                            "the filer's name or contact"), False, [("true", _l("Yes")), ("false", _l("No"))],
              _l("Reports and recommendations only. What is published, here too, is only the version a reviewer "
                 "approved.")),
    ]
    for order, attribute in enumerate(attributes, start=1):
        attribute["order"] = order
    return {"service_code": service_code, "attributes": attributes}


def _categories():
    return [choice for choice in filing_choices()["category"].choices if choice.value]


def _pairs(choice_list):
    return [(choice.value, choice.label) for choice in choice_list.choices if choice.value]


def _list(code, description, required, pairs, notes=""):
    return _attribute(code, "singlevaluelist", description, required, notes,
                      values=[{"key": key, "name": str(name)} for key, name in pairs])


def _text(code, description, notes=""):
    return _attribute(code, "string", description, False, notes)


def _attribute(code, datatype, description, required, notes, values=None):
    attribute = {"variable": True, "code": code, "datatype": datatype, "required": required,
                 "datatype_description": str(notes), "order": 0, "description": str(description)}
    if values is not None:
        attribute["values"] = values
    return attribute


def _group_of(code):
    return next((name for name, codes in GROUPS if code in codes), GROUPS[-1][0])


def _keywords(code):
    return ",".join(code.split("_"))
