"""Home page and account pages."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from partners.models import Organisation
from villages.models import District, Regency, Village


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
    }
    return render(request, "home.html", context)


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
