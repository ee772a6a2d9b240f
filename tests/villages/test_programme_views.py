"""Programme areas (/kawasan/) and pilot villages (/desa-percontohan/): lists, forms, the area map, access."""

import csv
import datetime
import io
import json
import re

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.access import resolve_kwargs
from tests.factories import UserFactory
from tests.villages.access_programme import CASES, make_samples
from tests.villages.factories import (
    ANDAMAN,
    ANJIR_PASAR_KOTA,
    CAHAYA_BARU,
    HILIR_MESJID,
    KEUDE_BAKONGAN,
    AreaMembershipFactory,
    BlmFactory,
    PilotTransitionFactory,
    PilotVillageFactory,
    ProgrammeAreaFactory,
    regency,
    village,
)
from villages.models import AreaMembership, PilotStatus, PilotTransition, PilotVillage, ProgrammeArea, VillageGeo

AREA_LIST = "/kawasan/"
AREA_CREATE = "/kawasan/tambah/"
PILOT_LIST = "/desa-percontohan/"
PILOT_CREATE = "/desa-percontohan/usulkan/"


def get(client, user, url, params=None, status=200):
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == status, url
    return response


def table_html(response):
    html = response.content.decode()
    return html[html.index('<div id="table">') :]


def listed_links(response, prefix):
    return re.findall(rf'<a href="{prefix}[^"]*">([^<]+)</a>', table_html(response))


def exported_rows(response, export_format):
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[1:]


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def assert_strict_csp_markup(html):
    """No inline scripts or style attributes: every script is a nonced file or JSON data."""
    assert ' style="' not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="' in tag or 'type="application/json"' in tag, tag
        if 'src="' in tag:
            assert "nonce=" in tag, tag


@pytest.fixture
def areas(db):
    """The rural area of Anjir Pasar, the KTM Cahaya Baru (Barito Kuala) and an area in Aceh Selatan."""
    anjir = ProgrammeAreaFactory(name="Kawasan Perdesaan Anjir Pasar", legal_basis="SK Bupati 188.45/2020")
    ktm = ProgrammeAreaFactory(name="KTM Cahaya Baru", kind="ktm")
    aceh = ProgrammeAreaFactory(name="Kawasan Perdesaan Bakongan", regency=regency("11.01"))
    return {"anjir": anjir, "ktm": ktm, "aceh": aceh}


# --- The access cases of this module (walked for every user by tests/percontohan/test_access.py)


@pytest.mark.parametrize("user", ["admin_user", "blm_user", "other_pemda_user"])
def test_no_page_answers_500_whatever_the_query(request, db, user):
    samples = make_samples()
    client = Client(raise_request_exception=False)
    client.force_login(request.getfixturevalue(user))
    for name, cases in CASES.items():
        for case in cases:
            page = reverse(name, kwargs=resolve_kwargs(case.kwargs, samples))
            for query in ({"q": "Barito"}, {"q": "63.04"}, {"page": "999"}, {"_export": "xlsx"}, {"year": "x"}):
                response = getattr(client, case.method)(page, {**query, **case.data})
                assert response.status_code < 500, f"{page} {query}"


@pytest.mark.parametrize("list_url", [AREA_LIST, PILOT_LIST, "/seleksi/"])
def test_a_list_answers_htmx_with_its_table_only(client, blm_user, list_url):
    make_samples()
    client.force_login(blm_user)

    response = client.get(list_url, {"q": "a"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="table">')
    assert "<nav" not in html.split('<div id="table">')[0]


# --- Programme area list -----------------------------------------------------


def test_the_area_list_shows_only_areas_in_the_users_regions(client, pemda_user, other_pemda_user, areas):
    assert sorted(listed_links(get(client, pemda_user, AREA_LIST), "/kawasan/")) == [
        "KTM Cahaya Baru",
        "Kawasan Perdesaan Anjir Pasar",
    ]
    assert listed_links(get(client, other_pemda_user, AREA_LIST), "/kawasan/") == ["Kawasan Perdesaan Bakongan"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "anjir"}, ["Kawasan Perdesaan Anjir Pasar"]),
        ({"q": "188.45"}, ["Kawasan Perdesaan Anjir Pasar"]),  # the legal basis
        ({"kind": "ktm"}, ["KTM Cahaya Baru"]),
        ({"regency": "11.01"}, ["Kawasan Perdesaan Bakongan"]),
        ({"regency": "63.04", "sort": "-name"}, ["Kawasan Perdesaan Anjir Pasar", "KTM Cahaya Baru"]),
    ],
)
def test_the_area_list_can_be_searched_filtered_and_sorted(client, admin_user, areas, params, expected):
    assert listed_links(get(client, admin_user, AREA_LIST, params), "/kawasan/") == expected


def test_the_area_list_counts_the_current_member_villages(client, blm_user, areas):
    AreaMembershipFactory(area=areas["anjir"], village=village(ANDAMAN))
    AreaMembershipFactory(area=areas["anjir"], village=village(HILIR_MESJID))
    AreaMembershipFactory(area=areas["anjir"], village=village(ANJIR_PASAR_KOTA), valid_to=datetime.date(2021, 1, 1))

    rows = exported_rows(get(client, blm_user, AREA_LIST, {"_export": "csv", "q": "anjir"}), "csv")

    assert rows[0][:4] == ["Kawasan Perdesaan Anjir Pasar", "Kawasan perdesaan", "Kabupaten Barito Kuala", "2"]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_area_export_has_every_filtered_row(client, pemda_user, areas, export_format):
    for index in range(30):
        ProgrammeAreaFactory(name=f"Kawasan Transmigrasi Uji {index:02d}", kind="transmigrasi")
    assert len(listed_links(get(client, pemda_user, AREA_LIST, {"kind": "transmigrasi"}), "/kawasan/")) == 25

    response = get(client, pemda_user, AREA_LIST, {"kind": "transmigrasi", "_export": export_format})

    rows = exported_rows(response, export_format)
    assert len(rows) == 30
    assert {row[1] for row in rows} == {"Kawasan transmigrasi"}
    assert f'filename="kawasan.{export_format}"' in response["Content-Disposition"]


def test_the_area_list_runs_the_same_queries_as_areas_grow(client, blm_user, areas, django_assert_num_queries):
    client.force_login(blm_user)
    with CaptureQueriesContext(connection) as before:
        client.get(AREA_LIST)
    for index in range(12):
        area = ProgrammeAreaFactory(name=f"Kawasan {index}", regency=regency("63.03"))
        AreaMembershipFactory(area=area, village=village(ANDAMAN))

    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get(AREA_LIST).status_code == 200


# --- Area create and edit ----------------------------------------------------


def area_data(**changes):
    return {
        "name": "Kawasan Perdesaan Jejangkit",
        "kind": "perdesaan",
        "regency": "63.04",
        "description": "Kawasan pertanian pasang surut.",
        "established_on": "2020-03-10",
        "legal_basis": "SK Bupati Barito Kuala",
        **changes,
    }


def test_blm_staff_create_an_area(client, blm_user):
    client.force_login(blm_user)

    response = client.post(AREA_CREATE, area_data(), follow=True)

    area = ProgrammeArea.objects.get(name="Kawasan Perdesaan Jejangkit")
    assert response.redirect_chain[-1][0] == f"/kawasan/{area.pk}/"
    assert (area.regency_id, area.established_on) == ("63.04", datetime.date(2020, 3, 10))
    assert "Kawasan ditambahkan." in messages_of(response)
    assert "10 Maret 2020" in response.content.decode()


def test_an_area_outside_the_working_area_is_refused(client, blm_user):
    client.force_login(blm_user)

    response = client.post(AREA_CREATE, area_data(regency="11.01"))

    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not ProgrammeArea.objects.exists()


def test_a_duplicate_area_name_in_the_regency_is_refused(client, blm_user, areas):
    client.force_login(blm_user)

    response = client.post(AREA_CREATE, area_data(name="KTM Cahaya Baru"))

    assert "Kawasan dengan nama ini sudah ada di kabupaten/kota tersebut." in response.content.decode()
    assert ProgrammeArea.objects.filter(name="KTM Cahaya Baru").count() == 1


@pytest.mark.parametrize("user_fixture", ["pemda_user", "ministry_user"])
def test_readers_cannot_create_or_edit_areas(client, request, areas, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))

    assert client.post(AREA_CREATE, area_data()).status_code == 403
    response = client.post(f"/kawasan/{areas['anjir'].pk}/ubah/", area_data(version=1))

    assert response.status_code == 403
    assert not ProgrammeArea.objects.filter(name="Kawasan Perdesaan Jejangkit").exists()


def test_editing_an_area_someone_changed_meanwhile_is_refused(client, blm_user, admin_user, areas):
    area = areas["anjir"]
    url = f"/kawasan/{area.pk}/ubah/"
    client.force_login(admin_user)
    client.post(url, area_data(name="Kawasan Agropolitan Anjir Pasar", version=area.version))

    client.force_login(blm_user)
    response = client.post(url, area_data(name="Kawasan Anjir", version=area.version))

    assert "telah diubah oleh pengguna lain" in response.content.decode()
    area.refresh_from_db()
    assert area.name == "Kawasan Agropolitan Anjir Pasar"


def test_the_regency_of_an_area_with_members_cannot_change(client, blm_user, areas):
    area = areas["anjir"]
    AreaMembershipFactory(area=area, village=village(ANDAMAN))
    client.force_login(blm_user)

    client.post(f"/kawasan/{area.pk}/ubah/", area_data(name=area.name, regency="63.03", version=area.version))

    area.refresh_from_db()
    assert area.regency_id == "63.04"


# --- Area page: members, pilot status, map -----------------------------------


def test_the_area_page_lists_members_with_their_period_and_pilot_status(client, pemda_user, areas):
    area = areas["anjir"]
    AreaMembershipFactory(area=area, village=village(ANDAMAN))
    AreaMembershipFactory(area=area, village=village(HILIR_MESJID), valid_to=datetime.date(2022, 12, 31))
    PilotVillageFactory(village=village(ANDAMAN), status=PilotStatus.DESIGNATED, programme_area=area)

    content = get(client, pemda_user, f"/kawasan/{area.pk}/").content.decode()

    assert "Kawasan Perdesaan Anjir Pasar" in content
    andaman = content[content.index(">Andaman<") :]
    andaman = andaman[: andaman.index("</tr>")]
    assert "10 Maret 2020" in andaman
    assert "Ditetapkan" in andaman
    assert "2020–2024" in andaman
    hilir = content[content.index(">Hilir Mesjid<") :]
    assert "31 Desember 2022" in hilir[: hilir.index("</tr>")]
    assert "Riwayat perubahan" in content
    assert f"/kawasan/{area.pk}/ubah/" not in content  # an official reads, never edits


def test_the_area_map_draws_member_points_and_boundaries_under_the_strict_csp(client, blm_user, areas):
    area = areas["anjir"]
    AreaMembershipFactory(area=area, village=village(ANDAMAN))
    AreaMembershipFactory(area=area, village=village(HILIR_MESJID))
    AreaMembershipFactory(area=area, village=village(CAHAYA_BARU), valid_to=datetime.date(2021, 1, 1))
    boundary = {"type": "Polygon", "coordinates": [[[114.7, -3.1], [114.71, -3.1], [114.71, -3.11], [114.7, -3.1]]]}
    VillageGeo.objects.create(village=village(ANDAMAN), lat="-3.101234", lng="114.701234", boundary=boundary)
    VillageGeo.objects.create(village=village(CAHAYA_BARU), lat="-3.2", lng="114.6")
    PilotVillageFactory(village=village(ANDAMAN))

    response = get(client, blm_user, f"/kawasan/{area.pk}/")

    html = response.content.decode()
    data = json.loads(re.search(r'<script id="area-map-data" type="application/json">(.*?)</script>', html).group(1))
    # Only current members with coordinates; the ended membership is not drawn.
    assert [v["code"] for v in data["villages"]] == [ANDAMAN]
    assert data["villages"][0] | {"boundary": None} == {
        "code": ANDAMAN,
        "name": "Andaman",
        "url": f"/wilayah/desa/{ANDAMAN}/",
        "status": "calon",
        "status_label": "Calon",
        "lat": -3.101234,
        "lng": 114.701234,
        "boundary": None,
        "color": "#6c757d",
        "index_status": "Belum ada nilai",
    }
    assert data["villages"][0]["boundary"] == boundary
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/js/area_map.js" in html
    assert_strict_csp_markup(html)


def test_an_area_without_coordinates_says_so_and_loads_no_map(client, blm_user, areas):
    AreaMembershipFactory(area=areas["anjir"], village=village(ANDAMAN))

    html = get(client, blm_user, f"/kawasan/{areas['anjir'].pk}/").content.decode()

    assert "Koordinat desa anggota belum tersedia." in html
    assert "leaflet.js" not in html


def test_the_area_page_runs_the_same_queries_as_members_grow(client, blm_user, areas, django_assert_num_queries):
    area = areas["anjir"]
    AreaMembershipFactory(area=area, village=village(ANDAMAN))
    PilotVillageFactory(village=village(ANDAMAN), programme_area=area)
    VillageGeo.objects.create(village=village(ANDAMAN), lat="-3.1", lng="114.7")
    client.force_login(blm_user)
    url = f"/kawasan/{area.pk}/"
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for code in [f"63.04.03.20{n:02d}" for n in range(2, 16)]:
        AreaMembershipFactory(area=area, village=village(code))
        PilotVillageFactory(village=village(code), programme_area=area, status=PilotStatus.DESIGNATED)
        VillageGeo.objects.create(village=village(code), lat="-3.1", lng="114.7")

    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("badge text-bg-success") >= 14


def test_an_official_of_another_regency_gets_404_on_the_area_page(client, other_pemda_user, areas):
    response = get(client, other_pemda_user, f"/kawasan/{areas['anjir'].pk}/", status=404)

    assert "Anjir Pasar" not in response.content.decode()


# --- Members: add and end ----------------------------------------------------


def test_an_editor_adds_a_village_of_the_areas_regency(client, blm_user, areas):
    area = areas["anjir"]
    client.force_login(blm_user)
    url = f"/kawasan/{area.pk}/anggota/tambah/"

    form = client.get(url).content.decode()
    response = client.post(url, {"village": ANDAMAN, "valid_from": "2020-03-10"}, follow=True)

    assert "Andaman — Kec. Anjir Pasar (63.04.03.2001)" in form
    assert "11.01.01.2001" not in form and "63.03." not in form  # only the area's regency
    assert response.redirect_chain[-1][0] == f"/kawasan/{area.pk}/"
    assert "Andaman ditambahkan ke kawasan." in messages_of(response)
    membership = AreaMembership.objects.get()
    assert (membership.village_id, membership.valid_from, membership.valid_to) == (
        ANDAMAN,
        datetime.date(2020, 3, 10),
        None,
    )


def test_a_village_of_another_regency_cannot_be_added(client, admin_user, areas):
    client.force_login(admin_user)

    response = client.post(
        f"/kawasan/{areas['anjir'].pk}/anggota/tambah/", {"village": KEUDE_BAKONGAN, "valid_from": "2020-03-10"}
    )

    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not AreaMembership.objects.exists()


def test_an_overlapping_membership_is_refused_with_the_reason(client, blm_user, areas):
    AreaMembershipFactory(area=areas["anjir"], village=village(ANDAMAN))
    client.force_login(blm_user)

    response = client.post(
        f"/kawasan/{areas['anjir'].pk}/anggota/tambah/",
        {"village": ANDAMAN, "valid_from": "2023-01-01", "valid_to": "2024-12-31"},
    )

    assert response.status_code == 200
    assert "sudah menjadi anggota kawasan pada periode yang tumpang tindih" in response.content.decode()
    assert AreaMembership.objects.count() == 1


def test_an_editor_ends_a_membership(client, blm_user, areas):
    membership = AreaMembershipFactory(area=areas["anjir"], village=village(ANDAMAN))
    client.force_login(blm_user)
    url = f"/kawasan/{areas['anjir'].pk}/anggota/{membership.pk}/akhiri/"

    form = client.get(url).content.decode()
    response = client.post(url, {"valid_to": "2024-12-31"}, follow=True)

    assert f'value="{timezone.localdate():%Y-%m-%d}"' in form  # today is offered
    membership.refresh_from_db()
    assert (membership.valid_from, membership.valid_to) == (datetime.date(2020, 3, 10), datetime.date(2024, 12, 31))
    assert "Keanggotaan Andaman di kawasan ini berlaku sampai 31 Desember 2024." in messages_of(response)


def test_a_membership_cannot_end_before_it_began(client, blm_user, areas):
    membership = AreaMembershipFactory(area=areas["anjir"], village=village(ANDAMAN))
    client.force_login(blm_user)

    response = client.post(
        f"/kawasan/{areas['anjir'].pk}/anggota/{membership.pk}/akhiri/",
        {"valid_from": "2010-01-01", "valid_to": "2019-12-31"},
    )

    assert "Tanggal akhir tidak boleh sebelum tanggal mulai." in response.content.decode()
    membership.refresh_from_db()
    assert (membership.valid_from, membership.valid_to) == (datetime.date(2020, 3, 10), None)


def test_a_membership_is_found_only_through_its_own_area(client, admin_user, areas):
    membership = AreaMembershipFactory(area=areas["ktm"], village=village(CAHAYA_BARU))
    client.force_login(admin_user)

    response = client.post(f"/kawasan/{areas['anjir'].pk}/anggota/{membership.pk}/akhiri/", {"valid_to": "2024-1-1"})

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.valid_to is None


# --- Pilot village list ------------------------------------------------------


@pytest.fixture
def pilots(areas):
    blm = BlmFactory()
    return {
        "andaman": PilotVillageFactory(
            village=village(ANDAMAN), status=PilotStatus.DESIGNATED, programme_area=areas["anjir"], responsible_blm=blm
        ),
        "hilir": PilotVillageFactory(
            village=village(HILIR_MESJID), responsible_blm=blm, period_start=2025, period_end=2029
        ),
        "cahaya": PilotVillageFactory(
            village=village(CAHAYA_BARU), status=PilotStatus.ASSESSED, programme_area=areas["ktm"], responsible_blm=blm
        ),
        "aceh": PilotVillageFactory(village=village(KEUDE_BAKONGAN), responsible_blm=blm),
    }


def pilot_names(response):
    return re.findall(r'<a href="/wilayah/desa/[\d.]+/">([^<]+)</a>', table_html(response))


def test_the_pilot_list_shows_only_pilot_villages_in_the_users_regions(client, pemda_user, other_pemda_user, pilots):
    assert sorted(pilot_names(get(client, pemda_user, PILOT_LIST))) == ["Andaman", "Cahaya Baru", "Hilir Mesjid"]
    assert pilot_names(get(client, other_pemda_user, PILOT_LIST)) == ["Keude Bakongan"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "ditetapkan"}, ["Andaman"]),
        ({"q": "cahaya"}, ["Cahaya Baru"]),
        ({"q": "63.04.03"}, ["Andaman", "Hilir Mesjid"]),
        ({"programme_area": "ktm"}, ["Cahaya Baru"]),
        ({"regency": "11.01"}, ["Keude Bakongan"]),
        ({"year": "2027"}, ["Hilir Mesjid"]),
        ({"year": "2021", "regency": "63.04"}, ["Andaman", "Cahaya Baru"]),
    ],
)
def test_the_pilot_list_can_be_filtered(client, admin_user, areas, pilots, params, expected):
    if params.get("programme_area") == "ktm":
        params = {"programme_area": areas["ktm"].pk}
    assert sorted(pilot_names(get(client, admin_user, PILOT_LIST, params))) == expected


def test_the_pilot_list_filters_by_blm(client, admin_user, pilots):
    other = BlmFactory(name="Balai Besar Latihan Masyarakat Yogyakarta", regency=regency("34.71"), province=None)
    PilotVillageFactory(village=village(ANJIR_PASAR_KOTA), responsible_blm=other)

    assert pilot_names(get(client, admin_user, PILOT_LIST, {"responsible_blm": other.pk})) == ["Anjir Pasar Kota"]


def test_the_pilot_export_has_every_filtered_row_with_plain_years(client, blm_user, pilots):
    rows = exported_rows(get(client, blm_user, PILOT_LIST, {"_export": "xlsx"}), "xlsx")

    andaman = next(row for row in rows if row[0] == "Andaman")
    assert andaman == [
        "Andaman",
        ANDAMAN,
        "Anjir Pasar",
        "Kabupaten Barito Kuala",
        "Ditetapkan",
        "Balai Latihan Masyarakat Banjarmasin",
        "Kawasan Perdesaan Anjir Pasar",
        "2020–2024",
    ]
    assert len(rows) == 3


def test_editors_see_the_status_action_and_readers_do_not(client, blm_user, pemda_user, pilots):
    url = f"/desa-percontohan/{pilots['andaman'].pk}/status/"
    assert url in get(client, blm_user, PILOT_LIST).content.decode()
    assert url not in get(client, pemda_user, PILOT_LIST).content.decode()


def test_the_pilot_list_runs_the_same_queries_as_pilots_grow(client, blm_user, pilots, django_assert_num_queries):
    client.force_login(blm_user)
    with CaptureQueriesContext(connection) as before:
        client.get(PILOT_LIST)
    for code in [f"63.04.17.20{n:02d}" for n in range(1, 8)]:
        PilotVillageFactory(
            village=village(code), programme_area=ProgrammeAreaFactory(), period_start=2030, period_end=2034
        )

    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get(PILOT_LIST).status_code == 200


# --- Proposing a pilot village -----------------------------------------------


def propose_data(**changes):
    return {
        "regency": "63.04",
        "village": ANJIR_PASAR_KOTA,
        "responsible_blm": BlmFactory().pk,
        "programme_area": "",
        "period_start": "2025",
        "period_end": "2029",
        "reason": "Usulan musyawarah desa dan Dinas PMD.",
        "notes": "",
        **changes,
    }


def test_proposing_starts_with_the_regency_then_offers_its_villages(client, blm_user):
    client.force_login(blm_user)

    first = client.get(PILOT_CREATE).content.decode()
    second = client.get(PILOT_CREATE, {"regency": "63.04"}).content.decode()

    assert 'name="regency"' in first and 'name="village"' not in first
    assert "Anjir Pasar Kota — Kec. Anjir Pasar (63.04.03.2003)" in second
    assert "11.01.01" not in second


def test_an_editor_proposes_a_candidate_pilot_village(client, blm_user, areas):
    client.force_login(blm_user)

    response = client.post(PILOT_CREATE, propose_data(programme_area=areas["anjir"].pk), follow=True)

    pilot = PilotVillage.objects.get()
    assert (pilot.village_id, pilot.status, pilot.programme_area, pilot.period_start) == (
        ANJIR_PASAR_KOTA,
        PilotStatus.CANDIDATE,
        areas["anjir"],
        2025,
    )
    step = pilot.transitions.get()
    assert (step.by, step.reason) == (blm_user, "Usulan musyawarah desa dan Dinas PMD.")
    assert "Anjir Pasar Kota diusulkan sebagai calon desa percontohan." in messages_of(response)


def test_proposing_from_an_area_page_preselects_the_area(client, blm_user, areas):
    client.force_login(blm_user)

    html = client.get(PILOT_CREATE, {"kawasan": areas["anjir"].pk}).content.decode()

    assert re.search(rf'<option value="{areas["anjir"].pk}" selected>Kawasan Perdesaan Anjir Pasar</option>', html)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"regency": "11.01", "village": KEUDE_BAKONGAN}, "Pilih dulu kabupaten/kota"),  # outside the scope
        ({"village": KEUDE_BAKONGAN}, "Masukkan pilihan yang valid"),  # not in the chosen regency
        ({"period_end": "2020"}, "Tahun selesai tidak boleh sebelum tahun mulai."),
        ({"reason": ""}, "Bidang ini tidak boleh kosong."),
    ],
)
def test_a_bad_proposal_is_refused_and_nothing_is_saved(client, blm_user, changes, message):
    client.force_login(blm_user)

    response = client.post(PILOT_CREATE, propose_data(**changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PilotVillage.objects.exists()


def test_a_second_proposal_for_the_same_period_shows_the_models_message(client, blm_user):
    PilotVillageFactory(village=village(ANJIR_PASAR_KOTA), period_start=2025, period_end=2029)
    client.force_login(blm_user)

    response = client.post(PILOT_CREATE, propose_data())

    assert "Desa ini sudah tercatat sebagai desa percontohan untuk periode tersebut." in response.content.decode()
    assert PilotVillage.objects.count() == 1


# --- Status changes ----------------------------------------------------------


def test_the_status_form_offers_only_the_steps_the_lifecycle_allows(client, blm_user, pilots):
    html = get(client, blm_user, f"/desa-percontohan/{pilots['andaman'].pk}/status/").content.decode()

    select = html[html.index('name="to_status"') :]
    select = select[: select.index("</select>")]
    assert re.findall(r'<option value="(\w*)"', select) == ["", "lulus", "batal"]


def test_an_editor_moves_a_pilot_village_to_the_next_status(client, blm_user, pilots):
    pilot = pilots["cahaya"]
    client.force_login(blm_user)
    url = f"/desa-percontohan/{pilot.pk}/status/"

    response = client.post(url, {"to_status": "ditetapkan", "reason": "Nota kesepahaman ditandatangani."}, follow=True)

    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.DESIGNATED
    step = pilot.transitions.get()
    assert (step.from_status, step.to_status, step.by) == ("dinilai", "ditetapkan", blm_user)
    assert "Status Cahaya Baru diubah menjadi “Ditetapkan”." in messages_of(response)
    history = response.content.decode()
    history = history[history.index("Riwayat status") :]
    assert "Nota kesepahaman ditandatangani." in history
    assert str(blm_user) in history


def test_a_step_the_lifecycle_does_not_allow_is_refused_with_the_reason(client, blm_user, pilots):
    pilot = pilots["hilir"]
    client.force_login(blm_user)

    response = client.post(f"/desa-percontohan/{pilot.pk}/status/", {"to_status": "lulus", "reason": "Langsung lulus."})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Status “Calon” tidak dapat diubah menjadi “Lulus (mandiri)”." in html
    assert "Langkah yang diizinkan: Sudah dinilai, Dibatalkan." in html
    pilot.refresh_from_db()
    assert pilot.status == PilotStatus.CANDIDATE
    assert not PilotTransition.objects.exists()


def test_a_final_status_offers_no_change(client, blm_user, pilots):
    pilot = PilotVillageFactory(village=village(ANJIR_PASAR_KOTA), status=PilotStatus.DROPPED)

    html = get(client, blm_user, f"/desa-percontohan/{pilot.pk}/status/").content.decode()

    assert "tidak ada perubahan yang diizinkan" in html
    assert 'name="to_status"' not in html


def test_readers_cannot_change_a_status(client, pemda_user, ministry_user, pilots):
    for user in (pemda_user, ministry_user):
        client.force_login(user)
        response = client.post(
            f"/desa-percontohan/{pilots['hilir'].pk}/status/", {"to_status": "dinilai", "reason": "Dinilai."}
        )
        assert response.status_code == 403
    assert PilotVillage.objects.get(pk=pilots["hilir"].pk).status == PilotStatus.CANDIDATE


def test_blm_staff_get_404_on_a_pilot_village_outside_their_area(client, blm_user, pilots):
    client.force_login(blm_user)

    response = client.post(
        f"/desa-percontohan/{pilots['aceh'].pk}/status/", {"to_status": "dinilai", "reason": "Dinilai."}
    )

    assert response.status_code == 404
    assert PilotVillage.objects.get(pk=pilots["aceh"].pk).status == PilotStatus.CANDIDATE


# --- The pilot history partial (included by the village page) ----------------


def test_the_pilot_history_partial_shows_who_when_from_to_and_why(db):
    from django.template.loader import render_to_string

    from villages.views_programme import pilot_queryset

    editor = UserFactory(role="staf_blm", username="pepen", first_name="Pepen", last_name="Efendi")
    pilot = PilotVillageFactory(status=PilotStatus.ASSESSED)
    PilotTransitionFactory(pilot=pilot, by=editor, at=datetime.datetime(2020, 3, 10, 9, 30, tzinfo=datetime.UTC))
    PilotTransitionFactory(
        pilot=pilot,
        from_status="calon",
        to_status="dinilai",
        by=None,
        reason="Dinilai tim BLM & Bappeda.",
        at=datetime.datetime(2020, 4, 1, 8, 0, tzinfo=datetime.UTC),
    )

    html = render_to_string("villages/_pilot_history.html", {"pilot": pilot_queryset().get(pk=pilot.pk)})

    assert "Riwayat status (periode 2020–2024)" in html
    steps = re.findall(r'<li class="list-group-item">(.*?)</li>', html, flags=re.S)
    assert len(steps) == 2
    assert "baru" in steps[0] and "Calon" in steps[0] and "Pepen Efendi" in steps[0]
    assert "10 Maret 2020, 16.30" in steps[0]  # in the portal's time zone (WIB)
    assert "Diusulkan dalam rapat koordinasi." in steps[0]
    assert re.search(r"Calon</span>\s*→", steps[1]) and "Sudah dinilai" in steps[1] and "sistem" in steps[1]
    assert "Dinilai tim BLM &amp; Bappeda." in steps[1]
