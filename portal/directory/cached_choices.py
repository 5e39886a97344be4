"""Select fields whose choices come from the directory cache (portal/directory/cache.py): the <option>s are
rendered once per directory version and language, and a request renders only the selected one again; a
choice is checked with a set lookup instead of a walk over every option."""
from itertools import groupby
from operator import attrgetter

from markupsafe import Markup
from wtforms import SelectField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import Select, html_params

WTFORMS_INVALID_CHOICE = "Not a valid choice."  # WTForms' own message, translated by our catalog (portal/forms.py)


def _option(choice, selected):
    return str(Select.render_option(Choice(choice.value, choice.label, selected, choice.render_kw)))


def translated_choices(choices):
    """A ChoiceList of `choices` with their labels (lazy strings) translated now: build it inside `cached()`,
    which keeps one per language."""
    return ChoiceList([SelectChoice(choice.value, str(choice.label), choice.render_kw,
                                    str(choice.optgroup) if choice.optgroup is not None else None)
                       for choice in choices])


class ChoiceList:
    """A select's choices (labels already translated), their values, and their <option>s rendered once."""

    def __init__(self, choices):
        self.choices = choices
        self.values = frozenset(choice.value for choice in choices)
        self._selected, self._spans, html = {}, {}, ""
        for group, members in groupby(choices, key=attrgetter("optgroup")):
            if group is not None:
                html += f"<optgroup {html_params(label=group)}>"
            for choice in members:
                option = _option(choice, selected=False)
                self._spans[choice.value] = (len(html), len(html) + len(option))
                self._selected[choice.value] = _option(choice, selected=True)
                html += option
            if group is not None:
                html += "</optgroup>"
        self._html = html

    def options(self, selected):
        """The options, `selected` (a value) marked so; escaped once when built."""
        span = self._spans.get(selected)
        if span is None:
            return Markup(self._html)
        start, end = span
        return Markup(self._html[:start] + self._selected[selected] + self._html[end:])


class CachedSelect(Select):
    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in self.validation_attrs:
            if name not in kwargs and getattr(flags, name, False):
                kwargs[name] = getattr(flags, name)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>") + field.choice_list.options(
            field.data) + Markup("</select>")


class DirectorySelectField(SelectField):
    """A select over a ChoiceList, given with `use()` before the form is validated or rendered."""

    widget = CachedSelect()
    choice_list = None

    def use(self, choice_list):
        self.choice_list, self.choices = choice_list, choice_list.choices
        return self

    def pre_validate(self, form):
        if self.process_errors or not self.validate_choice:
            return
        if self.data not in self.choice_list.values:
            raise ValidationError(self.invalid_choice_message or self.gettext(WTFORMS_INVALID_CHOICE))
