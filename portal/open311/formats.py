"""Open311 answers in the two formats the specification names: XML (required) and JSON.

One payload builds both: in JSON a list is an array; in XML it is an element whose children are named by the
list's singular (`services` holds `service` elements). Datetimes are W3C, in Hanoi time (+07:00)."""
import re
from xml.etree import ElementTree

from flask import Response, json, request

from portal.timeutil import to_local

MEDIA_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # no XML 1.0 document holds them
SINGULAR = {"services": "service", "attributes": "attribute", "values": "value", "endpoints": "endpoint",
            "formats": "format", "service_requests": "request", "errors": "error"}


def requested_format():
    """The format the address asks for (…/services.json); XML, the specification's default, otherwise."""
    return "json" if request.path.endswith(".json") else "xml"


def w3c(moment):
    """A UTC datetime as the specification's W3C datetime, with Hanoi's offset: 2026-12-07T09:30:00+07:00."""
    return to_local(moment).isoformat(timespec="seconds") if moment else None


def respond(fmt, payload, root, status=200):
    """`payload` (a list or a dict) as a response in `fmt`; `root` names the XML document element."""
    if fmt == "json":
        body = json.dumps(payload, ensure_ascii=False)
    else:
        body = ElementTree.tostring(_element(root, payload), encoding="unicode", xml_declaration=False)
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + body
    return Response(body, status=status, mimetype=None, content_type=MEDIA_TYPES[fmt])


def errors(fmt, status, *descriptions):
    """The specification's error list: each with the HTTP code and a description saying what to fix."""
    return respond(fmt, [{"code": status, "description": str(text)} for text in descriptions], "errors", status)


def _element(tag, value):
    element = ElementTree.Element(tag)
    if isinstance(value, list):
        child_tag = SINGULAR[tag]
        element.extend(_element(child_tag, item) for item in value)
    elif isinstance(value, dict):
        element.extend(_element(key, item) for key, item in value.items())
    elif value is not None:
        element.text = _text(value)
    return element


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))
