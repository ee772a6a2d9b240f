"""The region browser's link in the navigation bar (see percontohan.registry)."""

from django.utils.translation import gettext_lazy as _

from percontohan.registry import MenuItem

ITEMS = (
    MenuItem(
        140,
        _("Wilayah"),
        "regions:index",
        ("regions:index", "regions:province", "regions:regency", "regions:district"),
        more=True,
    ),
)
