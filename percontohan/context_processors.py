"""Navigation by role, shared by every page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        (_("Beranda"), reverse("home"), "home"),
        (_("Wilayah"), reverse("villages:index"), "villages"),
        (_("Instansi"), reverse("partners:organisation_list"), "partners"),
    ]
    if user.is_staff:
        items.append((_("Admin"), reverse("admin:index"), "admin"))
    section = request.resolver_match.namespace if request.resolver_match else ""
    return {
        "nav_items": [{"label": label, "url": url, "active": key == (section or "home")} for label, url, key in items]
    }
