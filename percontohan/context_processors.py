"""The navigation bar, composed from what each app offers, and the unread-notification badge."""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from percontohan.links import route_url
from percontohan.registry import MenuItem, menu_items

# The core's own link; every app adds its own (`<app>/menu.py`, see percontohan.registry).
HOME_ITEM = MenuItem(0, _("Beranda"), "home", ("home",))


def _is_active(view_name, names):
    return any(view_name == n or (n.endswith(("_", ":")) and view_name.startswith(n)) for n in names)


def _items(entries, view_name):
    # The menu is on every page: its URLs are reversed once (route_url).
    return [
        {"label": item.label, "url": route_url(item.url_name), "active": _is_active(view_name, item.active)}
        for item in entries
    ]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_more": []}
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    items = [HOME_ITEM, *menu_items()]
    more = _items([item for item in items if item.more], view_name)
    if user.is_staff:
        more.append({"label": _("Admin"), "url": route_url("admin:index"), "active": view_name.startswith("admin:")})
    return {
        "nav_items": _items([item for item in items if not item.more], view_name),
        "nav_more": more,
        "nav_more_active": any(item["active"] for item in more),
    }


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
