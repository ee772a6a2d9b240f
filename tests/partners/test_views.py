"""Organisations: list (search, filters, export), detail, create and edit, each within the user's scope."""

import csv
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Organisation, OrganisationKind
from regions.models import Regency
from tests.factories import OrganisationFactory

LIST_URL = "/mitra/instansi/"
CREATE_URL = "/mitra/instansi/tambah/"


def aceh_selatan():
    return Regency.objects.get(code="11.01")


def listed_names(response):
    html = response.content.decode()
    table = html[html.index('<div id="table">') :]
    return re.findall(r'<a href="/mitra/instansi/\d+/">([^<]+)</a>', table)


def exported_rows(response, export_format):
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[1:]


@pytest.fixture
def organisations(db):
    """A district office in Barito Kuala, a BUMDes there, a ministry, a province office and one in Aceh."""
    return {
        "dinas": OrganisationFactory(name="Dinas PMD Kabupaten Barito Kuala", short_name="DPMD Batola"),
        "bumdes": OrganisationFactory(name="BUMDes Andaman Sejahtera", kind=OrganisationKind.BUMDES),
        "kementerian": OrganisationFactory(
            name="Kementerian Desa dan Pembangunan Daerah Tertinggal",
            short_name="Kemendes",
            kind=OrganisationKind.MINISTRY,
            regency=None,
            province=None,
        ),
        "kalteng": OrganisationFactory(name="Dinas PMD Kabupaten Kapuas", regency=Regency.objects.get(code="62.03")),
        "aceh": OrganisationFactory(name="Dinas PMD Kabupaten Aceh Selatan", regency=aceh_selatan()),
    }


def get(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, url
    return response


def test_the_list_shows_the_organisations_in_the_users_scope(client, blm_user, organisations):
    names = listed_names(get(client, blm_user, LIST_URL))

    assert "Dinas PMD Kabupaten Barito Kuala" in names
    assert "Dinas PMD Kabupaten Kapuas" in names
    assert "Kementerian Desa dan Pembangunan Daerah Tertinggal" in names
    assert "Dinas PMD Kabupaten Aceh Selatan" not in names


def test_an_official_sees_national_bodies_but_not_another_regencys_organisations(
    client, other_pemda_user, organisations
):
    names = listed_names(get(client, other_pemda_user, LIST_URL))

    assert sorted(names) == ["Dinas PMD Kabupaten Aceh Selatan", "Kementerian Desa dan Pembangunan Daerah Tertinggal"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=barito", ["Dinas PMD Kabupaten Barito Kuala"]),
        ("q=batola", ["Dinas PMD Kabupaten Barito Kuala"]),  # the short name
        ("kind=bumdes", ["BUMDes Andaman Sejahtera"]),
        ("province=62", ["Dinas PMD Kabupaten Kapuas"]),
        ("q=dinas&province=63", ["Dinas PMD Kabupaten Barito Kuala"]),
    ],
)
def test_the_list_can_be_searched_and_filtered(client, blm_user, organisations, query, expected):
    assert listed_names(get(client, blm_user, f"{LIST_URL}?{query}")) == expected


def test_a_province_outside_the_scope_cannot_be_used_as_a_filter(client, blm_user, organisations):
    response = get(client, blm_user, f"{LIST_URL}?province=11")

    assert "Dinas PMD Kabupaten Aceh Selatan" not in listed_names(response)
    assert "Masukkan pilihan yang valid" in response.content.decode()


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_has_every_filtered_row_not_only_the_first_page(client, blm_user, organisations, export_format):
    OrganisationFactory.create_batch(30, kind=OrganisationKind.BUMDES)
    page = get(client, blm_user, f"{LIST_URL}?kind=bumdes")
    assert len(listed_names(page)) == 25

    response = get(client, blm_user, f"{LIST_URL}?kind=bumdes&_export={export_format}")

    rows = exported_rows(response, export_format)
    assert len(rows) == 31
    assert "BUMDes Andaman Sejahtera" in {row[0] for row in rows}
    assert "Dinas PMD Kabupaten Barito Kuala" not in {row[0] for row in rows}
    assert f'filename="instansi.{export_format}"' in response["Content-Disposition"]


def test_the_export_never_includes_organisations_outside_the_scope(client, pemda_user, organisations):
    rows = exported_rows(get(client, pemda_user, f"{LIST_URL}?_export=csv"), "csv")

    names = {row[0] for row in rows}
    assert "Dinas PMD Kabupaten Barito Kuala" in names
    assert "Dinas PMD Kabupaten Kapuas" not in names
    assert "Dinas PMD Kabupaten Aceh Selatan" not in names


def test_the_detail_page_shows_the_organisation_and_its_history(client, pemda_user, organisations):
    dinas = organisations["dinas"]

    content = get(client, pemda_user, f"/mitra/instansi/{dinas.pk}/").content.decode()

    assert "Dinas PMD Kabupaten Barito Kuala" in content
    assert "Dinas/OPD" in content
    assert "Kabupaten Barito Kuala</a>, Kalimantan Selatan" in content
    assert "Riwayat perubahan" in content
    assert "Dibuat" in content
    assert f"/mitra/instansi/{dinas.pk}/ubah/" not in content  # an official reads, never edits


def test_a_national_body_shows_as_national(client, other_pemda_user, organisations):
    kementerian = organisations["kementerian"]

    content = get(client, other_pemda_user, f"/mitra/instansi/{kementerian.pk}/").content.decode()

    assert "Nasional" in content


def test_an_official_of_another_regency_gets_404_on_a_barito_kuala_organisation(
    client, other_pemda_user, organisations
):
    response = get(client, other_pemda_user, f"/mitra/instansi/{organisations['dinas'].pk}/", status=404)

    assert "Barito Kuala" not in response.content.decode()


def test_blm_staff_get_404_on_an_organisation_outside_their_area(client, blm_user, organisations):
    aceh = organisations["aceh"]

    get(client, blm_user, f"/mitra/instansi/{aceh.pk}/", status=404)
    get(client, blm_user, f"/mitra/instansi/{aceh.pk}/ubah/", status=404)
    response = client.post(f"/mitra/instansi/{aceh.pk}/ubah/", {"name": "Diubah", "kind": "dinas", "version": 1})
    assert response.status_code == 404
    assert Organisation.objects.get(pk=aceh.pk).name == "Dinas PMD Kabupaten Aceh Selatan"


def test_blm_staff_create_an_organisation_in_their_area(client, blm_user):
    client.force_login(blm_user)

    response = client.post(
        CREATE_URL,
        {"name": "BUMDes Bersama Anjir Pasar", "kind": "bumdes", "regency": "63.04", "email": "bumdes@contoh.id"},
    )

    organisation = Organisation.objects.get(name="BUMDes Bersama Anjir Pasar")
    assert response.status_code == 302
    assert response.url == f"/mitra/instansi/{organisation.pk}/"
    assert (organisation.regency_id, organisation.province_id) == ("63.04", "63")
    detail = client.get(response.url).content.decode()
    assert "Instansi ditambahkan." in detail
    assert f"Dibuat\n          oleh {blm_user}" in detail


@pytest.mark.parametrize("user_fixture", ["pemda_user", "ministry_user"])
def test_readers_may_not_create_organisations(client, request, user_fixture):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)

    assert client.get(CREATE_URL).status_code == 403
    response = client.post(CREATE_URL, {"name": "Dinas Baru", "kind": "dinas", "regency": "63.04"})

    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Dinas Baru").exists()


def test_blm_staff_cannot_pick_a_regency_outside_their_area(client, blm_user):
    client.force_login(blm_user)

    response = client.post(CREATE_URL, {"name": "Dinas PMD Aceh", "kind": "dinas", "regency": "11.01"})

    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not Organisation.objects.filter(name="Dinas PMD Aceh").exists()


def test_blm_staff_must_pick_a_regency(client, blm_user):
    client.force_login(blm_user)

    response = client.post(CREATE_URL, {"name": "Kementerian Baru", "kind": "kementerian"})

    assert response.status_code == 200
    assert "Pilih kabupaten/kota dalam wilayah kerja Anda" in response.content.decode()
    assert not Organisation.objects.filter(name="Kementerian Baru").exists()


def test_an_edit_is_saved_and_kept_in_the_history(client, blm_user, organisations):
    dinas = organisations["dinas"]
    client.force_login(blm_user)

    response = client.post(
        f"/mitra/instansi/{dinas.pk}/ubah/",
        {"name": "Dinas PMD Batola", "kind": "dinas", "regency": "63.04", "version": dinas.version},
    )

    assert response.status_code == 302
    dinas.refresh_from_db()
    assert (dinas.name, dinas.version) == ("Dinas PMD Batola", 2)
    detail = client.get(response.url).content.decode()
    assert "Perubahan disimpan." in detail
    assert f"Diubah\n          oleh {blm_user}" in detail
    assert "<del>Dinas PMD Kabupaten Barito Kuala</del> → <ins>Dinas PMD Batola</ins>" in detail


def test_an_edit_over_someone_elses_newer_change_is_refused(client, blm_user, organisations):
    dinas = organisations["dinas"]
    read_version = dinas.version
    dinas.phone = "0511-4799000"
    dinas.save()  # someone else saves first
    client.force_login(blm_user)

    response = client.post(
        f"/mitra/instansi/{dinas.pk}/ubah/",
        {"name": "Dinas PMD Batola", "kind": "dinas", "regency": "63.04", "version": read_version},
    )

    assert response.status_code == 200
    assert "Data ini telah diubah oleh pengguna lain" in response.content.decode()
    dinas.refresh_from_db()
    assert (dinas.name, dinas.phone) == ("Dinas PMD Kabupaten Barito Kuala", "0511-4799000")


def test_an_official_may_not_edit(client, pemda_user, organisations):
    dinas = organisations["dinas"]

    get(client, pemda_user, f"/mitra/instansi/{dinas.pk}/ubah/", status=403)


def list_queries(client):
    """(queries but COUNTs, COUNTs): a list longer than a page counts its rows once, one that fits on its
    first page needs no COUNT (percontohan.tables.KeysFirstPaginator)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    counts = [query for query in queries.captured_queries if query["sql"].startswith("SELECT COUNT(")]
    return len(queries) - len(counts), len(counts)


def make_organisations(count):
    parent = OrganisationFactory(name=f"Induk {count}", kind=OrganisationKind.REGENCY_GOV)
    regencies = list(Regency.objects.filter(province_id__in=("62", "63")))
    for number in range(count):
        OrganisationFactory(parent=parent, regency=regencies[number % len(regencies)])


def test_the_list_runs_as_many_queries_for_30_organisations_as_for_3(client, blm_user):
    client.force_login(blm_user)
    make_organisations(3)
    client.get(LIST_URL)
    few = list_queries(client)

    make_organisations(27)
    many = list_queries(client)

    assert few[0] == many[0]
    assert few[1] == 0
    assert many[1] == 1  # 30 organisations: more than a page
