"""Home page and account pages."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from agreements.models import Agreement, Commitment
from partners.models import Organisation
from villages.insights import default_scheme, scheme_years
from villages.models import District, IndexScore, PilotStatus, PilotVillage, Regency, Village


def home(request):
    """The user's starting page: what their scope holds, and where to go next."""
    user = request.user
    regencies = Regency.objects.visible_to(user).current()
    context = {
        "regency_count": regencies.count(),
        "district_count": District.objects.visible_to(user).current().count(),
        "village_count": Village.objects.visible_to(user).current().count(),
        "organisation_count": Organisation.objects.visible_to(user).count(),
        "scope_regencies": None
        if user.sees_everything
        else regencies.select_related("province")
        .annotate(village_count=Count("districts__villages"))
        .order_by("province__name", "name"),
        **programme_summary(user),
        **agreement_reminders(user),
    }
    return render(request, "home.html", context)


# The home page shows the first few; the lists show them all.
HOME_REMINDER_ROWS = 10


def agreement_reminders(user):
    """Agreements in the user's scope expiring within the warning window, and overdue commitments (2 queries)."""
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
    return {
        "expiry_warning_days": settings.AGREEMENT_EXPIRY_WARNING_DAYS,
        "expiring_agreements": expiring[:HOME_REMINDER_ROWS],
        "expiring_more": len(expiring) > HOME_REMINDER_ROWS,
        "overdue_commitments": overdue[:HOME_REMINDER_ROWS],
        "overdue_more": len(overdue) > HOME_REMINDER_ROWS,
    }


def programme_summary(user):
    """Pilot villages by status and villages by index status of the latest year, in the user's scope."""
    by_status = dict(
        PilotVillage.objects.visible_to(user).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    pilots = [(status.label, by_status.get(status.value, 0)) for status in PilotStatus]
    scheme = default_scheme()
    years = scheme_years(scheme) if scheme else []
    index_statuses = []
    if years:
        index_statuses = list(
            IndexScore.objects.visible_to(user)
            .filter(scheme=scheme, year=years[0])
            .values("status__name", "status__color", "status__order")
            .annotate(n=Count("pk"))
            .order_by("status__order")
        )
    return {
        "pilot_counts": pilots,
        "pilot_total": sum(by_status.values()),
        "index_scheme": scheme,
        "index_year": years[0] if years else None,
        "index_statuses": index_statuses,
        "index_total": sum(row["n"] for row in index_statuses),
    }


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": _("Masuk")}


# Anyone may switch the language, including on the login page.
switch_language = login_not_required(set_language)
