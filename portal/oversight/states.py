"""The states of an inspection case, where it may come from, and what it may recommend."""
from flask_babel import lazy_gettext as _l

from portal.domain.enums import TitledEnum


class InspectionStatus(TitledEnum):
    OPENED = ("opened", _l("Opened"))
    INVESTIGATING = ("investigating", _l("Investigating"))
    FINDINGS = ("findings", _l("Findings established"))
    RECOMMENDATION = ("recommendation", _l("Recommendation made"))
    CLOSED = ("closed", _l("Closed"))


S = InspectionStatus
TRANSITIONS = {
    S.OPENED: {S.INVESTIGATING},
    S.INVESTIGATING: {S.FINDINGS},
    S.FINDINGS: {S.RECOMMENDATION, S.INVESTIGATING},  # more to verify before recommending
    S.RECOMMENDATION: {S.CLOSED},
    S.CLOSED: set(),
}


class Origin(TitledEnum):
    COMPLAINTS = ("complaints", _l("From complaints"))
    PATTERN = ("pattern", _l("From a repeated-problem pattern"))
    OWN = ("own", _l("On the inspectors' own initiative"))


class Recommendation(TitledEnum):
    """Each with the sentence the residents of the linked complaints read when the inspection closes: what
    followed, in general words, never the inspection's internals nor anyone's name."""

    NONE = ("none", _l("No measure (no violation found)"),
            _l("The inspection found no violation that calls for a measure."))
    REMINDER = ("reminder", _l("Reminder"),
                _l("The inspection found shortcomings; the officials responsible were reminded of their duties."))
    WARNING = ("warning", _l("Warning"),
               _l("The inspection found a violation; the official responsible was given a warning."))
    CRITICISM = ("criticism", _l("Criticism"),
                 _l("The inspection found a violation; the official responsible was criticised."))
    DISCIPLINE = ("discipline", _l("Disciplinary measure"),
                  _l("The inspection found a violation; disciplinary proceedings follow."))
    REASSIGNMENT = ("reassignment", _l("Reassignment to other duties"),
                    _l("The inspection found a violation; the official responsible is moved to other duties."))
    SUSPENSION = ("suspension", _l("Temporary suspension"),
                  _l("The inspection found a violation; the official responsible is suspended for the time being."))
    PARTY_COMMISSION = ("party_commission", _l("Referral to the Party inspection commission"),
                        _l("The inspection's conclusions were referred to the competent Party body."))
    POLICE = ("police", _l("Referral to the police"),
              _l("The inspection's conclusions were referred to the investigating authorities."))

    @property
    def public_outcome(self):
        return self.description

    @property
    def disciplines(self):
        """A measure against the person: for a party member, their party organisation must be told."""
        return self in (Recommendation.WARNING, Recommendation.DISCIPLINE, Recommendation.REASSIGNMENT,
                        Recommendation.SUSPENSION)

    @property
    def corrects(self):
        """A measure that asks the official to correct their conduct: complaints of the same kind that keep
        coming after it mark them "slow to correct"."""
        return self in (Recommendation.REMINDER, Recommendation.WARNING, Recommendation.CRITICISM)


def recommendation_label(value):
    """The label of a stored recommendation; a dash before there is one."""
    return Recommendation(value).label if value else "—"


PARTY_NOTICE_DAYS = 5  # working days to tell a disciplined party member's organisation
