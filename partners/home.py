"""The partners' figure on the home page (see percontohan.registry)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation
from percontohan.registry import HomeStat


def home(request):
    organisations = Organisation.objects.visible_to(request.user)
    return [HomeStat(40, _("Instansi/mitra"), organisations, reverse("partners:organisation_list"))]
