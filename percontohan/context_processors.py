"""Navigation by role, shared by every page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

REGION_BROWSER = ("villages:index", "villages:province", "villages:regency", "villages:district")

# label, URL name, and the view names that mark the item active (a name ending in "_" or ":" is a prefix)
NAV_ITEMS = (
    (_("Beranda"), "home", ("home",)),
    (_("Desa"), "villages:village_list", ("villages:village", "villages:village_")),
    (_("Desa percontohan"), "villages:pilot_list", ("villages:pilot_",)),
    (_("Kawasan"), "villages:area_list", ("villages:area_",)),
    (_("Seleksi lokasi"), "villages:round_list", ("villages:round_",)),
    (_("Peta"), "villages:map", ("villages:map", "villages:map_")),
    (_("Indeks desa"), "villages:index_schemes", ("villages:index_",)),
    (_("Wilayah"), "villages:index", REGION_BROWSER),
    (_("Instansi"), "partners:organisation_list", ("partners:",)),
)


def _is_active(view_name, names):
    return any(view_name == n or (n.endswith(("_", ":")) and view_name.startswith(n)) for n in names)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        {"label": label, "url": reverse(url_name), "active": _is_active(view_name, names)}
        for label, url_name, names in NAV_ITEMS
    ]
    if user.is_staff:
        items.append({"label": _("Admin"), "url": reverse("admin:index"), "active": view_name.startswith("admin:")})
    return {"nav_items": items}
