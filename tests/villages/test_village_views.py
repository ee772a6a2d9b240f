"""The village page (/wilayah/desa/<code>/), the village list (/desa/) and the map of pilot villages (/peta/)."""

import csv
import html
import io
import json
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions.models import Village
from tests.villages.factories_village import area, blm_banjarmasin, geo, idm, idm_score, pilot, square
from villages import insights, services
from villages.models import IndexScheme, IndexScore, PilotStatus

ANDAMAN = "63.04.03.2001"  # Kecamatan Anjir Pasar, Kabupaten Barito Kuala
SAMPURNA = "63.04.17.2001"  # Kecamatan Jejangkit
CAHAYA_BARU = "63.04.17.2005"
KUPANG_BERSIH = "62.13.06.2003"  # Kalimantan Tengah: IDM 2024 published as BERKEMBANG, 0,741 is MAJU


def get(client, user, url, status=200, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == status, url
    return response


def text(response):
    """The page's text without tags and with whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


def section(response, heading_id):
    html = response.content.decode()
    start = html.index(f'id="{heading_id}"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start : html.index("</section>", start)]))


def andaman_scores():
    # The official IDM of Desa Andaman (idm_barito_kuala_2023_2024.csv).
    idm_score(ANDAMAN, 2023, "0.7143", "0.5833", "0.8667", value="0.7214", published="MAJU")
    idm_score(ANDAMAN, 2024, "0.7143", "0.6667", "0.8667", value="0.7492", published="MAJU")


# --- The village page ------------------------------------------------------


def test_the_village_page_shows_its_hierarchy_and_kind(client, pemda_user):
    response = get(client, pemda_user, f"/wilayah/desa/{ANDAMAN}/")

    html = response.content.decode()
    trail = html[html.index('<ol class="breadcrumb">') : html.index("</ol>")]
    assert [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", trail, re.S)] == [
        "Beranda",
        "Wilayah",
        "Kalimantan Selatan",
        "Kabupaten Barito Kuala",
        "Anjir Pasar",
        "Andaman",
    ]
    identity = section(response, "identity-heading")
    assert "Kode Kemendagri 63.04.03.2001" in identity
    assert "Jenis Desa" in identity
    assert "Kecamatan Anjir Pasar" in identity
    assert 'href="/wilayah/kecamatan/63.04.03/"' in html


def test_a_kelurahan_is_called_a_kelurahan(client, pemda_user):
    response = get(client, pemda_user, "/wilayah/desa/63.04.05.1001/")

    assert "Kelurahan Berangas Barat" in text(response)


def test_the_village_page_lists_its_programme_areas_with_their_dates(client, pemda_user):
    rural = area("Kawasan Perdesaan Anjir Pasar")
    old = area("Kawasan Perdesaan Lama")
    services.area_add_village(area=rural, village=Village.objects.get(code=ANDAMAN), valid_from=date(2020, 3, 10))
    services.area_add_village(
        area=old, village=Village.objects.get(code=ANDAMAN), valid_from=date(2015, 1, 1), valid_to=date(2019, 12, 31)
    )

    areas = section(get(client, pemda_user, f"/wilayah/desa/{ANDAMAN}/"), "areas-heading")

    assert "Kawasan Perdesaan Anjir Pasar berlaku Kawasan perdesaan · 10 Maret 2020 – sekarang" in areas
    assert "Kawasan Perdesaan Lama Kawasan perdesaan · 1 Januari 2015 – 31 Desember 2019" in areas


def test_the_index_table_shows_the_imported_scores_of_every_year(client, pemda_user):
    andaman_scores()

    response = get(client, pemda_user, f"/wilayah/desa/{ANDAMAN}/")

    html = response.content.decode()
    table = html[html.index('class="table table-sm table-hover align-middle index-table"') :]
    rows = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tr>(.*?)</tr>", table[: table.index("</table>")], re.S)
    ]
    assert rows[1:] == [
        "2024 0,7492 0,7143 0,6667 0,8667 Maju Maju",
        "2023 0,7214 0,7143 0,5833 0,8667 Maju Maju",
    ]
    assert "IDM IKS IKE IKL Status (dihitung) Status (terbit)" in rows[0]


def test_the_gap_to_the_next_status_is_measured_from_the_latest_score(client, pemda_user):
    andaman_scores()

    page = text(get(client, pemda_user, f"/wilayah/desa/{ANDAMAN}/"))

    # 2024: 0,7492 is Maju (≤ 0,8155); Mandiri starts above 0,8155.
    assert "Untuk mencapai status Mandiri , IDM (0,7492) harus naik melewati 0,8155 : kurang 0,0663 ." in page
    assert "IKS 0,7143 0,1012" in page
    assert "IKE 0,6667 0,1488" in page
    assert "IKL 0,8667 sudah di atas ambang" in page


def test_the_gap_is_the_distance_to_the_upper_bound_of_the_current_status(db):
    scheme = idm()
    statuses = list(scheme.statuses.all())
    score = IndexScore(
        scheme=scheme,
        value=Decimal("0.7105"),
        components={"iks": "0.7500", "ike": "0.5500", "ikl": "0.8315"},
    )

    gap = insights.status_gap(score, statuses, list(scheme.components.all()))

    assert (gap.status.code, gap.next_status.code) == ("maju", "mandiri")
    assert gap.threshold == Decimal("0.8155")
    assert gap.gap == Decimal("0.1050")
    assert [(c.code, c.gap) for c in gap.components] == [
        ("IKS", Decimal("0.0655")),
        ("IKE", Decimal("0.2655")),
        ("IKL", Decimal("0")),
    ]


def test_a_village_in_the_top_status_has_no_next_threshold(client, pemda_user):
    idm_score(SAMPURNA, 2024, "0.8229", "0.7167", "0.9333", value="0.8243", published="MANDIRI")

    page = text(get(client, pemda_user, f"/wilayah/desa/{SAMPURNA}/"))

    assert "Status tertinggi (Mandiri) sudah tercapai." in page
    assert "harus naik melewati" not in page


def test_the_chart_gets_the_index_and_its_components_per_year(client, pemda_user):
    andaman_scores()

    html = get(client, pemda_user, f"/wilayah/desa/{ANDAMAN}/").content.decode()

    raw = re.search(r'<script id="index-chart-idm" type="application/json">(.*?)</script>', html, re.S).group(1)
    chart = json.loads(raw)
    assert chart["labels"] == [2023, 2024]
    assert [(s["label"], s["values"]) for s in chart["series"]] == [
        ("IDM", [0.7214, 0.7492]),
        ("IKS", [0.7143, 0.7143]),
        ("IKE", [0.5833, 0.6667]),
        ("IKL", [0.8667, 0.8667]),
    ]
    assert [(t["label"], t["value"]) for t in chart["thresholds"]] == [
        ("Tertinggal", 0.4907),
        ("Berkembang", 0.5989),
        ("Maju", 0.7072),
        ("Mandiri", 0.8155),
    ]
    assert 'data-index-chart="index-chart-idm"' in html


def test_the_page_keeps_to_the_content_security_policy(client, pemda_user):
    andaman_scores()
    geo(ANDAMAN, "-3.1468", "114.7236", boundary=square("114.7236", "-3.1468"))

    response = get(client, pemda_user, f"/wilayah/desa/{ANDAMAN}/")

    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script([^>]*)>", html)
    for attributes in scripts:
        assert 'type="application/json"' in attributes or f'nonce="{nonce}"' in attributes, attributes
        assert "src=" in attributes or 'type="application/json"' in attributes, "inline script"
    assert "/static/js/village_chart.js" in html
    assert "/static/js/village_map.js" in html
    assert "style=" not in html


def test_a_published_status_that_disagrees_with_the_thresholds_is_flagged(client, blm_user):
    # The one row of the national IDM 2024 file whose published status disagrees.
    idm_score(KUPANG_BERSIH, 2024, "0.7714", "0.7084", "0.7433", value="0.741", published="BERKEMBANG")

    response = get(client, blm_user, f"/wilayah/desa/{KUPANG_BERSIH}/")

    page = text(response)
    assert "2024 0,7410 0,7714 0,7084 0,7433 Maju Berkembang Berbeda" in page
    assert "Status terbit: Berkembang Berbeda" in page


def test_agreeing_statuses_get_no_badge(client, pemda_user):
    andaman_scores()

    assert "Berbeda" not in text(get(client, pemda_user, f"/wilayah/desa/{ANDAMAN}/"))


def test_the_page_shows_the_pilot_status_and_its_history(client, pemda_user):
    designation = pilot(ANDAMAN, PilotStatus.DESIGNATED, area=area())

    page = section(get(client, pemda_user, f"/wilayah/desa/{ANDAMAN}/"), "pilot-heading")

    assert "Periode 2020–2024 Ditetapkan" in page
    assert "BLM penanggung jawab BLM Banjarmasin" in page
    assert "Kawasan Kawasan Perdesaan Anjir Pasar" in page
    assert "baru → Calon" in page
    assert "Calon → Sudah dinilai" in page
    assert "Sudah dinilai → Ditetapkan" in page
    assert "Diusulkan dalam rapat koordinasi" in page
    assert designation.transitions.count() == 3


def test_the_map_shows_the_point_and_boundary_when_they_are_known(client, pemda_user):
    andaman_scores()
    geo(ANDAMAN, "-3.1468", "114.7236", boundary={"type": "Feature", "geometry": square("114.7236", "-3.1468")})

    html = get(client, pemda_user, f"/wilayah/desa/{ANDAMAN}/").content.decode()

    data = json.loads(re.search(r'<script id="village-map-data" type="application/json">(.*?)</script>', html).group(1))
    assert data["point"] == [-3.1468, 114.7236]
    assert data["boundary"]["type"] == "Polygon"
    assert data["color"] == "#20c997"  # Maju
    assert "Lokasi belum diketahui" not in html


def test_the_map_adds_the_tile_layer_when_one_is_configured(client, pemda_user, settings):
    settings.MAP_TILE_URL = "https://peta.example.go.id/{z}/{x}/{y}.png"
    geo(ANDAMAN, "-3.1468", "114.7236")

    html = get(client, pemda_user, f"/wilayah/desa/{ANDAMAN}/").content.decode()

    data = json.loads(re.search(r'<script id="village-map-data" type="application/json">(.*?)</script>', html).group(1))
    assert data["tileUrl"] == "https://peta.example.go.id/{z}/{x}/{y}.png"
    assert data["boundary"] is None


def test_a_village_without_coordinates_says_its_location_is_unknown(client, pemda_user):
    html = get(client, pemda_user, f"/wilayah/desa/{ANDAMAN}/").content.decode()

    assert "Lokasi belum diketahui" in html
    assert "village-map-data" not in html
    assert "leaflet.js" not in html


def test_an_official_of_another_regency_gets_404_on_the_village_page(client, other_pemda_user):
    andaman_scores()
    pilot(ANDAMAN)

    response = get(client, other_pemda_user, f"/wilayah/desa/{ANDAMAN}/", status=404)

    assert "Andaman" not in response.content.decode()


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        response.getvalue()  # an export reads its rows while it streams
    assert response.status_code == 200, url
    return len(queries)


def test_a_village_scored_in_two_schemes_shows_each_with_its_own_components_and_statuses(client, pemda_user):
    # The Indeks Desa of Permendesa 9/2024 beside the IDM, entered as data.
    andaman_scores()
    other = IndexScheme.objects.create(code="indeks-desa", name="Indeks Desa", value_min=0, value_max=100)
    other.components.create(code="sosial", name="Sosial", order=1)
    bands = [("tertinggal", 40, "#d9480f"), ("berkembang", 60, "#f59f00"), ("maju", None, "#2f9e44")]
    for order, (code, bound, color) in enumerate(bands, start=1):
        other.statuses.create(code=code, name=code.upper(), upper_bound=bound, order=order, color=color)
    IndexScore.objects.create(
        village_id=ANDAMAN,
        scheme=other,
        year=2024,
        value=Decimal("55.10"),
        components={"sosial": "61.2"},
        status=other.statuses.get(code="berkembang"),
    )

    trends = get(client, pemda_user, f"/wilayah/desa/{ANDAMAN}/").context["trends"]

    assert [trend.scheme.code for trend in trends] == ["idm", "indeks-desa"]
    idm_trend, other_trend = trends
    assert [c.code for c in idm_trend.components] == ["iks", "ike", "ikl"]
    assert [s.code for s in idm_trend.statuses] == [s.code for s in idm().statuses.all()]
    assert [(score.year, score.value) for score in idm_trend.scores] == [
        (2023, Decimal("0.7214")),
        (2024, Decimal("0.7492")),
    ]
    assert [c.code for c in other_trend.components] == ["sosial"]
    assert [s.code for s in other_trend.statuses] == ["tertinggal", "berkembang", "maju"]
    assert other_trend.latest.component_values == [Decimal("61.2")]
    assert other_trend.gap.next_status.code == "maju"


def test_the_village_page_runs_as_many_queries_with_much_data_as_with_little(client, blm_user):
    client.force_login(blm_user)
    idm_score(ANDAMAN, 2024, "0.7143", "0.6667", "0.8667")
    pilot(ANDAMAN, period_start=2015)
    rural = area()
    services.area_add_village(area=rural, village=Village.objects.get(code=ANDAMAN), valid_from=date(2020, 1, 1))
    geo(ANDAMAN, "-3.1468", "114.7236")
    client.get("/")
    few = count_queries(client, f"/wilayah/desa/{ANDAMAN}/")

    for year in range(2018, 2024):
        idm_score(ANDAMAN, year, "0.7", "0.6", "0.8")
    pilot(ANDAMAN, PilotStatus.GRADUATED, period_start=2020)
    for index in range(3):
        services.area_add_village(
            area=area(f"Kawasan Uji {index}"),
            village=Village.objects.get(code=ANDAMAN),
            valid_from=date(2021, 1, 1),
        )

    assert count_queries(client, f"/wilayah/desa/{ANDAMAN}/") == few


# --- The village list ------------------------------------------------------


def list_codes(response):
    html = response.content.decode()
    table = html[html.index('<div id="table">') :]
    return re.findall(r'<td class="[^"]*font-monospace[^"]*"[^>]*><a href="/wilayah/desa/([\d.]+)/"', table)


def list_rows(response):
    html = response.content.decode()
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def exported(response, export_format):
    if export_format == "csv":
        return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_the_list_shows_each_village_with_its_place_pilot_status_and_index(client, pemda_user):
    andaman_scores()
    pilot(ANDAMAN, PilotStatus.DESIGNATED)

    response = get(client, pemda_user, "/desa/", q=ANDAMAN)

    assert list_rows(response) == [
        "63.04.03.2001 Andaman Desa Anjir Pasar Kabupaten Barito Kuala Kalimantan Selatan Ditetapkan 0,7492 Maju"
    ]
    assert "IDM 2024" in text(response)


@pytest.mark.parametrize(
    ("sort", "path"),
    [
        ("district", "district__name"),
        ("-regency", "-district__regency__name"),
        ("province", "district__regency__province__name"),
    ],
)
def test_each_row_names_its_own_kecamatan_regency_and_province_and_sorts_by_them(client, ministry_user, sort, path):
    """The names are read by subqueries (VillageQuerySet.with_region_names), and sorted through the relation."""
    response = get(client, ministry_user, "/desa/", sort=sort, per_page=100)

    rows = [row.record for row in response.context["table"].paginated_rows]
    assert [row.code for row in rows] == list(
        Village.objects.order_by(path, "code").values_list("code", flat=True)[:100]
    )
    villages = Village.objects.select_related("district__regency__province").in_bulk([row.code for row in rows])
    for row, shown in zip(rows, list_rows(response), strict=True):
        district = villages[row.code].district
        names = (district.name, district.regency.name, district.regency.province.name)
        assert (row.district_name, row.regency_name, row.province_name) == names
        assert " ".join(names) in html.unescape(shown)


def select_of(html, name):
    """The <select> of a filter and the values of its options."""
    select = re.search(rf'<select name="{name}"([^>]*)>(.*?)</select>', html, re.S)
    return select.group(1), re.findall(r'<option value="([^"]*)"', select.group(2))


def test_a_filter_change_refreshes_only_the_filters_and_the_table(client, blm_user):
    client.force_login(blm_user)

    response = client.get("/desa/", {"province": "63"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="table">')
    assert "<html" not in html
    assert select_of(html, "province")[1] == ["", "63"]
    # The regency picker now searches Kalimantan Selatan's regencies, as the user types.
    attrs, options = select_of(html, "regency")
    assert options == [""]
    assert 'data-search-url="/wilayah/cari/kabupaten/"' in attrs
    assert "data-search-within" in attrs and "&quot;provinsi&quot;: &quot;province&quot;" in attrs


def test_the_list_holds_only_villages_in_scope(client, pemda_user):
    response = get(client, pemda_user, "/desa/")

    assert "201 desa" in text(response)
    assert all(code.startswith("63.04.") for code in list_codes(response))


def test_the_index_year_defaults_to_the_latest_and_can_be_chosen(client, pemda_user):
    andaman_scores()

    latest = get(client, pemda_user, "/desa/", q=ANDAMAN)
    earlier = get(client, pemda_user, "/desa/", q=ANDAMAN, year="2023")

    assert list_rows(latest)[0].endswith("0,7492 Maju")
    assert list_rows(earlier)[0].endswith("0,7214 Maju")
    assert "IDM 2023" in text(earlier)
    assert '<option value="2024" selected>2024</option>' in latest.content.decode()


def test_a_search_finds_villages_by_name_or_by_code(client, pemda_user):
    by_name = get(client, pemda_user, "/desa/", q="jejangkit")
    by_code = get(client, pemda_user, "/desa/", q="63.04.17")
    without_dots = get(client, pemda_user, "/desa/", q="63041720")

    assert list_codes(by_name) == ["63.04.17.2002", "63.04.17.2004", "63.04.17.2006", "63.04.17.2007"]
    assert len(list_codes(by_code)) == 7
    assert list_codes(without_dots) == list_codes(by_code)


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"district": "63.04.17"}, [f"63.04.17.200{n}" for n in range(1, 8)]),
        (
            {"regency": "63.04", "kind": "1"},
            ["63.04.05.1001", "63.04.05.1002", "63.04.05.1003", "63.04.10.1001", "63.04.15.1001", "63.04.15.1002"],
        ),
        ({"district": "63.04.17", "pilot_status": "ditetapkan"}, [SAMPURNA]),
        ({"district": "63.04.17", "pilot_status": "calon"}, [CAHAYA_BARU]),
        ({"district": "63.04.17", "index_status": "mandiri"}, [SAMPURNA]),
        ({"district": "63.04.17", "index_status": "maju"}, [CAHAYA_BARU]),
        ({"district": "63.04.17", "index_status": "maju", "year": "2023"}, [SAMPURNA, CAHAYA_BARU]),
    ],
)
def test_the_filters_narrow_the_list(client, pemda_user, params, codes):
    idm_score(SAMPURNA, 2023, "0.7829", "0.5167", "0.8667", value="0.7221")
    idm_score(SAMPURNA, 2024, "0.8229", "0.7167", "0.9333", value="0.8243")
    idm_score(CAHAYA_BARU, 2023, "0.7714", "0.6167", "0.8667", value="0.7516")
    # Not the official 2024 value (0,8205): a Maju score to tell the statuses apart.
    idm_score(CAHAYA_BARU, 2024, "0.7714", "0.6167", "0.8667", value="0.7516")
    pilot(SAMPURNA, PilotStatus.DESIGNATED)
    pilot(CAHAYA_BARU)

    assert list_codes(get(client, pemda_user, "/desa/", **params)) == codes


def test_the_none_choices_find_villages_without_designation_or_score(client, pemda_user):
    idm_score(SAMPURNA, 2024, "0.8229", "0.7167", "0.9333")
    pilot(SAMPURNA, PilotStatus.DESIGNATED)

    no_pilot = list_codes(get(client, pemda_user, "/desa/", district="63.04.17", pilot_status="-"))
    no_score = list_codes(get(client, pemda_user, "/desa/", district="63.04.17", index_status="-"))

    assert SAMPURNA not in no_pilot
    assert len(no_pilot) == 6
    assert SAMPURNA not in no_score
    assert len(no_score) == 6


def test_the_area_filter_lists_the_areas_members(client, pemda_user):
    ktm = area("KTM Cahaya Baru", kind="ktm")
    for code in (SAMPURNA, CAHAYA_BARU):
        services.area_add_village(area=ktm, village=Village.objects.get(code=code), valid_from=date(2020, 3, 10))

    assert list_codes(get(client, pemda_user, "/desa/", area=ktm.pk)) == [SAMPURNA, CAHAYA_BARU]


def test_the_list_sorts_by_index_value(client, pemda_user):
    idm_score(SAMPURNA, 2024, "0.8229", "0.7167", "0.9333", value="0.8243")
    idm_score(CAHAYA_BARU, 2024, "0.8114", "0.65", "1", value="0.8205")
    idm_score("63.04.17.2003", 2024, "0.7657", "0.6167", "0.8", value="0.7275")

    ascending = list_codes(get(client, pemda_user, "/desa/", district="63.04.17", sort="index_value"))
    descending = list_codes(get(client, pemda_user, "/desa/", district="63.04.17", sort="-index_value"))

    assert ascending[:3] == ["63.04.17.2003", CAHAYA_BARU, SAMPURNA]
    assert descending[:3] == [SAMPURNA, CAHAYA_BARU, "63.04.17.2003"]
    by_name = list_codes(get(client, pemda_user, "/desa/", district="63.04.17", sort="name"))
    assert by_name[0] == "63.04.17.2003"  # Bahandang


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_has_every_filtered_row_not_only_the_first_page(client, pemda_user, export_format):
    andaman_scores()
    pilot(ANDAMAN, PilotStatus.DESIGNATED)

    response = get(client, pemda_user, "/desa/", regency="63.04", _export=export_format)

    rows = exported(response, export_format)
    assert rows[0] == [
        "Kode",
        "Nama",
        "Jenis",
        "Kecamatan",
        "Kabupaten/kota",
        "Provinsi",
        "Status percontohan",
        "IDM 2024",
        "Status IDM 2024",
    ]
    assert len(rows) == 202  # every village of Barito Kuala
    andaman = next(row for row in rows if row[0] == ANDAMAN)
    assert andaman == [
        ANDAMAN,
        "Andaman",
        "Desa",
        "Anjir Pasar",
        "Kabupaten Barito Kuala",
        "Kalimantan Selatan",
        "Ditetapkan",
        "0.7492",
        "Maju",
    ]
    assert f'filename="desa-2024.{export_format}"' in response["Content-Disposition"]


def test_the_export_follows_the_filters(client, pemda_user):
    rows = exported(get(client, pemda_user, "/desa/", district="63.04.17", _export="csv"), "csv")

    assert [row[0] for row in rows[1:]] == [f"63.04.17.200{n}" for n in range(1, 8)]


def test_the_region_filters_carry_no_list_of_regions_only_the_chosen_one(client, ministry_user):
    untouched = get(client, ministry_user, "/desa/").content.decode()
    chosen = get(client, ministry_user, "/desa/", regency="63.04", district="63.04.17").content.decode()

    for name in ("province", "regency", "district"):
        assert select_of(untouched, name)[1] == [""]
    assert select_of(chosen, "province")[1] == [""]
    assert select_of(chosen, "regency")[1] == ["", "63.04"]
    assert '<option value="63.04" selected>Kabupaten Barito Kuala (63.04)</option>' in chosen
    assert '<option value="63.04.17" selected>Jejangkit — Kabupaten Barito Kuala (63.04.17)</option>' in chosen
    # Without JavaScript the page says how else to narrow the list.
    assert "<noscript>" in untouched and "ketik kode wilayah (mis. 63.04) di kotak pencarian" in untouched


def test_the_kecamatan_picker_searches_within_the_chosen_province_and_regency(client, blm_user):
    attrs, _options = select_of(get(client, blm_user, "/desa/").content.decode(), "district")

    assert 'data-search-url="/wilayah/cari/kecamatan/"' in attrs
    assert "{&quot;provinsi&quot;: &quot;province&quot;, &quot;kabupaten&quot;: &quot;regency&quot;}" in attrs


@pytest.mark.parametrize("params", [{"regency": "11.01"}, {"province": "11"}, {"district": "11.01.01"}])
def test_a_region_outside_the_users_scope_is_a_form_error_and_lists_nothing(client, pemda_user, params):
    response = get(client, pemda_user, "/desa/", **params)

    assert "Masukkan pilihan yang valid" in text(response)
    assert list_codes(response) == []
    assert "Aceh Selatan" not in response.content.decode()


def test_a_garbled_region_code_is_a_form_error(client, pemda_user):
    response = get(client, pemda_user, "/desa/", regency="Barito" * 100)

    assert "Masukkan pilihan yang valid" in text(response)
    assert list_codes(response) == []
    assert select_of(response.content.decode(), "regency")[1] == [""]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_an_official_of_another_regency_exports_no_barito_kuala_row(client, other_pemda_user, export_format):
    andaman_scores()

    everything = exported(get(client, other_pemda_user, "/desa/", _export=export_format), export_format)
    searched = exported(get(client, other_pemda_user, "/desa/", q="63.04", _export=export_format), export_format)
    forced = exported(get(client, other_pemda_user, "/desa/", province="63", _export=export_format), export_format)

    assert everything[1:]
    assert all(row[0].startswith("11.01.") for row in everything[1:])
    assert searched[1:] == []
    assert forced[1:] == []


def test_an_official_of_another_regency_does_not_see_barito_kuala_in_the_list(client, other_pemda_user):
    response = get(client, other_pemda_user, "/desa/", q="Andaman")

    assert list_codes(response) == []
    assert "Barito Kuala" not in response.content.decode()


def grow_list_data():
    """Scores for two years, designations and area memberships for the villages of Kecamatan Anjir Pasar."""
    blm = blm_banjarmasin()
    rural = area()
    for index, village in enumerate(Village.objects.filter(district_id="63.04.03").exclude(code=ANDAMAN)):
        idm_score(village.code, 2023, "0.70", "0.60", "0.80")
        idm_score(village.code, 2024, "0.75", "0.65", "0.85")
        pilot(village.code, [PilotStatus.CANDIDATE, PilotStatus.DESIGNATED][index % 2], blm=blm, area=rural)
        services.area_add_village(area=rural, village=village, valid_from=date(2020, 3, 10))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"district": "63.04.03"},
        {"district": "63.04.03", "pilot_status": "ditetapkan", "index_status": "maju", "sort": "-index_value"},
        {"regency": "63.04", "_export": "csv"},
    ],
)
def test_the_list_runs_as_many_queries_with_much_data_as_with_little(client, blm_user, params):
    client.force_login(blm_user)
    idm_score(ANDAMAN, 2024, "0.7143", "0.6667", "0.8667", value="0.7492")
    pilot(ANDAMAN, PilotStatus.DESIGNATED)
    client.get("/")
    few = count_queries(client, "/desa/", params)

    grow_list_data()

    assert count_queries(client, "/desa/", params) == few


def test_a_longer_page_runs_as_many_queries_as_a_short_one(client, blm_user):
    client.force_login(blm_user)
    grow_list_data()
    client.get("/")

    # 7 and 15 villages.
    assert count_queries(client, "/desa/", {"district": "63.04.17"}) == count_queries(
        client, "/desa/", {"district": "63.04.03"}
    )


# --- The map ---------------------------------------------------------------


def map_features(client, user):
    client.force_login(user)
    response = client.get("/peta/desa.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return {feature["id"]: feature for feature in json.loads(response.content)["features"]}


def pilots_on_the_map():
    """Barito Kuala: Sampurna designated (Mandiri 2024), Cahaya Baru a candidate (no score), Andaman dropped;
    Kupang Bersih (Kalimantan Tengah) designated."""
    blm = blm_banjarmasin()
    idm_score(SAMPURNA, 2023, "0.7829", "0.5167", "0.8667", value="0.7221")
    idm_score(SAMPURNA, 2024, "0.8229", "0.7167", "0.9333", value="0.8243")
    pilot(SAMPURNA, PilotStatus.DESIGNATED, blm=blm)
    geo(SAMPURNA, "-3.0952", "114.6401", boundary=square("114.6401", "-3.0952"))
    pilot(CAHAYA_BARU, blm=blm)
    geo(CAHAYA_BARU, "-3.1101", "114.6605")
    pilot(ANDAMAN, PilotStatus.DROPPED, blm=blm)
    geo(ANDAMAN, "-3.1468", "114.7236")
    idm_score(KUPANG_BERSIH, 2024, "0.7714", "0.7084", "0.7433", value="0.741", published="BERKEMBANG")
    pilot(KUPANG_BERSIH, PilotStatus.DESIGNATED, blm=blm)
    geo(KUPANG_BERSIH, "-2.2000", "113.9000")


def test_the_map_data_holds_the_pilot_and_candidate_villages_in_scope_with_their_colours(client, pemda_user):
    pilots_on_the_map()

    features = map_features(client, pemda_user)

    assert set(features) == {SAMPURNA, CAHAYA_BARU}  # not the dropped one, not Kalimantan Tengah
    sampurna = features[SAMPURNA]
    assert sampurna["properties"]["color"] == "#198754"  # Mandiri, the latest year
    assert sampurna["properties"]["status"] == "Mandiri"
    assert sampurna["properties"]["value"] == 0.8243
    assert sampurna["properties"]["value_display"] == "0,8243"
    assert sampurna["properties"]["url"] == f"/wilayah/desa/{SAMPURNA}/"
    assert sampurna["properties"]["pilot_status"] == "Ditetapkan"
    assert [g["type"] for g in sampurna["geometry"]["geometries"]] == ["Point", "Polygon"]
    assert sampurna["geometry"]["geometries"][0]["coordinates"] == [114.6401, -3.0952]
    cahaya = features[CAHAYA_BARU]
    assert cahaya["geometry"] == {"type": "Point", "coordinates": [114.6605, -3.1101]}
    assert cahaya["properties"]["color"] == insights.NO_SCORE_COLOR
    assert cahaya["properties"]["status"] == "Belum ada nilai"


def test_the_map_data_of_a_wider_scope_holds_more_villages(client, blm_user):
    pilots_on_the_map()

    features = map_features(client, blm_user)

    assert set(features) == {SAMPURNA, CAHAYA_BARU, KUPANG_BERSIH}
    assert features[KUPANG_BERSIH]["properties"]["color"] == "#20c997"  # Maju as computed, not as published


def test_an_official_of_another_regency_gets_no_barito_kuala_village_on_the_map(client, other_pemda_user):
    pilots_on_the_map()

    assert map_features(client, other_pemda_user) == {}
    page = get(client, other_pemda_user, "/peta/").content.decode()
    assert "Sampurna" not in page
    assert "Belum ada desa percontohan atau calon di wilayah Anda." in page


def test_the_map_page_lists_the_villages_with_a_legend(client, pemda_user):
    pilots_on_the_map()
    pilot("63.04.17.2003", blm=blm_banjarmasin())  # no location

    response = get(client, pemda_user, "/peta/")

    html = response.content.decode()
    page = text(response)
    assert "3 desa percontohan dan calon di wilayah Anda; 2 di antaranya sudah memiliki lokasi." in page
    assert "Sampurna 63.04.17.2001 Jejangkit Ditetapkan 0,8243 (2024) Mandiri Ada" in page
    assert "Bahandang 63.04.17.2003 Jejangkit Calon — Belum ada nilai Lokasi belum diketahui" in page
    legend = html[html.index('class="map-legend') : html.index("</ul>", html.index('class="map-legend'))]
    for color, label in [("#dc3545", "Sangat Tertinggal"), ("#198754", "Mandiri"), ("#6c757d", "Belum ada nilai")]:
        assert f'fill="{color}"' in legend
        assert label in legend
    assert 'data-villages-map="villages-map-config"' in html
    assert "/static/js/villages_map.js" in html
    assert "style=" not in html


@pytest.mark.parametrize("url", ["/peta/", "/peta/desa.geojson"])
def test_the_map_runs_as_many_queries_for_many_villages_as_for_few(client, blm_user, url):
    client.force_login(blm_user)
    idm_score(SAMPURNA, 2024, "0.8229", "0.7167", "0.9333")
    pilot(SAMPURNA)
    geo(SAMPURNA, "-3.0952", "114.6401")
    client.get("/")
    few = count_queries(client, url)

    pilots_on_the_map_extra = ["63.04.03.2002", "63.04.03.2003", "63.04.03.2004", "63.04.03.2005"]
    blm = blm_banjarmasin()
    for index, code in enumerate(pilots_on_the_map_extra):
        idm_score(code, 2024, "0.75", "0.65", "0.85")
        pilot(code, PilotStatus.DESIGNATED, blm=blm)
        geo(code, "-3.1", f"114.7{index}", boundary=square(f"114.7{index}", "-3.1"))

    assert count_queries(client, url) == few


@pytest.mark.parametrize("sort", ["index_value", "-index_value", "index_status", "-index_status"])
def test_the_list_sorts_by_the_index_before_any_score_is_imported(client, pemda_user, sort):
    """A fresh portal has the IDM scheme but no scores: sorting by its columns keeps the code order."""
    response = get(client, pemda_user, "/desa/", sort=sort)

    assert "201 desa" in text(response)
    codes = [row.record.code for row in response.context["table"].paginated_rows]
    assert codes == sorted(codes)
