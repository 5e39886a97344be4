"""Which of a tố cáo's files may reach the agency. A file whose text the machine can read (a PDF's text layer, a
Word document, plain text) goes only if the detection finds in it nothing that identifies anybody but the official
denounced (portal/cases/redaction.py, SHARED_FILE); one that holds pictures (a photo, a scanned page, a
signature) only once intake has looked at it and confirmed that no face, name or document shows the denouncer.
A refused file stays with the identity's custodians; intake uploads a redacted copy, which goes instead."""
from flask_babel import lazy_gettext as _l

from portal.cases.file_text import readable_text
from portal.cases.redaction import SHARED_FILE, identity_left
from portal.cases.workflow import CaseError
from portal.complaints.attachments import path_of


def refuse_unshareable(complaint, attachment, looked_at):
    """Raise CaseError unless `attachment` may go to the agency of `complaint` (`looked_at`: intake confirmed it
    looked at the file's pictures)."""
    text = readable_text(path_of(attachment).read_bytes(), attachment.mime)
    if text is None:
        if not looked_at:
            raise CaseError(_l("Please look at “%(name)s” and tick that no face, name, signature or document in it "
                               "shows who the denouncer is, or do not share it.", name=attachment.original_name))
        return
    left = identity_left(text, complaint.filer, complaint.official_name, complaint.dossier_code, scope=SHARED_FILE,
                         codes=(complaint.code, complaint.reference))
    if left:
        raise CaseError(_l("“%(name)s” contains %(items)s. Leave it unshared and upload a copy with them removed "
                           "under “Redacted copies for the agency”: the copy is shared instead.",
                           name=attachment.original_name, items=", ".join(str(item) for item in left)))
