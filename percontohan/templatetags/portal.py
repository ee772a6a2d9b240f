"""Template helpers of every page: Rupiah amounts, the query string of a page link, links to region
pages that the reader may open, the error summary of a form, and a record's history for the admin."""

from decimal import Decimal, InvalidOperation

from django import template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.formsets import BaseFormSet
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from percontohan.history import history_of, is_tracked

register = template.Library()


@register.filter
def rupiah(value):
    """1250000 → "Rp 1.250.000" (in Indonesian; the English locale groups with commas)."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {number_format(abs(amount), decimal_pos=0, use_l10n=True, force_grouping=True)}"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for page and export links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


def region_opens_for(user, code):
    """Whether `user` may open the page of the region with this code (province, regency, district or village).

    The same answer as the region's `visible_to(user)`, read from the official codes without a query:
    a regency's code begins the codes of its districts and villages, and its province's code begins it.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    scope = user.scope_regency_codes
    if scope is None:
        return True
    return any(code == regency or code.startswith(f"{regency}.") or regency.startswith(f"{code}.") for regency in scope)


@register.simple_tag(takes_context=True)
def region_link(context, record, label=None, code=None):
    """`{% region_link regency %}`: a region's name (or `label`) linking to its page — as plain text when
    the reader may not open that page, e.g. another regency that an agreement also covers.

    A record scoped by one region (a programme area) is linked the same way with that region's code:
    `{% region_link area code=area.regency_id %}`.
    """
    if record is None:
        return "—"
    text = record.name if label is None else label
    if region_opens_for(context.get("user"), code or record.code):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), text)
    return format_html("{}", text)


@register.inclusion_tag("includes/form_errors.html")
def form_errors(*forms):
    """`{% form_errors form formset … %}`: at the top of a form, every field that needs correcting, each
    linking to its field, and the errors of a formset as a whole. A form's own non-field errors are left
    to the form, which shows them at its top already."""
    entries = []
    for item in forms:
        if isinstance(item, BaseFormSet):
            if not item.is_bound:
                continue
            for row, form in enumerate(item.forms, start=1):
                entries.extend(_form_entries(form, row=row))
            entries.extend({"label": "", "id": "", "errors": [error]} for error in item.non_form_errors())
        elif item is not None and item.is_bound:
            entries.extend(_form_entries(item))
    return {"entries": entries}


def _form_entries(form, row=None):
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            if row is None:
                continue
            field = next((form[visible.name] for visible in form.visible_fields()), None)
            label = _("Baris %(row)s") % {"row": row}
        else:
            field = form[name]
            label = field.label if row is None else _("%(label)s, baris %(row)s") % {"label": field.label, "row": row}
        yield {"label": label, "id": _field_anchor(field), "errors": errors}


def _field_anchor(field):
    """The id of the element a link to this field should reach; none for a hidden field."""
    if field is None or field.is_hidden or not field.auto_id:
        return ""
    # A group of radio buttons or checkboxes labels no element of its own: reach its first option.
    return field.id_for_label or f"{field.auto_id}_0"


@register.simple_tag
def record_history(record):
    """`{% record_history object as history %}`: the record's history as its page shows it
    (percontohan.history.history_of), or None when its model's history is not recorded."""
    return history_of(record) if is_tracked(type(record)) else None
