"""Navigation by role, and the unread-notification badge, shared by every page."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

REGION_BROWSER = ("villages:index", "villages:province", "villages:regency", "villages:district")

# label, URL name, and the view names that mark the item active (a name ending in "_" or ":" is a prefix)
NAV_ITEMS = (
    (_("Beranda"), "home", ("home",)),
    (_("Desa"), "villages:village_list", ("villages:village", "villages:village_")),
    (_("Desa percontohan"), "villages:pilot_list", ("villages:pilot_",)),
    (_("Peta"), "villages:map", ("villages:map", "villages:map_")),
    (_("Perjanjian"), "agreements:agreement_list", ("agreements:agreement_", "agreements:document_")),
    (_("Komitmen"), "agreements:commitment_list", ("agreements:commitment_", "agreements:evidence_")),
    (_("Instansi"), "partners:organisation_list", ("partners:",)),
)
# Pages used less every day, under "Lainnya" (more).
MORE_ITEMS = (
    (_("Kawasan"), "villages:area_list", ("villages:area_",)),
    (_("Seleksi lokasi"), "villages:round_list", ("villages:round_",)),
    (_("Indeks desa"), "villages:index_schemes", ("villages:index_",)),
    (_("Wilayah"), "villages:index", REGION_BROWSER),
)


def _is_active(view_name, names):
    return any(view_name == n or (n.endswith(("_", ":")) and view_name.startswith(n)) for n in names)


def _items(entries, view_name):
    return [
        {"label": label, "url": reverse(url_name), "active": _is_active(view_name, names)}
        for label, url_name, names in entries
    ]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_more": []}
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    more = _items(MORE_ITEMS, view_name)
    if user.is_staff:
        more.append({"label": _("Admin"), "url": reverse("admin:index"), "active": view_name.startswith("admin:")})
    return {
        "nav_items": _items(NAV_ITEMS, view_name),
        "nav_more": more,
        "nav_more_active": any(item["active"] for item in more),
    }


def notifications(request):
    """The number of the user's unread notifications, for the badge in the user menu (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: pages that do not show the menu (e-mails, fragments) run no query.
    return {"unread_notification_count": SimpleLazyObject(lambda: user.notifications.unread().count())}
