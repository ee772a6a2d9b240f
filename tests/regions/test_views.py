"""The region browser: /wilayah/ and the province → regency → district → village pages."""

import csv
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

LEVEL_PATHS = {"provinsi": "province", "kabupaten": "regency", "kecamatan": "district", "desa": "village"}


def page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, url
    return response


def table_codes(response, level):
    """The codes of the regions linked from the page's table (not from the breadcrumbs)."""
    html = response.content.decode()
    table = html[html.index('<div id="region-table">') :]
    return sorted(set(re.findall(rf'href="/wilayah/{level}/([\d.]+)/"', table)))


def breadcrumbs(response):
    html = response.content.decode()
    trail = html[html.index('<ol class="breadcrumb">') :]
    trail = trail[: trail.index("</ol>")]
    items = re.findall(r'<li class="breadcrumb-item[^"]*"[^>]*>(.*?)</li>', trail, flags=re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]


def exported_rows(response, export_format):
    """The data rows of a CSV or XLSX export (header left out)."""
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["Kode", "Nama"]
    return rows[1:]


def test_the_index_lists_the_provinces_in_the_users_scope(client, blm_user):
    response = page(client, blm_user, "/wilayah/")

    content = response.content.decode()
    assert table_codes(response, "provinsi") == ["62", "63"]
    assert "Kalimantan Selatan" in content
    assert "Kalimantan Tengah" in content
    assert "Aceh" not in content
    assert "2 wilayah" in content


def test_a_national_user_sees_every_province(client, ministry_user):
    response = page(client, ministry_user, "/wilayah/")

    assert len(table_codes(response, "provinsi")) == 38
    assert "38 wilayah" in response.content.decode()


def test_a_search_by_name_finds_villages_in_scope(client, blm_user):
    response = page(client, blm_user, "/wilayah/?q=anjir")

    content = response.content.decode()
    codes = table_codes(response, "desa")
    assert {"63.04.03.2003", "63.04.03.2007", "63.04.03.2011"} <= set(codes)
    assert "Anjir Pasar Kota" in content
    assert "Anjir Pasar Lama" in content
    assert all(code[:2] in {"62", "63"} for code in codes)
    assert "Desa/kelurahan yang cocok dengan pencarian" in content


def test_a_search_never_shows_villages_outside_the_scope(client, other_pemda_user):
    response = page(client, other_pemda_user, "/wilayah/?q=anjir")

    assert table_codes(response, "desa") == []
    assert "Tidak ada wilayah yang cocok." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("63.04.03", [f"63.04.03.{number}" for number in range(2001, 2016)]),
        ("630403", [f"63.04.03.{number}" for number in range(2001, 2016)]),
        ("6304032001", ["63.04.03.2001"]),
        ("63.04.03.2001", ["63.04.03.2001"]),
    ],
)
def test_a_search_by_code_works_with_or_without_dots(client, blm_user, query, expected):
    response = page(client, blm_user, f"/wilayah/?q={query}")

    assert table_codes(response, "desa") == expected


@pytest.mark.parametrize(
    ("url", "trail", "heading", "child_level", "children"),
    [
        (
            "/wilayah/provinsi/63/",
            ["Beranda", "Wilayah", "Kalimantan Selatan"],
            "Kabupaten/kota",
            "kabupaten",
            {"63.01", "63.04", "63.71", "63.72"},
        ),
        (
            "/wilayah/kabupaten/63.04/",
            ["Beranda", "Wilayah", "Kalimantan Selatan", "Kabupaten Barito Kuala"],
            "Kecamatan",
            "kecamatan",
            {f"63.04.{number:02}" for number in range(1, 18)},
        ),
        (
            "/wilayah/kecamatan/63.04.03/",
            ["Beranda", "Wilayah", "Kalimantan Selatan", "Kabupaten Barito Kuala", "Anjir Pasar"],
            "Desa/kelurahan",
            "desa",
            {f"63.04.03.{number}" for number in range(2001, 2016)},
        ),
    ],
)
def test_a_region_page_shows_its_breadcrumbs_and_children(client, blm_user, url, trail, heading, child_level, children):
    response = page(client, blm_user, url)

    assert breadcrumbs(response) == trail
    assert f'<h2 class="h5">{heading}</h2>' in response.content.decode()
    assert children <= set(table_codes(response, child_level))


def test_a_province_page_lists_only_the_regencies_in_scope(client, pemda_user):
    response = page(client, pemda_user, "/wilayah/provinsi/63/")

    assert table_codes(response, "kabupaten") == ["63.04"]


def test_a_district_page_lists_its_villages_with_their_kind(client, blm_user):
    response = page(client, blm_user, "/wilayah/kecamatan/63.04.03/")

    content = response.content.decode()
    assert len(table_codes(response, "desa")) == 15
    assert "15 wilayah" in content
    assert "Andaman" in content
    assert "<td >Desa</td>" in content


def test_a_village_page_shows_its_place_in_the_hierarchy(client, pemda_user):
    response = page(client, pemda_user, "/wilayah/desa/63.04.03.2001/")

    content = response.content.decode()
    assert breadcrumbs(response) == [
        "Beranda",
        "Wilayah",
        "Kalimantan Selatan",
        "Kabupaten Barito Kuala",
        "Anjir Pasar",
        "Andaman",
    ]
    assert "Desa Andaman" in content
    assert "Kode Kemendagri" in content


@pytest.mark.parametrize(
    "url",
    [
        "/wilayah/provinsi/63/",
        "/wilayah/kabupaten/63.04/",
        "/wilayah/kecamatan/63.04.03/",
        "/wilayah/desa/63.04.03.2001/",
        "/wilayah/kecamatan/63.04.03/?_export=csv",
        "/wilayah/kabupaten/63.04/?_export=xlsx",
    ],
)
def test_an_official_of_another_regency_gets_404_on_barito_kuala_pages(client, other_pemda_user, url):
    response = page(client, other_pemda_user, url, status=404)

    assert "Barito Kuala" not in response.content.decode()


def test_an_official_gets_404_on_the_neighbouring_regency(client, pemda_user):
    page(client, pemda_user, "/wilayah/kabupaten/63.03/", status=404)
    page(client, pemda_user, "/wilayah/desa/63.01.03.1001/", status=404)


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client):
    response = client.get("/wilayah/kecamatan/63.04.03/")

    assert response.status_code == 302
    assert response.url.startswith("/akun/masuk/")


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_district_export_has_every_village_not_only_the_first_page(client, ministry_user, export_format):
    # Kecamatan Lhoksukon (Aceh Utara) has 75 villages, more than one page of 50.
    response = page(client, ministry_user, f"/wilayah/kecamatan/11.08.04/?_export={export_format}")

    rows = exported_rows(response, export_format)
    assert len(rows) == 75
    assert len({row[0] for row in rows}) == 75
    assert all(row[0].startswith("11.08.04.") for row in rows)
    assert f'filename="wilayah-11.08.04.{export_format}"' in response["Content-Disposition"]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_search_export_has_every_matching_village_in_scope(client, blm_user, export_format):
    response = page(client, blm_user, f"/wilayah/?q=63.04&_export={export_format}")

    rows = exported_rows(response, export_format)
    assert len(rows) == 201  # every village of Kabupaten Barito Kuala
    assert all(row[0].startswith("63.04.") for row in rows)


def test_the_second_page_shows_the_rest_of_a_district(client, ministry_user):
    first = table_codes(page(client, ministry_user, "/wilayah/kecamatan/11.08.04/"), "desa")
    second = table_codes(page(client, ministry_user, "/wilayah/kecamatan/11.08.04/?page=2"), "desa")

    assert (len(first), len(second)) == (50, 25)
    assert not set(first) & set(second)


def test_the_second_page_of_a_search_shows_the_rest(client, blm_user):
    first = table_codes(page(client, blm_user, "/wilayah/?q=63.04"), "desa")
    second = table_codes(page(client, blm_user, "/wilayah/?q=63.04&page=2"), "desa")

    assert (len(first), len(second)) == (50, 50)
    assert not set(first) & set(second)


def count_queries(client, url):
    """(queries but COUNTs, COUNTs) of a page: a list longer than a page counts its rows once, one that
    fits on its first page needs no COUNT (percontohan.tables.KeysFirstPaginator)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    counts = [query for query in queries.captured_queries if query["sql"].startswith("SELECT COUNT(")]
    return len(queries) - len(counts), len(counts)


@pytest.mark.parametrize(
    ("few", "many"),
    [
        ("/wilayah/?q=jejangkit", "/wilayah/?q=63.04"),  # 4 and 201 villages
        ("/wilayah/provinsi/31/", "/wilayah/provinsi/35/"),  # 6 and 38 regencies
        ("/wilayah/kabupaten/63.72/", "/wilayah/kabupaten/63.04/"),  # 5 and 17 districts
        ("/wilayah/kecamatan/63.04.17/", "/wilayah/kecamatan/11.08.04/"),  # 7 and 75 villages
        ("/wilayah/desa/63.04.17.2002/", "/wilayah/desa/11.08.04.2001/"),
    ],
)
def test_a_region_page_runs_as_many_queries_for_many_rows_as_for_few(client, admin_user, few, many):
    client.force_login(admin_user)
    client.get("/wilayah/")  # warm up the session and caches

    (few_queries, few_counts), (many_queries, many_counts) = count_queries(client, few), count_queries(client, many)
    assert few_queries == many_queries
    assert few_counts <= many_counts <= 1


def test_the_index_runs_a_fixed_number_of_queries(client, blm_user, django_assert_max_num_queries):
    client.force_login(blm_user)
    client.get("/wilayah/")

    with django_assert_max_num_queries(12):
        client.get("/wilayah/?q=63.04")
