"""factory_boy factories for the test suite (regions are real and imported, never made up)."""

import factory
from django.db.models import Q

from partners.models import Organisation, OrganisationKind
from percontohan.models import User
from regions.models import Regency

PASSWORD = "sandi-uji-yang-panjang"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; `regencies` takes regency or province codes for the scope."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    role = "pejabat_pemda"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def regencies(self, create, codes, **kwargs):
        if codes:
            query = Q()
            for code in codes:
                query |= Q(code=code) if "." in code else Q(province_id=code)
            self.scope_regencies.set(Regency.objects.filter(query))
        self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    kind = OrganisationKind.DINAS
    regency = factory.LazyFunction(lambda: Regency.objects.get(code="63.04"))
    province = factory.SelfAttribute("regency.province")
