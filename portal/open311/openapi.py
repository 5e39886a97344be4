"""The OpenAPI 3 description of /open311/v2/, served at /open311/v2/openapi.json. tests/test_open311.py checks
every answer the server gives in its tests against it, so the two cannot drift apart."""
from flask import current_app, jsonify

from portal.open311.reading import LIMIT, MAX_DAYS

STRING = {"type": "string"}
NULLABLE_STRING = {"type": "string", "nullable": True}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(name, xml_name):
    return {"type": "array", "items": _ref(name), "xml": {"name": xml_name, "wrapped": True}}


def _object(xml_name, properties, required=()):
    schema = {"type": "object", "properties": properties, "xml": {"name": xml_name}}
    if required:
        schema["required"] = list(required)
    return schema


SCHEMAS = {
    "Error": _object("error", {"code": {"type": "integer"}, "description": STRING}, ("code", "description")),
    "Errors": _list_of("Error", "errors"),
    "Endpoint": _object("endpoint", {
        "specification": STRING, "url": STRING, "changeset": STRING, "type": STRING,
        "formats": {"type": "array", "items": STRING, "xml": {"name": "formats", "wrapped": True}}}),
    "Discovery": _object("discovery", {
        "changeset": STRING, "contact": STRING, "key_service": STRING,
        "endpoints": {"type": "array", "items": _ref("Endpoint"), "xml": {"name": "endpoints", "wrapped": True}}}),
    "Service": _object("service", {
        "service_code": STRING, "service_name": STRING, "description": STRING, "metadata": {"type": "boolean"},
        "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]}, "keywords": STRING, "group": STRING},
        ("service_code", "service_name", "metadata", "type")),
    "Services": _list_of("Service", "services"),
    "AttributeValue": _object("value", {"key": STRING, "name": STRING}, ("key", "name")),
    "Attribute": _object("attribute", {
        "variable": {"type": "boolean"}, "code": STRING,
        "datatype": {"type": "string", "enum": ["string", "number", "datetime", "text", "singlevaluelist",
                                                "multivaluelist"]},
        "required": {"type": "boolean"}, "datatype_description": STRING, "order": {"type": "integer"},
        "description": STRING,
        "values": {"type": "array", "items": _ref("AttributeValue"), "xml": {"name": "values", "wrapped": True}}},
        ("variable", "code", "datatype", "required", "order", "description")),
    "ServiceDefinition": _object("service_definition", {
        "service_code": STRING,
        "attributes": {"type": "array", "items": _ref("Attribute"), "xml": {"name": "attributes", "wrapped": True}}},
        ("service_code", "attributes")),
    "ServiceRequest": _object("request", {
        "service_request_id": STRING, "status": {"type": "string", "enum": ["open", "closed"]},
        "status_notes": STRING, "service_name": STRING, "service_code": STRING, "description": STRING,
        "agency_responsible": STRING, "service_notice": STRING, "requested_datetime": STRING,
        "updated_datetime": STRING, "expected_datetime": NULLABLE_STRING, "address": STRING, "address_id": STRING,
        "zipcode": STRING, "lat": {"type": "number", "nullable": True}, "long": {"type": "number", "nullable": True},
        "media_url": STRING}, ("service_request_id", "status", "service_code", "requested_datetime")),
    "ServiceRequests": _list_of("ServiceRequest", "service_requests"),
    "Filed": _object("request", {"service_request_id": STRING, "token": STRING, "service_notice": STRING,
                                 "account_id": STRING}, ("service_request_id",)),
    "FiledRequests": _list_of("Filed", "service_requests"),
    "Token": _object("request", {"service_request_id": STRING, "token": STRING}, ("service_request_id", "token")),
    "Tokens": _list_of("Token", "service_requests"),
}

FORMAT = {"name": "format", "in": "path", "required": True, "schema": {"type": "string", "enum": ["xml", "json"]},
          "description": "xml or json"}
COMMON = [
    {"name": "jurisdiction_id", "in": "query", "schema": STRING,
     "description": "Optional; only hanoi.gov.vn is served."},
    {"name": "locale", "in": "query", "schema": {"type": "string", "enum": ["vi", "en"]},
     "description": "The language of names and messages (Vietnamese by default)."},
]
KEY = {"name": "api_key", "in": "query", "schema": STRING,
       "description": "Optional for reading: with a key, the requests that key filed are shown. Better sent as the "
                      "X-Api-Key header, which no access log keeps."}
KEY_HEADER = {"name": "X-Api-Key", "in": "header", "schema": STRING,
              "description": "The API key, instead of the api_key parameter (reading and filing)."}
ERRORS = {
    "400": "The request was not valid: each error says which parameter to fix.",
    "403": "The api_key is missing (filing), unknown or revoked.",
    "404": "Not found, or not readable with this key.",
    "429": "Too many requests: wait and send again.",
}

# The form fields of POST requests. attribute[...] carry the service definition's attributes.
FILING_FIELDS = {
    "api_key": STRING, "service_code": STRING, "jurisdiction_id": STRING, "locale": STRING,
    "lat": {"type": "number"}, "long": {"type": "number"}, "address_string": STRING, "address_id": STRING,
    "email": STRING, "device_id": STRING, "account_id": STRING, "first_name": STRING, "last_name": STRING,
    "phone": STRING, "description": STRING, "media_url": STRING,
    **{f"attribute[{code}]": STRING for code in (
        "kind", "problem_type", "subject", "agency", "official", "official_position", "procedure", "dossier_code",
        "ward", "filer_type", "organisation", "tax_code", "filer_address")},
}


def _content(schema_name):
    schema = _ref(schema_name)
    return {"application/json": {"schema": schema}, "text/xml": {"schema": schema}}


def _responses(success, schema_name, errors):
    answers = {success: {"description": "OK", "content": _content(schema_name)}}
    answers.update({code: {"description": ERRORS[code], "content": _content("Errors")} for code in errors})
    return answers


def _get(summary, schema_name, parameters=(), errors=("404", "429")):
    return {"get": {"summary": summary, "parameters": [FORMAT, *COMMON, *parameters],
                    "responses": _responses("200", schema_name, errors)}}


def _path_parameter(name):
    return {"name": name, "in": "path", "required": True, "schema": STRING}


def _query(name, description):
    return {"name": name, "in": "query", "schema": STRING, "description": description}


def _paths():
    requests = _get("Service requests, newest first: at most 1,000, over at most 90 days", "ServiceRequests", [
        KEY, KEY_HEADER,
        _query("service_request_id", "Tracking codes, comma separated (the other filters are then ignored)."),
        _query("service_code", "Services, comma separated."),
        _query("start_date", f"W3C datetime; default {MAX_DAYS} days before end_date."),
        _query("end_date", f"W3C datetime; default now. At most {MAX_DAYS} days after start_date."),
        _query("status", "open, closed, or both.")], errors=("400", "403", "404", "429"))
    requests["get"]["description"] = f"At most {LIMIT} requests are returned."
    requests["post"] = {
        "summary": "File a complaint; the answer carries its tracking code as service_request_id",
        "parameters": [FORMAT, KEY_HEADER],
        "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object", "properties": FILING_FIELDS, "required": ["service_code"]}}}},
        "responses": _responses("201", "FiledRequests", ("400", "403", "404", "429")),
    }
    return {
        "/open311/v2/discovery.{format}": _get("Endpoints and formats", "Discovery"),
        "/open311/v2/services.{format}": _get("The fields (lĩnh vực) as services", "Services"),
        "/open311/v2/services/{service_code}.{format}": _get(
            "The attributes a request for this service carries", "ServiceDefinition",
            [_path_parameter("service_code")]),
        "/open311/v2/requests.{format}": requests,
        "/open311/v2/requests/{service_request_id}.{format}": _get(
            "One service request", "ServiceRequests", [_path_parameter("service_request_id"), KEY],
            errors=("403", "404", "429")),
        "/open311/v2/tokens/{token}.{format}": _get(
            "The service request a filing's token stands for", "Tokens", [_path_parameter("token"), KEY],
            errors=("403", "404", "429")),
    }


def openapi_document():
    return {
        "openapi": "3.0.3",
        "info": {"title": "Hanoi citizen feedback portal: Open311 GeoReport v2", "version": "2.0",
                 "description": "Complaints, reports and recommendations about Hanoi's administration. "
                                "Datetimes are W3C, in Hanoi time (+07:00). Denunciations (tố cáo) are neither "
                                "filed nor shown here.",
                 "contact": {"name": current_app.config["OPEN311_CONTACT"]}},
        "servers": [{"url": "/"}],
        "paths": _paths(),
        "components": {"schemas": SCHEMAS},
    }


def document():
    return jsonify(openapi_document())
