"""The agreements' part of the home page: agreements about to expire and overdue commitments in the
user's scope (see percontohan.registry)."""

from django.conf import settings

from agreements.models import Agreement, Commitment
from percontohan.registry import HomeSection

# The home page shows the first few; the lists show them all.
HOME_REMINDER_ROWS = 10


def home(request):
    """Two queries however many reminders there are."""
    user = request.user
    expiring = list(
        Agreement.objects.visible_to(user)
        .expiring_within(settings.AGREEMENT_EXPIRY_WARNING_DAYS)
        .order_by("effective_to", "pk")[: HOME_REMINDER_ROWS + 1]
    )
    overdue = list(
        Commitment.objects.visible_to(user)
        .overdue()
        .select_related("agreement", "party__organisation")
        .order_by("due_date", "pk")[: HOME_REMINDER_ROWS + 1]
    )
    context = {
        "expiry_warning_days": settings.AGREEMENT_EXPIRY_WARNING_DAYS,
        "expiring_agreements": expiring[:HOME_REMINDER_ROWS],
        "expiring_more": len(expiring) > HOME_REMINDER_ROWS,
        "overdue_commitments": overdue[:HOME_REMINDER_ROWS],
        "overdue_more": len(overdue) > HOME_REMINDER_ROWS,
    }
    return [HomeSection(10, "agreements/home_reminders.html", context)]
