"""A site selection round end to end: criteria, candidates, scores from two users, the decision, and the
resulting pilot villages on their pages and on the map."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from partners.models import OrganisationKind
from tests.e2e.conftest import log_in, open_menu, pick
from tests.factories import OrganisationFactory, UserFactory
from tests.villages.factories import ANDAMAN, ANJIR_PASAR_KOTA, CAHAYA_BARU, BlmFactory, regency
from villages.models import VillageGeo

TITLE = "Seleksi desa percontohan Barito Kuala 2025"
RATIONALE = "Musyawarah para pihak memilih dua desa dengan nilai tertinggi; keduanya mudah dijangkau dari Banjarmasin."
# Real centroids from ../shared/data/geo/barito_kuala_village_centroids.csv.
CENTROIDS = {
    ANDAMAN: ("-3.176824", "114.472453"),
    ANJIR_PASAR_KOTA: ("-3.134848", "114.521949"),
    CAHAYA_BARU: ("-3.180478", "114.705039"),
}
# Each stakeholder's scores per village: (Kesiapan desa 60 %, Komitmen daerah 40 %).
BLM_SCORES = {"Andaman": (5, 4), "Anjir Pasar Kota": (4, 4), "Cahaya Baru": (2, 3)}  # 4.6, 4.0, 2.4
DPMD_SCORES = {"Andaman": (4, 5), "Anjir Pasar Kota": (4, 5), "Cahaya Baru": (3, 2)}  # 4.4, 4.4, 2.6


@pytest.fixture
def blm(committed_regions):
    return BlmFactory()  # Balai Latihan Masyarakat Banjarmasin, Kota Banjarmasin, kind "blm"


@pytest.fixture
def dpmd(committed_regions):
    return OrganisationFactory(
        name="Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Barito Kuala",
        short_name="DPMD Batola",
        kind=OrganisationKind.DINAS,
        regency=regency("63.04"),
    )


@pytest.fixture
def blm_staff(committed_regions, blm):
    return UserFactory(
        role="staf_blm",
        username="blm-budi",
        first_name="Budi",
        last_name="Santoso",
        regencies=("62", "63"),
        organisation=blm,
    )


@pytest.fixture
def dpmd_scorer(committed_regions, dpmd):
    return UserFactory(
        role="staf_blm",
        username="blm-wati",
        first_name="Wati",
        last_name="Lestari",
        regencies=("63",),
        organisation=dpmd,
    )


@pytest.fixture
def located_villages(committed_regions):
    for code, (lat, lng) in CENTROIDS.items():
        VillageGeo.objects.create(village_id=code, lat=Decimal(lat), lng=Decimal(lng), source="uji")


def enter_scores(page, scores):
    """Fill the score sheet: one row per candidate village, one select per criterion."""
    for village, values in scores.items():
        row = page.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=re.compile(f"^{village}")))
        for cell, value in zip(row.get_by_role("combobox").all(), values, strict=True):
            cell.select_option(str(value))
    page.get_by_role("button", name="Simpan nilai").click()


def ranking_row(page, village):
    return page.locator("#ranking tbody tr").filter(has=page.get_by_role("link", name=village, exact=True))


def test_a_selection_round_from_criteria_to_designated_pilot_villages(
    live_server, page, new_page, console, blm_staff, dpmd_scorer, located_villages
):
    # --- The round, by BLM staff ---
    log_in(page, live_server, blm_staff)
    open_menu(page, "Seleksi lokasi")
    page.get_by_role("link", name="Tambah putaran seleksi").click()
    expect(page.get_by_role("heading", name="Tambah putaran seleksi", level=1)).to_be_visible()
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Kabupaten/kota").select_option(label="Kabupaten Barito Kuala (63.04)")
    page.get_by_label("BLM penanggung jawab").select_option(label="Balai Latihan Masyarakat Banjarmasin")
    page.get_by_label("Periode mulai (tahun)").fill("2025")
    page.get_by_label("Periode selesai (tahun)").fill("2029")
    page.get_by_label("Notulen konsultasi").fill("Rapat koordinasi di Marabahan, 12 Februari 2025.")
    page.get_by_role("button", name="Simpan").click()

    expect(page).to_have_url(re.compile(r"/seleksi/\d+/$"))
    round_url = page.url
    expect(page.get_by_role("alert")).to_contain_text("Putaran seleksi ditambahkan.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Penilaian berjalan")
    expect(page.locator("main dl")).to_contain_text("Kabupaten Barito Kuala")
    expect(page.locator("main dl")).to_contain_text("2025–2029")
    expect(page.get_by_text("Rapat koordinasi di Marabahan")).to_be_visible()

    # --- Criteria: weights summing to 90 % are refused, then 100 % are saved ---
    page.get_by_role("link", name="Kriteria dan bobot").click()
    expect(page.get_by_role("heading", name=re.compile("^Kriteria dan bobot"), level=1)).to_be_visible()
    rows = page.locator("form tbody tr")
    expect(rows).to_have_count(2)
    rows.nth(0).get_by_label("Kriteria").fill("Kesiapan desa")
    rows.nth(0).get_by_label("Bobot").fill("50")
    rows.nth(1).get_by_label("Kriteria").fill("Komitmen daerah")
    rows.nth(1).get_by_label("Bobot").fill("40")
    page.get_by_role("button", name="Simpan").click()

    expect(page.locator(".alert-danger")).to_contain_text("Jumlah bobot kriteria harus 100%; sekarang 90%.")
    expect(page.get_by_role("heading", name=re.compile("^Kriteria dan bobot"), level=1)).to_be_visible()
    expect(rows.nth(0).get_by_label("Kriteria")).to_have_value("Kesiapan desa")  # the input is kept
    rows.nth(0).get_by_label("Bobot").fill("60")
    page.get_by_role("button", name="Simpan").click()

    expect(page).to_have_url(round_url)
    expect(page.get_by_role("alert")).to_contain_text("Kriteria dan bobot disimpan.")
    criteria = page.get_by_role("region", name="Kriteria dan bobot")
    expect(criteria.locator("tbody tr")).to_have_count(2)
    expect(criteria.locator("tbody tr").first).to_contain_text("Kesiapan desa")
    expect(criteria.locator("tbody tr").first).to_contain_text("60%")
    expect(criteria.locator("tfoot")).to_contain_text("100%")

    # --- Three real villages of Barito Kuala as candidates ---
    page.get_by_role("link", name="Calon desa").click()
    expect(page.get_by_role("heading", name="Tambah desa di Kabupaten Barito Kuala")).to_be_visible()
    pick(page, "Desa", "Andaman", "Andaman — Kec. Anjir Pasar (63.04.03.2001)")
    pick(page, "Desa", "Anjir Pasar Kota", "Anjir Pasar Kota — Kec. Anjir Pasar (63.04.03.2003)")
    pick(page, "Desa", "63.04.17.2005", "Cahaya Baru — Kec. Jejangkit (63.04.17.2005)")
    page.get_by_label("Catatan usulan").fill("Usulan Dinas PMD")
    page.get_by_role("button", name="Tambahkan").click()
    expect(page.get_by_role("alert")).to_contain_text("3 desa ditambahkan sebagai calon.")
    expect(page.get_by_role("heading", name="3 calon")).to_be_visible()
    for name in BLM_SCORES:
        expect(page.get_by_role("region", name="3 calon").get_by_role("link", name=name, exact=True)).to_be_visible()
    page.get_by_role("link", name="Kembali ke putaran seleksi").click()

    # --- Scores of BLM Banjarmasin, entered by BLM staff ---
    page.get_by_role("link", name="Isi nilai").click()
    expect(page.get_by_label("Pemangku kepentingan")).to_have_value(str(blm_staff.organisation_id))
    expect(page.get_by_role("heading", name="Nilai dari Balai Latihan Masyarakat Banjarmasin")).to_be_visible()
    expect(page.locator("thead")).to_contain_text("Kesiapan desa (60%)")
    enter_scores(page, BLM_SCORES)
    expect(page).to_have_url(round_url)
    expect(page.get_by_role("alert")).to_contain_text("6 nilai dari Balai Latihan Masyarakat Banjarmasin disimpan.")

    # --- Scores of the Dinas PMD, entered by a second user in their own browser ---
    second = log_in(new_page(), live_server, dpmd_scorer)
    second.goto(round_url)
    expect(ranking_row(second, "Andaman")).to_contain_text("4,60")  # the first user's scores are there
    second.get_by_role("link", name="Isi nilai").click()
    expect(second.get_by_label("Pemangku kepentingan")).to_have_value(str(dpmd_scorer.organisation_id))
    expect(second.get_by_role("heading", name=re.compile("^Nilai dari Dinas Pemberdayaan Masyarakat"))).to_be_visible()
    expect(second.get_by_text("Nilai tercatat: Balai Latihan Masyarakat Banjarmasin 6/6")).to_be_visible()
    enter_scores(second, DPMD_SCORES)
    expect(second.get_by_role("alert")).to_contain_text(
        "6 nilai dari Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Barito Kuala disimpan."
    )

    # --- The ranking, with both stakeholders' columns ---
    page.reload()
    ranking = page.locator("#ranking")
    expect(ranking.locator("thead")).to_contain_text("BLM Banjarmasin")
    expect(ranking.locator("thead")).to_contain_text("DPMD Batola")
    expect(ranking.locator("thead")).to_contain_text("Nilai akhir")
    body_rows = ranking.locator("tbody tr")
    expect(body_rows).to_have_count(3)
    expect(body_rows.nth(0)).to_contain_text(re.compile(r"1\s*Andaman\s*Anjir Pasar\s*4,60\s*4,40\s*4,50"))
    expect(body_rows.nth(1)).to_contain_text(re.compile(r"2\s*Anjir Pasar Kota\s*Anjir Pasar\s*4,00\s*4,40\s*4,20"))
    expect(body_rows.nth(2)).to_contain_text(re.compile(r"3\s*Cahaya Baru\s*Jejangkit\s*2,40\s*2,60\s*2,50"))
    expect(page.get_by_role("region", name="Keputusan")).to_contain_text("Belum diputuskan.")

    # --- The decision: the top two, with a rationale ---
    page.get_by_role("link", name="Putuskan").click()
    expect(page.get_by_role("heading", name=re.compile("^Keputusan"), level=1)).to_be_visible()
    page.get_by_role("checkbox", name=re.compile(r"^1\. Andaman, Kec\. Anjir Pasar — nilai 4,50")).check()
    page.get_by_role("checkbox", name=re.compile(r"^2\. Anjir Pasar Kota, Kec\. Anjir Pasar — nilai 4,20")).check()
    page.get_by_label("Alasan keputusan").fill(RATIONALE)
    page.get_by_role("button", name="Simpan keputusan").click()

    expect(page).to_have_url(round_url)
    expect(page.get_by_role("alert")).to_contain_text("Keputusan disimpan: 2 desa ditetapkan sebagai desa percontohan.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sudah diputuskan")
    decision = page.get_by_role("region", name="Keputusan")
    expect(decision).to_contain_text("Diputuskan oleh Budi Santoso")
    expect(decision).to_contain_text(RATIONALE)
    expect(decision.get_by_role("listitem")).to_have_count(2)
    expect(decision.get_by_role("listitem").nth(0)).to_contain_text("Andaman (Kec. Anjir Pasar) · Ditetapkan")
    expect(decision.get_by_role("listitem").nth(1)).to_contain_text("Anjir Pasar Kota (Kec. Anjir Pasar) · Ditetapkan")
    expect(ranking_row(page, "Andaman")).to_contain_text("Terpilih")
    expect(ranking_row(page, "Anjir Pasar Kota")).to_contain_text("Terpilih")
    expect(ranking_row(page, "Cahaya Baru")).not_to_contain_text("Terpilih")

    # --- The round is closed: no more forms ---
    for name in ("Ubah", "Kriteria dan bobot", "Calon desa", "Isi nilai", "Putuskan"):
        expect(page.locator("main").get_by_role("link", name=name, exact=True)).to_have_count(0)
    for form in ("ubah", "kriteria", "calon", "nilai", "keputusan"):
        second.goto(f"{round_url}{form}/")
        expect(second).to_have_url(round_url)
        expect(second.get_by_role("alert")).to_contain_text(
            "Putaran ini sudah diputuskan; datanya tidak dapat diubah lagi."
        )

    # --- The chosen villages are designated pilot villages on their pages, with their history ---
    decision.get_by_role("link", name="Andaman", exact=True).click()
    expect(page).to_have_url(re.compile(f"/wilayah/desa/{re.escape(ANDAMAN)}/$"))
    expect(page.locator("main h1 + span")).to_have_text(re.compile(r"Desa percontohan:\s*Ditetapkan"))
    pilot_card = page.get_by_role("region", name="Desa percontohan").locator(".card")
    expect(pilot_card).to_have_count(1)
    expect(pilot_card.locator(".card-header")).to_contain_text("Periode 2025–2029")
    expect(pilot_card.locator(".card-header")).to_contain_text("Ditetapkan")
    expect(pilot_card).to_contain_text("Balai Latihan Masyarakat Banjarmasin")
    expect(pilot_card.get_by_role("link", name=re.compile(TITLE))).to_be_visible()
    history = pilot_card.locator(".pilot-history > li")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text(re.compile(r"baru\s*→\s*Calon"))
    expect(history.nth(0)).to_contain_text("Budi Santoso")
    expect(history.nth(1)).to_contain_text(re.compile(r"Calon\s*→\s*Sudah dinilai"))
    expect(history.nth(1)).to_contain_text(f"Dinilai para pihak dalam {TITLE}.")
    expect(history.nth(2)).to_contain_text(re.compile(r"Sudah dinilai\s*→\s*Ditetapkan"))
    expect(history.nth(2)).to_contain_text(RATIONALE)

    page.goto(f"{live_server.url}/wilayah/desa/{ANJIR_PASAR_KOTA}/")
    expect(page.get_by_role("region", name="Desa percontohan").locator(".card-header")).to_contain_text("Ditetapkan")
    expect(page.locator(".pilot-history > li")).to_have_count(3)
    page.goto(f"{live_server.url}/wilayah/desa/{CAHAYA_BARU}/")  # a candidate not chosen
    expect(page.get_by_role("region", name="Desa percontohan")).to_contain_text(
        "Desa ini belum tercatat sebagai desa percontohan."
    )

    # --- And on the map page: the table below the map, the drawn points and the GeoJSON ---
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Peta").click()
    expect(page.get_by_role("heading", name="Peta desa percontohan", level=1)).to_be_visible()
    expect(
        page.get_by_text("2 desa percontohan dan calon di wilayah Anda; 2 di antaranya sudah memiliki lokasi.")
    ).to_be_visible()
    table_rows = page.locator("main table tbody tr")
    expect(table_rows).to_have_count(2)
    for position, name in enumerate(("Andaman", "Anjir Pasar Kota")):
        expect(table_rows.nth(position)).to_contain_text(name)
        expect(table_rows.nth(position)).to_contain_text("Ditetapkan")
        expect(table_rows.nth(position)).to_contain_text("Ada")
    expect(page.locator("main table")).not_to_contain_text("Cahaya Baru")
    # The pilot villages are drawn over the context layer (kecamatan outlines, other villages as points);
    # the map's own data is checked exactly below.
    expect(page.locator(".villages-map path.leaflet-interactive").nth(1)).to_be_attached()
    expect(page.locator("[data-map-error]")).to_be_hidden()

    geojson = page.request.get(f"{live_server.url}/peta/desa.geojson")
    assert geojson.ok
    features = {feature["id"]: feature for feature in geojson.json()["features"]}
    assert set(features) == {ANDAMAN, ANJIR_PASAR_KOTA}
    assert features[ANDAMAN]["geometry"] == {"type": "Point", "coordinates": [114.472453, -3.176824]}
    assert features[ANDAMAN]["properties"]["pilot_status"] == "Ditetapkan"
    assert not console.csp_violations
