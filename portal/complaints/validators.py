"""Checks of Vietnamese contact details, each giving back the canonical form to store."""
import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

TAX_CODE = re.compile(r"^\d{10}(-?\d{3})?$")


def canonical_phone(text):
    """E.164 form of a Vietnamese phone number (0912 345 678, +84 912 345 678), or None if it is not one."""
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def canonical_email(text):
    """The address as mail servers take it (a Vietnamese domain in its ASCII form), or None when it is not one the
    portal can send to. Deliverability is not checked: the portal has no DNS on closed networks."""
    try:
        return validate_email(text, check_deliverability=False, allow_smtputf8=False).ascii_email
    except EmailNotValidError:
        return None


def email_problem(text):
    """What to fix in a typed email address, or None when the portal can send to it. Letters with accents before
    the @ need SMTPUTF8, which mail servers on the way seldom support: such a code would never arrive."""
    if canonical_email(text) is not None:
        return None
    local = (text or "").rpartition("@")[0]
    if local and not local.isascii():
        return _l("The part before @ cannot have accents or Vietnamese letters: please write it as your email "
                  "provider shows it (for example an.nguyen@example.com).")
    return _l("This email address is not valid. Example: ten@example.com.")


def canonical_tax_code(text):
    """A tax code of 10 digits, or 13 for a branch (written 0101234567-001 or 0101234567001)."""
    compact = re.sub(r"\s", "", text or "")
    if not TAX_CODE.match(compact):
        return None
    digits = compact.replace("-", "")
    return digits if len(digits) == 10 else f"{digits[:10]}-{digits[10:]}"
