"""What every list table of the portal shares: on a phone it keeps to its essential columns.

The table's scroll region, its sortable headers and the translated pagination are in the project's
template templates/django_tables2/bootstrap5-responsive.html (settings.DJANGO_TABLES2_TEMPLATE).
"""

import django_tables2 as tables
from django.utils.translation import gettext as _

# Bootstrap display utilities: a secondary column appears from the md breakpoint (768 px) on.
PHONE_HIDDEN = "d-none d-md-table-cell"


def add_class(attrs, css_class):
    """Column `attrs` with `css_class` added to the header and data cells (a "cell" entry serves both)."""
    attrs = dict(attrs)
    for tag in ("th", "td"):
        cell = dict(attrs.get(tag, attrs.get("cell", {})))
        cell["class"] = f"{cell.get('class', '')} {css_class}".strip()
        attrs[tag] = cell
    return attrs


class PortalTable(tables.Table):
    """A list table that a 390-px phone can read without scrolling sideways.

    `phone_columns` names the columns a phone shows; the others appear from 768 px on. Empty: all of
    them (a table narrow enough anyway).
    """

    phone_columns = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The columns are the table's own deep copies (django-tables2), so the class stays untouched.
        for bound in self.columns.iterall():
            if self.phone_columns and bound.name not in self.phone_columns:
                bound.column.attrs = add_class(bound.column.attrs, PHONE_HIDDEN)

    @property
    def label(self):
        """The accessible name of the table's scroll region, e.g. "Tabel komitmen"."""
        model = self._meta.model
        return _("Tabel %(name)s") % {"name": model._meta.verbose_name_plural} if model else _("Tabel")
