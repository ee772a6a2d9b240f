"""Home page and account pages."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from percontohan.registry import home_parts


def home(request):
    """The user's starting page: what each app shows of the user's scope, and where to go next."""
    user = request.user
    stats, sections = home_parts(request)
    context = {
        "scope_regency_count": None if user.sees_everything else len(user.scope_regency_codes),
        "stats": stats,
        "sections": sections,
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
