"""Factories for agreements, their parties and signatories; regions are real, looked up by code.

`barito_kuala_mou()` builds the MoU of 10 March 2020 on pilot village development
between Kemendes PDTT and Pemkab Barito Kuala (DESIGN.md §1).
"""

import datetime

import factory
from django.utils import timezone

from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Commitment,
    Signatory,
    SignatoryRole,
)
from partners.models import Organisation, OrganisationKind
from regions.models import Regency
from tests.factories import OrganisationFactory

MOU_SIGNED_ON = datetime.date(2020, 3, 10)


def national_organisation(name, short_name="", kind=OrganisationKind.MINISTRY, parent=None):
    """A national body (no region: everyone sees it), created once."""
    organisation, _created = Organisation.objects.get_or_create(
        name=name, parent=parent, defaults={"short_name": short_name, "kind": kind}
    )
    return organisation


def kemendes():
    return national_organisation("Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi", "Kemendes PDTT")


def balilatfo():
    return national_organisation(
        "Badan Penelitian dan Pengembangan, Pendidikan dan Pelatihan, dan Informasi",
        "Balilatfo",
        kind=OrganisationKind.MINISTRY_UNIT,
        parent=kemendes(),
    )


def regency_government(code="63.04"):
    """Pemerintah kabupaten of a regency (Pemkab Barito Kuala by default)."""
    regency = Regency.objects.get(code=code)
    name = regency.name.replace("Kabupaten", "Pemerintah Kabupaten", 1)
    organisation, _created = Organisation.objects.get_or_create(
        name=name,
        parent=None,
        defaults={"kind": OrganisationKind.REGENCY_GOV, "regency": regency, "province": regency.province},
    )
    return organisation


class AgreementFactory(factory.django.DjangoModelFactory):
    """A draft MoU of Kemendes PDTT covering Barito Kuala, ready to sign: two parties and a signatory each.

    `regencies` takes regency codes; `parties` a list of organisations (default: the
    ministry and the regency's government); `signatories` a list of (name, position) or
    dicts (default: one per party).
    """

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    kind = AgreementKind.MOU
    number = factory.Sequence(lambda n: f"NK.{n:03d}/SJ/III/2020")
    issuer = factory.LazyFunction(kemendes)
    title = factory.Sequence(lambda n: f"Pembangunan desa percontohan {n}")
    subject = "Sinergi program para pemangku kepentingan di desa percontohan."
    status = AgreementStatus.DRAFT

    @factory.post_generation
    def regencies(self, create, codes, **kwargs):
        if create:
            self.regencies.set(Regency.objects.filter(code__in=codes if codes is not None else ("63.04",)))

    @factory.post_generation
    def parties(self, create, organisations, **kwargs):
        if not create:
            return
        if organisations is None:
            regency = self.regencies.order_by("code").first()
            organisations = [kemendes(), regency_government(regency.code if regency else "63.04")]
        for position, organisation in enumerate(organisations, start=1):
            AgreementParty.objects.create(agreement=self, organisation=organisation, position=position)

    @factory.post_generation
    def signatories(self, create, people, **kwargs):
        if not create:
            return
        if people is None:
            people = [
                {"name": f"Penandatangan {party.position}", "position": "Pejabat", "organisation": party.organisation}
                for party in self.parties.order_by("position")
            ]
        for order, person in enumerate(people):
            person = person if isinstance(person, dict) else {"name": person[0], "position": person[1]}
            Signatory.objects.create(agreement=self, order=order, **{"role": SignatoryRole.SIGNATORY, **person})


class SignedAgreementFactory(AgreementFactory):
    """A MoU signed on 10 March 2020, open-ended unless told otherwise; active or expired by its dates."""

    status = factory.LazyAttribute(
        lambda o: (
            AgreementStatus.EXPIRED
            if o.effective_to and o.effective_to < timezone.localdate()
            else AgreementStatus.ACTIVE
        )
    )
    signed_on = MOU_SIGNED_ON
    signed_place = "Aula BLM Banjarmasin"
    effective_from = MOU_SIGNED_ON
    effective_to = None


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    agreement = factory.SubFactory(SignedAgreementFactory)
    party = factory.LazyAttribute(lambda o: o.agreement.parties.order_by("position").first())
    description = factory.Sequence(lambda n: f"Menyelenggarakan pelatihan masyarakat desa angkatan {n}")


def dinas(name, code="63.04"):
    return OrganisationFactory(name=name, regency=Regency.objects.get(code=code))


def barito_kuala_mou(**fields):
    """The MoU of 10 March 2020 on pilot village development (Kemendes PDTT – Pemkab Barito Kuala)."""
    defaults = {
        "number": "NK.01/SJ/III/2020",
        "title": "Pembangunan Desa Percontohan di Kabupaten Barito Kuala",
        "effective_to": datetime.date(2024, 12, 31),
        "parties": [kemendes(), regency_government("63.04")],
        "signatories": [
            {"name": "Anwar Sanusi", "position": "Sekretaris Jenderal", "organisation": kemendes()},
            {"name": "Hj. Noormiliyani", "position": "Bupati Barito Kuala", "organisation": regency_government()},
            {
                "role": SignatoryRole.WITNESS,
                "name": "HM. Rifqinizami Karsayuda",
                "position": "Anggota Komisi V DPR RI",
            },
            {"role": SignatoryRole.WITNESS, "name": "Pepen Efendi", "position": "Kepala BLM Banjarmasin"},
        ],
    }
    return SignedAgreementFactory(**{**defaults, **fields})
