"""The partners' link in the navigation bar (see percontohan.registry)."""

from django.utils.translation import gettext_lazy as _

from percontohan.registry import MenuItem

ITEMS = (MenuItem(70, _("Instansi"), "partners:organisation_list", ("partners:",)),)
