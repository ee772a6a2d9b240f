"""Factories for programme areas, pilot villages and site selection.

Villages and regencies are real (imported into the test database from
idn-area-data); these factories only ever look them up by their official code.
"""

import datetime
from decimal import Decimal

import factory

from partners.models import OrganisationKind
from regions.models import Regency, Village
from tests.factories import OrganisationFactory
from villages.models import (
    AreaKind,
    AreaMembership,
    PilotStatus,
    PilotTransition,
    PilotVillage,
    ProgrammeArea,
    SelectionCandidate,
    SelectionCriterion,
    SelectionRound,
    SelectionScore,
)

# Real villages of Kecamatan Anjir Pasar (63.04.03) and Jejangkit (63.04.17), Barito Kuala.
ANDAMAN = "63.04.03.2001"
HILIR_MESJID = "63.04.03.2002"
ANJIR_PASAR_KOTA = "63.04.03.2003"
CAHAYA_BARU = "63.04.17.2005"
# A real village of Kecamatan Bakongan, Aceh Selatan (11.01).
KEUDE_BAKONGAN = "11.01.01.2001"


def village(code):
    return Village.objects.get(code=code)


def regency(code):
    return Regency.objects.get(code=code)


class BlmFactory(OrganisationFactory):
    """BLM Banjarmasin, whose working area (an assumption of the tests) is Kalimantan Selatan and Tengah."""

    class Meta:
        django_get_or_create = ("name", "parent")

    name = "Balai Latihan Masyarakat Banjarmasin"
    short_name = "BLM Banjarmasin"
    kind = OrganisationKind.BLM
    parent = None
    regency = factory.LazyFunction(lambda: regency("63.71"))

    @factory.post_generation
    def working_area(self, create, provinces, **kwargs):
        provinces = ("62", "63") if provinces is None else provinces
        if create and provinces:
            self.working_area.set(Regency.objects.filter(province_id__in=provinces))


def aceh_blm():
    """A BLM serving Aceh Selatan (a test assumption: BLM Pekanbaru's area includes it)."""
    return BlmFactory(
        name="Balai Latihan Masyarakat Pekanbaru",
        short_name="BLM Pekanbaru",
        regency=regency("14.71"),
        province=regency("14.71").province,
        working_area=(),
    )


class ProgrammeAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeArea

    name = factory.Sequence(lambda n: f"Kawasan Perdesaan Anjir Pasar {n}")
    kind = AreaKind.RURAL
    regency = factory.LazyFunction(lambda: regency("63.04"))


class AreaMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaMembership

    area = factory.SubFactory(ProgrammeAreaFactory)
    village = factory.LazyFunction(lambda: village(ANDAMAN))
    valid_from = datetime.date(2020, 3, 10)


class PilotVillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotVillage

    village = factory.LazyFunction(lambda: village(ANDAMAN))
    status = PilotStatus.CANDIDATE
    responsible_blm = factory.SubFactory(BlmFactory)
    period_start = 2020
    period_end = 2024


class PilotTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotTransition

    pilot = factory.SubFactory(PilotVillageFactory)
    from_status = ""
    to_status = PilotStatus.CANDIDATE
    reason = "Diusulkan dalam rapat koordinasi."


class SelectionRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionRound

    title = factory.Sequence(lambda n: f"Seleksi lokasi desa percontohan Barito Kuala {n}")
    regency = factory.LazyFunction(lambda: regency("63.04"))
    responsible_blm = factory.SubFactory(BlmFactory)
    period_start = 2020
    period_end = 2024


class SelectionCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionCriterion

    round = factory.SubFactory(SelectionRoundFactory)
    name = factory.Sequence(lambda n: f"Kriteria {n}")
    weight = Decimal("25")


class SelectionCandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionCandidate

    round = factory.SubFactory(SelectionRoundFactory)
    village = factory.LazyFunction(lambda: village(ANDAMAN))


class SelectionScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionScore

    candidate = factory.SubFactory(SelectionCandidateFactory)
    criterion = factory.SubFactory(SelectionCriterionFactory, round=factory.SelfAttribute("..candidate.round"))
    stakeholder = factory.SubFactory(BlmFactory)
    scorer = factory.SubFactory("tests.factories.UserFactory", role="staf_blm")
    value = 3


# The criteria the programme weighs (DESIGN §3), summing to 100 %.
STANDARD_CRITERIA = (
    ("Efisiensi", Decimal("25")),
    ("Efektivitas", Decimal("25")),
    ("Kesiapan desa", Decimal("20")),
    ("Komitmen daerah", Decimal("15")),
    ("Aksesibilitas", Decimal("15")),
)


def round_with_criteria(criteria=STANDARD_CRITERIA, villages=(ANDAMAN, HILIR_MESJID), **kwargs):
    """A Barito Kuala round with weighted criteria and candidate villages."""
    round_ = SelectionRoundFactory(**kwargs)
    for order, (name, weight) in enumerate(criteria):
        SelectionCriterionFactory(round=round_, name=name, weight=weight, order=order)
    for code in villages:
        SelectionCandidateFactory(round=round_, village=village(code))
    return round_
