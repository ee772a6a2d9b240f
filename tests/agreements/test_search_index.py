"""The agreement list's `?q=` search is served by trigram indexes — on the number, the title, the subject and
the parties' names — not by reading every agreement.

Real rows, not `enable_seqscan = off`: an agreement list grows by the hundreds a year per BLM, so the
question is whether PostgreSQL *chooses* the indexes on a table of that size, which only a table of that
size answers. 2,000 agreements (each with two parties) and 5,000 organisations are bulk-created and
analysed; a handful of needles are found by one column each.
"""

import pytest
from django.urls import reverse

from agreements.filters import AgreementFilter
from agreements.models import Agreement, AgreementKind, AgreementParty
from partners.models import Organisation, OrganisationKind
from regions.models import District, Village
from tests.agreements.factories import AgreementFactory, kemendes
from tests.factories import OrganisationFactory
from tests.regions.test_search_index import (
    as_after_autovacuum,
    assert_searched_through,
    restore_after_rollback,
    searches_sent,
)

HAYSTACK = 2_000
OTHER_ORGANISATIONS = 3_000

SEARCH_INDEXES = [
    "agreement_number_trgm",
    "agreement_title_trgm",
    "agreement_subject_trgm",
    "organisation_name_trgm",
    "organisation_short_name_trgm",
]


@pytest.fixture(autouse=True)  # autouse: set up before `db`, so torn down after its rollback
def agreement_tables_restored(django_db_blocker):
    yield
    restore_after_rollback(
        django_db_blocker, "agreements_agreement", "agreements_agreementparty", "partners_organisation"
    )


@pytest.fixture
def many_agreements(db):
    """2,000 agreements named after real kecamatan, one kecamatan office as the second party of each, and
    one needle for each column the search reads."""
    ministry = kemendes()
    districts = list(District.objects.select_related("regency").order_by("code")[:HAYSTACK])
    offices = Organisation.objects.bulk_create(
        Organisation(
            name=f"Kantor Camat {district.name} {district.regency.name}",
            short_name=f"CAMAT-{district.code}",
            kind=OrganisationKind.REGENCY_GOV,
            province_id=district.regency.province_id,
            regency=district.regency,
        )
        for district in districts
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(
            kind=AgreementKind.PKS,
            number=f"PKS.{n:04d}/{district.code}/{2015 + n % 10}",
            issuer=ministry,
            title=f"Pembangunan desa percontohan di Kecamatan {district.name}",
            subject=f"Pelatihan masyarakat desa dan sinergi program di {district.name}, {district.regency.name}.",
        )
        for n, district in enumerate(districts)
    )
    # Organisations outnumber agreements (every village government, BUMDes, company…): 3,000 more, in no
    # agreement, so that a party's name is looked up in the organisation indexes, not by reading them all.
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Pemerintah Desa {village.name} {village.code}",
            short_name=f"PEMDES-{village.code}",
            kind=OrganisationKind.VILLAGE_GOV,
        )
        for village in Village.objects.order_by("code")[:OTHER_ORGANISATIONS]
    )
    AgreementParty.objects.bulk_create(
        party
        for agreement, office in zip(agreements, offices, strict=True)
        for party in (
            AgreementParty(agreement=agreement, organisation=ministry, position=1),
            AgreementParty(agreement=agreement, organisation=office, position=2),
        )
    )
    needles = {
        "number": AgreementFactory(number="PKS.12/KTM-CB/2021"),
        "title": AgreementFactory(title="Kawasan transmigrasi Jejangkit"),
        "subject": AgreementFactory(subject="Pengembangan pertanian lahan gambut"),
        "party": AgreementFactory(
            parties=[ministry, OrganisationFactory(name="Universitas Lambung Mangkurat", short_name="ULM")]
        ),
    }
    as_after_autovacuum("agreements_agreement", *SEARCH_INDEXES[:3])
    as_after_autovacuum("partners_organisation", *SEARCH_INDEXES[3:])
    as_after_autovacuum("agreements_agreementparty")
    return needles


# One word aimed at each column (the short name too); they share one test's setup. A word, as users type:
# the planner prices a trigram index by the pattern's trigrams, so for a long phrase (≥ 12 characters) it
# rightly reads a table of 2,000 short rows whole rather than look up a dozen trigrams.
SEARCHES = {"ktm-cb": "number", "jejangkit": "title", "gambut": "subject", "mangkurat": "party", "ULM": "party"}


def test_each_searched_column_is_found_through_its_trigram_index_among_2000_agreements(
    client, ministry_user, many_agreements
):
    for q, needle in SEARCHES.items():
        sent = searches_sent(client, ministry_user, reverse("agreements:agreement_list"), q=q)

        for index in SEARCH_INDEXES:
            assert_searched_through(index, "agreements_agreement", sent)
        found = AgreementFilter({"q": q}, queryset=Agreement.objects.all(), user=ministry_user).qs
        assert list(found) == [many_agreements[needle]], q


def test_a_search_within_the_users_regions_reads_the_trigram_indexes_too(client, blm_user, many_agreements):
    sent = searches_sent(client, blm_user, reverse("agreements:agreement_list"), q="jejangkit")

    for index in SEARCH_INDEXES:
        assert_searched_through(index, "agreements_agreement", sent)
