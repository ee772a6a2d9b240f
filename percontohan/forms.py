"""The base of every form of the portal: what people type is kept without invisible characters.

Every form class derives from `Form` or `ModelForm` here (tests/percontohan/test_hostile_input.py
checks it), so a name or title never keeps a direction override (U+202E) or a zero-width character,
and a NUL byte, which PostgreSQL cannot store, is answered with an error beside the field instead of
a server error. The same base preselects a required choice that has one allowed option and marks
multi-selects for the browser's picker (static/js/forms.js), so no list needs Ctrl-click.

Below the base classes are the pieces every app's forms share: the date widget, the regency and
village choices limited to the user's scope, the village picker (type a name or a code), and the
record picker whose options load as the user types (`RecordPicker`, fed by views_base.picker_search).
"""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from percontohan.text import clean_text

NUL_MESSAGE = _(
    "Isian ini memuat karakter NUL (kode 0) yang tidak dapat disimpan. Hapus karakter itu lalu simpan lagi."
)


class CleanTextMixin:
    """Strips control, direction and zero-width characters (percontohan.text.clean_text) from the
    submitted value of every text field before it is validated; a value with NUL is kept as sent so
    that the field reports it. Passwords are left exactly as typed."""

    def full_clean(self):
        if self.is_bound:
            self.data = self._data_without_invisible_characters()
        super().full_clean()

    def _data_without_invisible_characters(self):
        data = self.data.copy()
        for name, field in self.fields.items():
            key = self.add_prefix(name)
            if not _is_text(field) or key not in data:
                continue
            _reword_nul_error(field)
            if hasattr(data, "setlist"):
                data.setlist(key, [_cleaned(value) for value in data.getlist(key)])
            else:
                data[key] = _cleaned(data[key])
        return data


class HelpfulChoicesMixin:
    """Choice fields that help: a required choice with one allowed option comes preselected, and every
    multi-select becomes a searchable picker in the browser (static/js/forms.js), usable without Ctrl-click.

    Preselection happens when the form is shown (`get_initial_for_field`), after the form has narrowed its
    choices to the user's scope, and never in a formset's extra rows, which must stay empty until filled in.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.SelectMultiple) and not field.widget.is_hidden:
                field.widget.attrs.setdefault("data-picker", "multi")

    def get_initial_for_field(self, field, field_name):
        value = super().get_initial_for_field(field, field_name)
        if (
            self.is_bound
            or self.empty_permitted
            or not field.required
            or field.disabled
            or field.widget.is_hidden
            or value not in field.empty_values
        ):
            return value
        only = only_choice(field)
        return value if only is None else only


class Form(CleanTextMixin, HelpfulChoicesMixin, forms.Form):
    """A form of the portal (see CleanTextMixin and HelpfulChoicesMixin)."""


class ModelForm(CleanTextMixin, HelpfulChoicesMixin, forms.ModelForm):
    """A model form of the portal (see CleanTextMixin and HelpfulChoicesMixin)."""


def only_choice(field):
    """The value of a choice field's one allowed option (a list of it for a multiple choice), or None.

    The options are those the widget offers (a form may offer fewer than the field accepts); a model
    choice list is asked for two rows at most, so a long list is never read just to learn it is long.
    """
    choices = getattr(field.widget, "choices", None)
    if choices is None:
        return None
    if isinstance(choices, forms.models.ModelChoiceIterator):
        rows = list(choices.queryset[:2])
        values = [field.prepare_value(row) for row in rows]
    else:
        values = [value for value in _choice_values(choices) if value not in ("", None)]
    if len(values) != 1:
        return None
    return values if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) else values[0]


def _choice_values(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):  # an option group
            yield from (inner for inner, _label in label)
        else:
            yield value


def _is_text(field):
    return (
        isinstance(field, forms.CharField)
        and not isinstance(field.widget, (forms.PasswordInput, forms.MultiWidget))
        and not field.disabled
    )


def _cleaned(value):
    return value if isinstance(value, str) and "\x00" in value else clean_text(value)


def _reword_nul_error(field):
    field.validators = [
        ProhibitNullCharactersValidator(message=NUL_MESSAGE)
        if isinstance(validator, ProhibitNullCharactersValidator)
        else validator
        for validator in field.validators
    ]


# --- Shared pieces of every app's forms ----------------------------------------------------------

# HTML date inputs send and expect ISO dates whatever the language.
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class RecordPicker(forms.Select):
    """A choice of one record among many — an organisation, an agreement — whose options the browser
    loads as the user types (static/js/forms.js) from a scoped JSON search at `search_url`
    (percontohan.views_base.picker_search): the page carries only the chosen option, not every record
    in the user's scope.

    The form field stays a ModelChoiceField over the user's scope, which validates what is sent. Without
    JavaScript the list holds only the chosen option, and a hint says what to do instead.
    """

    def __init__(self, search_url, attrs=None, *, hint=None, picker="record"):
        super().__init__({"data-picker": picker, "data-search-url": search_url, **(attrs or {})})
        self.hint = hint or _("Aktifkan JavaScript untuk mencari pilihan lain.")

    def is_key(self, value):
        """Whether a sent value can name a record (a number, for the portal's records)."""
        return value.isdigit()

    def chosen(self, field, keys):
        """(key, label) of the chosen records: read from the field's queryset (one query)."""
        return [(record.pk, field.label_from_instance(record)) for record in field.queryset.filter(pk__in=keys)]

    def optgroups(self, name, value, attrs=None):
        """The empty option and the chosen one; no query when nothing is chosen."""
        field = self.choices.field
        choices = [("", field.empty_label)] if field.empty_label is not None else []
        keys = [key for key in value if self.is_key(key)]
        if keys:
            choices += self.chosen(field, keys)
        return [
            (None, [self.create_option(name, key, label, str(key) in value, index)], index)
            for index, (key, label) in enumerate(choices)
        ]

    def render(self, name, value, attrs=None, renderer=None):
        return format_html("{}{}", super().render(name, value, attrs, renderer), self.html_after())

    def html_after(self):
        """What follows the select (the list filters' own field writer adds it too)."""
        return format_html('<noscript><div class="form-text">{}</div></noscript>', self.hint)
