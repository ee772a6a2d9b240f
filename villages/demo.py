"""The villages' part of the demo: Barito Kuala's index and map data, the two pilot areas of the
10 March 2020 MoU with their real villages, and the 2020 site selection that designated the pilot villages."""

import datetime
from decimal import Decimal

from django.utils import timezone

from partners import demo as partners_demo
from percontohan.demo import demo_save, shared_data_dir
from percontohan.models import User
from regions.models import Regency, Village
from villages import services
from villages.district_geo import district_geo_import
from villages.geo_import import geo_import
from villages.index_import import index_import
from villages.models import AreaKind, IndexScheme, IndexScore, ProgrammeArea, SelectionCandidate, SelectionRound

MOU_DATE = datetime.date(2020, 3, 10)
# The MoU that set up both areas: their legal basis in the programme.
MOU_BASIS = (
    "Nota Kesepahaman Kementerian Desa, PDTT dan Pemerintah Kabupaten Barito Kuala tentang Pembangunan Desa "
    "Percontohan, ditandatangani 10 Maret 2020 di Aula BLM Banjarmasin"
)
# When the parties' coordination meeting chose the pilot villages (the MoU's first commitment).
SELECTION_DECIDED = datetime.date(2020, 6, 15)
ANJIR_PASAR = "63.04.03"
JEJANGKIT = "63.04.17"
KARANG_INDAH = "63.04.06.2021"  # Desa Karang Indah, Kecamatan Mandastana, in the KTM
RURAL_AREA = "Kawasan Perdesaan Anjir Pasar"
KTM_AREA = "KTM Cahaya Baru"
SELECTION_TITLE = "Seleksi Lokasi Desa Percontohan Kabupaten Barito Kuala 2020"


def load():
    barito_kuala = Regency.objects.get(code=partners_demo.BARITO_KUALA)
    load_index_and_geo()
    areas = load_programme_areas(barito_kuala)
    load_selection(barito_kuala, areas)


def load_index_and_geo():
    """IDM 2023–2024, village points and boundaries, and kecamatan boundaries of Barito Kuala from
    ../shared/data, when that folder is present."""
    data = shared_data_dir()
    if data is None:
        return
    idm_file = data / "idm" / "idm_barito_kuala_2023_2024.csv"
    if idm_file.exists():
        index_import(data=idm_file.read_bytes(), scheme=IndexScheme.objects.get(code="idm"))
    for name in ("barito_kuala_village_centroids.csv", "barito_kuala_villages.geojson"):
        path = data / "geo" / name
        if path.exists():
            geo_import(data=path.read_bytes(), source=name)
    districts = data / "geo" / "barito_kuala_districts.geojson"
    if districts.exists():
        district_geo_import(data=districts.read_bytes(), source=districts.name)


def load_programme_areas(barito_kuala):
    """The two pilot areas of the 2020 MoU with their real villages."""
    rural = demo_save(
        ProgrammeArea.objects.filter(regency=barito_kuala, name=RURAL_AREA).first()
        or ProgrammeArea(regency=barito_kuala, name=RURAL_AREA),
        kind=AreaKind.RURAL,
        established_on=MOU_DATE,
        legal_basis=MOU_BASIS,
        description="Kawasan perdesaan berbasis pertanian di Kecamatan Anjir Pasar (15 desa), "
        "lokasi intervensi prioritas 2020–2024.",
    )
    ktm = demo_save(
        ProgrammeArea.objects.filter(regency=barito_kuala, name=KTM_AREA).first()
        or ProgrammeArea(regency=barito_kuala, name=KTM_AREA),
        kind=AreaKind.KTM,
        established_on=MOU_DATE,
        legal_basis=MOU_BASIS,
        description="Kawasan transmigrasi Kota Terpadu Mandiri Cahaya Baru, berpusat di Kecamatan Jejangkit; "
        "dilaporkan mencakup 48–59 desa di tujuh kecamatan. Di sini dicatat desa-desa Jejangkit dan "
        "Desa Karang Indah (Mandastana).",
    )
    members = {
        rural: Village.objects.current().filter(district_id=ANJIR_PASAR),
        ktm: Village.objects.current().filter(district_id=JEJANGKIT) | Village.objects.filter(code=KARANG_INDAH),
    }
    for area, villages in members.items():
        known = set(area.memberships.values_list("village_id", flat=True))
        for village in villages:
            if village.code not in known:
                services.area_add_village(area=area, village=village, valid_from=MOU_DATE)
    return {"rural": rural, "ktm": ktm}


CRITERIA = [
    ("Efisiensi", "Biaya dan upaya pembinaan sebanding dengan hasil yang diharapkan", Decimal("25")),
    ("Efektivitas", "Peluang intervensi mengubah kesejahteraan dan kemandirian desa", Decimal("25")),
    ("Kesiapan desa", "Kelembagaan desa, BUMDes, dan kader yang siap bekerja", Decimal("20")),
    ("Komitmen pemerintah desa", "Dukungan kepala desa dan BPD, termasuk anggaran Dana Desa", Decimal("20")),
    ("Aksesibilitas", "Jangkauan dari BLM Banjarmasin dan ibu kota kabupaten", Decimal("10")),
]
CANDIDATES = [
    "63.04.03.2003",  # Anjir Pasar Kota
    "63.04.03.2011",  # Anjir Pasar Lama
    "63.04.03.2001",  # Andaman
    "63.04.03.2015",  # Danau Karya
    "63.04.17.2005",  # Cahaya Baru
    "63.04.17.2006",  # Jejangkit Pasar
    "63.04.17.2003",  # Bahandang
    KARANG_INDAH,
]


def _demo_score(village_code, criterion_index, stakeholder_index, components):
    """A deterministic 1–5 score, anchored on the village's 2023 IDM components when known."""
    iks, ike, ikl = components or (Decimal("0.7"), Decimal("0.65"), Decimal("0.8"))
    basis = [ike, iks, (iks + ike) / 2, iks, ikl][criterion_index]
    # Each stakeholder weighs one criterion more (BLM: readiness, DPMD: commitment, Bappeda: effectiveness).
    preferred = (2, 3, 1)[stakeholder_index % 3]
    nudge = (int(village_code.replace(".", "")) * 7 + criterion_index * 5) % 3 - 1 + (criterion_index == preferred)
    return max(1, min(5, int(1 + 4 * basis) + nudge))


def load_selection(barito_kuala, areas):
    """The 2020 site selection round scored by BLM Banjarmasin, DPMD and Bappeda, and its decision of June 2020."""
    blm = partners_demo.organisation(partners_demo.BLM_BANJARMASIN)
    stakeholders = [
        blm,
        partners_demo.organisation(partners_demo.DPMD_BARITO_KUALA),
        partners_demo.organisation(partners_demo.BAPPEDA_BARITO_KUALA),
    ]
    user = User.objects.get(username="blm.banjarmasin")
    round_, created = SelectionRound.objects.get_or_create(
        regency=barito_kuala,
        title=SELECTION_TITLE,
        defaults={
            "responsible_blm": blm,
            "programme_area": None,
            "period_start": 2020,
            "period_end": 2024,
            "minutes": "Rapat koordinasi para pihak di Aula BLM Banjarmasin bersama DPMD dan Bappeda Kabupaten "
            "Barito Kuala. Lokasi dipilih oleh UPT setelah koordinasi multipihak, dengan menimbang efisiensi "
            "dan efektivitas, pada dua kawasan: Kawasan Perdesaan Anjir Pasar dan KTM Cahaya Baru.",
        },
    )
    if not round_.is_open:
        return round_
    if created or not round_.criteria.exists():
        for order, (name, description, weight) in enumerate(CRITERIA, start=1):
            round_.criteria.create(name=name, description=description, weight=weight, order=order)
    criteria = list(round_.criteria.all())
    components = {
        s.village_id: tuple(Decimal(s.components[c]) for c in ("iks", "ike", "ikl"))
        for s in IndexScore.objects.filter(scheme__code="idm", year=2023, village_id__in=CANDIDATES)
    }
    for code in CANDIDATES:
        candidate, _created = SelectionCandidate.objects.get_or_create(round=round_, village_id=code)
        for s_index, stakeholder in enumerate(stakeholders):
            for c_index, criterion in enumerate(criteria):
                value = _demo_score(code, c_index, s_index, components.get(code))
                services.selection_score(
                    candidate=candidate, criterion=criterion, stakeholder=stakeholder, value=value, user=user
                )
    ranked, _stakeholders = services.selection_ranking(round_)
    services.selection_decide(
        round_=round_,
        chosen=[entry.candidate for entry in ranked[:4]],
        rationale="Empat desa dengan nilai tertimbang tertinggi, dua di setiap kawasan bila memungkinkan, "
        "ditetapkan sebagai desa percontohan 2020–2024 sesuai kesepakatan rapat koordinasi.",
        user=user,
        at=timezone.make_aware(datetime.datetime.combine(SELECTION_DECIDED, datetime.time(10))),
    )
    for pilot in round_.pilot_villages.all():
        area = next((a for a in areas.values() if a.memberships.filter(village=pilot.village).exists()), None)
        if area and pilot.programme_area_id != area.pk:
            pilot.programme_area = area
            pilot.save()
    return round_
