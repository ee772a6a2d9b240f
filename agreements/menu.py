"""The agreements' links in the navigation bar (see percontohan.registry)."""

from django.utils.translation import gettext_lazy as _

from percontohan.registry import MenuItem

ITEMS = (
    MenuItem(50, _("Perjanjian"), "agreements:agreement_list", ("agreements:agreement_", "agreements:document_")),
    MenuItem(60, _("Komitmen"), "agreements:commitment_list", ("agreements:commitment_", "agreements:evidence_")),
)
