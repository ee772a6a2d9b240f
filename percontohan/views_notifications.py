"""The user's in-app notifications: list, mark one read (and follow it), mark all read.

A user only ever sees their own notifications: every lookup goes through
`request.user.notifications`, so anyone else's is a 404.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

PER_PAGE = 25


def notifications(request):
    """The user's notifications, newest first, unread ones highlighted."""
    page = Paginator(request.user.notifications.order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "percontohan/notification_list.html", {"page_obj": page, "title": _("Notifikasi")})


@require_POST
def notification_read(request, pk):
    """Mark one notification read, then go to what it is about."""
    notification = get_object_or_404(request.user.notifications, pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    # Notification links are site paths; anything else goes back to the list.
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect("notifications")
    return redirect(target)


@require_POST
def notifications_read_all(request):
    """Mark every unread notification of the user read."""
    count = request.user.notifications.unread().update(read_at=timezone.now())
    if count:
        messages.success(request, _("Semua notifikasi ditandai sudah dibaca."))
    return redirect("notifications")


urlpatterns = [
    path("notifikasi/", notifications, name="notifications"),
    path("notifikasi/<int:pk>/baca/", notification_read, name="notification_read"),
    path("notifikasi/baca-semua/", notifications_read_all, name="notifications_read_all"),
]
