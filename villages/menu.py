"""The villages' links in the navigation bar (see percontohan.registry)."""

from django.utils.translation import gettext_lazy as _

from percontohan.registry import MenuItem

ITEMS = (
    MenuItem(20, _("Desa"), "villages:village_list", ("villages:village", "villages:village_")),
    MenuItem(30, _("Desa percontohan"), "villages:pilot_list", ("villages:pilot_",)),
    MenuItem(40, _("Peta"), "villages:map", ("villages:map", "villages:map_")),
    # Pages used less every day, under "Lainnya" (more).
    MenuItem(110, _("Kawasan"), "villages:area_list", ("villages:area_",), more=True),
    MenuItem(120, _("Seleksi lokasi"), "villages:round_list", ("villages:round_",), more=True),
    MenuItem(130, _("Indeks desa"), "villages:index_schemes", ("villages:index_",), more=True),
)
