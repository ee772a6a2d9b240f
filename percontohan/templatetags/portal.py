"""Indonesian formats for templates: Rupiah amounts, and the query string of a page link."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

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
