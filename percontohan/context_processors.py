"""The navigation bar, composed from what each app offers, and the unread-notification badge."""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from percontohan.links import route_url
from percontohan.registry import MenuItem, menu_items

# The core's own link; every app adds its own (`<app>/menu.py`, see percontohan.registry).
HOME_ITEM = MenuItem(0, _("Beranda"), "home", ("home",))


def _is_active(view_name, names):
    return any(view_name == n or (n.endswith(("_", ":")) and view_name.startswith(n)) for n in names)


def _items(entries, view_name):
    return [
        {"label": str(item.label), "url": route_url(item.url_name), "active": _is_active(view_name, item.active)}
        for item in entries
    ]


def navigation(request):
    """`navigation`: the menu's HTML (templates/includes/navigation.html), empty for a visitor not signed in.

    Lazy: a page without the menu (a PDF, an e-mail, a fragment) never writes it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": ""}
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    key = (view_name, user.is_staff, get_language(), get_script_prefix(), get_urlconf())
    return {"navigation": SimpleLazyObject(lambda: _navigation(*key))}


@functools.cache
def _navigation(view_name, is_staff, language, script_prefix, urlconf):
    """The menu of one page (a view name), for staff or not, in one language: the same on every request,
    so written once per process (it is on every page)."""
    items = [HOME_ITEM, *menu_items()]
    more = _items([item for item in items if item.more], view_name)
    if is_staff:
        admin = {"label": str(_("Admin")), "url": route_url("admin:index"), "active": view_name.startswith("admin:")}
        more.append(admin)
    context = {
        "nav_items": _items([item for item in items if not item.more], view_name),
        "nav_more": more,
        "nav_more_active": any(item["active"] for item in more),
    }
    return render_to_string("includes/navigation.html", context)


@receiver(setting_changed)
def _forget_menus(*, setting, **_kwargs):
    """A new ROOT_URLCONF (a test's override_settings) gives the menu new URLs; new TEMPLATES another look."""
    if setting in ("ROOT_URLCONF", "TEMPLATES"):
        _navigation.cache_clear()


def notifications(request):
    """The number of the user's unread notifications, for the badge in the user menu: read with the user
    (percontohan.auth.PortalModelBackend), else by a query of its own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    known = getattr(user, "unread_notification_count", None)
    if known is not None:
        return {"unread_notification_count": known}
    # Lazy: pages that do not show the menu (e-mails, fragments) run no query.
    return {"unread_notification_count": SimpleLazyObject(lambda: user.notifications.unread().count())}
