"""The programme area list's `?q=` search — the area's name, its legal basis, its regency's name — can be
served by indexes, not only by reading every area.

`enable_seqscan` and `enable_indexscan` off (the regions tests' `index_whenever_usable`), not thousands of
rows: the programme has a few areas per regency it works in — hundreds at most — and on a table that size
PostgreSQL rightly reads it whole (a few pages) rather than probe the index for each of a score of keys,
so a test on realistic rows would assert the planner's arithmetic, not the query's shape. With those
scans forbidden, what is left is whether each branch of the search *can* use an index: the former
`name OR legal_basis OR regency.name` across a join could not, and read the table even then. The regencies
(514) are matched first, by reading them all — cheap — and their areas then found through the regency index.
"""

import pytest
from django.urls import reverse

from regions.models import District, Regency
from tests.regions.test_search_index import (
    assert_searched_through,
    index_whenever_usable,  # noqa: F401 — a fixture, used by pytestmark
    searches_sent,
)
from tests.villages.factories import ProgrammeAreaFactory
from villages.filters_programme import AreaFilter
from villages.models import AreaKind, ProgrammeArea

pytestmark = pytest.mark.usefixtures("index_whenever_usable")

INDEXES = ("programmearea_name_trgm", "programmearea_legal_basis_trgm")


@pytest.fixture
def areas(db):
    """Forty areas named after real kecamatan outside Kalimantan, and one needle for each thing searched."""
    districts = District.objects.exclude(regency__province__in=["62", "63"]).order_by("code")[:40]
    ProgrammeArea.objects.bulk_create(
        ProgrammeArea(
            name=f"Kawasan Perdesaan {district.name}",
            kind=AreaKind.RURAL,
            regency_id=district.regency_id,
            legal_basis=f"Keputusan Bupati Nomor {n:04d} Tahun {2015 + n % 10}",
        )
        for n, district in enumerate(districts)
    )
    return {
        "name": ProgrammeAreaFactory(name="Kawasan Transmigrasi Jejangkit", regency=Regency.objects.get(code="63.03")),
        "legal basis": ProgrammeAreaFactory(
            name="Kawasan Perdesaan Takisung",
            legal_basis="SK Bupati 188.45/072/KUM/2019",
            regency=Regency.objects.get(code="63.01"),
        ),
        "regency": ProgrammeAreaFactory(name="KTM Cahaya Baru", kind=AreaKind.KTM),  # in Barito Kuala
    }


@pytest.mark.parametrize(
    ("q", "needle"),
    [("jejangkit", "name"), ("188.45", "legal basis"), ("barito", "regency")],
)
def test_the_area_search_finds_each_field_through_an_index(client, ministry_user, areas, q, needle):
    sent = searches_sent(client, ministry_user, reverse("villages:area_list"), q=q)

    for index in INDEXES:
        assert_searched_through(index, "villages_programmearea", sent)
    found = AreaFilter({"q": q}, queryset=ProgrammeArea.objects.all(), user=ministry_user).qs
    assert list(found) == [areas[needle]]


def test_an_area_search_within_the_users_regions_reads_the_indexes_too(client, blm_user, areas):
    sent = searches_sent(client, blm_user, reverse("villages:area_list"), q="jejangkit")

    for index in INDEXES:
        assert_searched_through(index, "villages_programmearea", sent)
