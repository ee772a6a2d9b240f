"""Demo data: the real Barito Kuala pilot village programme (DESIGN.md §1).

Idempotent: running it again updates the same records. Later issues add their
own records of this programme here.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from partners.models import Organisation, OrganisationKind
from percontohan.models import User
from percontohan.roles import Role
from villages import services as village_services
from villages.models import (
    AreaKind,
    IndexScheme,
    IndexScore,
    ProgrammeArea,
    Province,
    Regency,
    SelectionCandidate,
    SelectionRound,
    Village,
)

BARITO_KUALA = "63.04"
KOTA_BANJARMASIN = "63.71"
KALIMANTAN_SELATAN = "63"
# Assumption for the demo: BLM Banjarmasin serves Kalimantan Selatan and Kalimantan Tengah.
BLM_BANJARMASIN_PROVINCES = ("63", "62")

DEMO_USERS = (
    # username, password, role, first name, last name, position, organisation short name
    ("admin", "admin-percontohan", Role.ADMIN, "Admin", "Portal", "Administrator sistem", "Balilatfo"),
    ("blm.banjarmasin", "blm-percontohan", Role.STAF_BLM, "Staf", "BLM Banjarmasin", "Widyaiswara", "BLM Banjarmasin"),
    (
        "pemda.baritokuala",
        "pemda-percontohan",
        Role.PEJABAT_PEMDA,
        "Pejabat",
        "DPMD Barito Kuala",
        "Kepala Bidang Pemberdayaan Desa",
        "DPMD Barito Kuala",
    ),
    (
        "kementerian",
        "kementerian-percontohan",
        Role.KEMENTERIAN,
        "Analis",
        "Kemendes PDTT",
        "Analis Kebijakan",
        "Kemendes PDTT",
    ),
)


def _organisation(name, short_name, kind, parent=None, regency=None, province=None, **extra):
    organisation = Organisation.objects.filter(name=name, parent=parent).first() or Organisation(
        name=name, parent=parent
    )
    organisation.short_name = short_name
    organisation.kind = kind
    organisation.regency = regency
    organisation.province = province or (regency.province if regency else None)
    for key, value in extra.items():
        setattr(organisation, key, value)
    organisation.full_clean()
    organisation.save()
    return organisation


def shared_data_dir():
    """The real data folder beside the project (../shared/data), if present; SHARED_DATA_DIR overrides."""
    folder = Path(os.environ.get("SHARED_DATA_DIR", settings.BASE_DIR.parent / "shared" / "data"))
    return folder if folder.is_dir() else None


@transaction.atomic
def demo_load():
    """Create or update the programme's organisations and one demo user per role; returns the logins."""
    barito_kuala = Regency.objects.get(code=BARITO_KUALA)
    banjarmasin = Regency.objects.get(code=KOTA_BANJARMASIN)
    kalsel = Province.objects.get(code=KALIMANTAN_SELATAN)

    kemendes = _organisation(
        "Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi",
        "Kemendes PDTT",
        OrganisationKind.MINISTRY,
        address="Jl. TMP Kalibata No. 17, Jakarta Selatan",
        website="https://kemendesa.go.id",
    )
    balilatfo = _organisation(
        "Badan Penelitian dan Pengembangan, Pendidikan dan Pelatihan, dan Informasi",
        "Balilatfo",
        OrganisationKind.MINISTRY_UNIT,
        parent=kemendes,
    )
    _organisation(
        "Biro Hukum, Organisasi dan Tata Laksana", "Biro Hukum", OrganisationKind.MINISTRY_UNIT, parent=kemendes
    )
    _organisation("Biro Hubungan Masyarakat", "Biro Humas", OrganisationKind.MINISTRY_UNIT, parent=kemendes)
    blm = _organisation(
        "Balai Latihan Masyarakat Banjarmasin",
        "BLM Banjarmasin",
        OrganisationKind.BLM,
        parent=balilatfo,
        regency=banjarmasin,
    )
    blm.working_area.set(Regency.objects.current().filter(province__in=BLM_BANJARMASIN_PROVINCES))
    _organisation(
        "Komisi V Dewan Perwakilan Rakyat Republik Indonesia", "Komisi V DPR RI", OrganisationKind.LEGISLATURE
    )
    _organisation(
        "Pemerintah Provinsi Kalimantan Selatan", "Pemprov Kalsel", OrganisationKind.PROVINCE_GOV, province=kalsel
    )
    pemkab = _organisation(
        "Pemerintah Kabupaten Barito Kuala",
        "Pemkab Barito Kuala",
        OrganisationKind.REGENCY_GOV,
        regency=barito_kuala,
        address="Jl. Jend. Sudirman No. 26, Marabahan",
    )
    dpmd = _organisation(
        "Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Barito Kuala",
        "DPMD Barito Kuala",
        OrganisationKind.DINAS,
        parent=pemkab,
        regency=barito_kuala,
    )
    _organisation(
        "Dinas Tenaga Kerja dan Transmigrasi Kabupaten Barito Kuala",
        "Disnakertrans Barito Kuala",
        OrganisationKind.DINAS,
        parent=pemkab,
        regency=barito_kuala,
    )
    _organisation(
        "Badan Perencanaan Pembangunan Daerah Kabupaten Barito Kuala",
        "Bappeda Barito Kuala",
        OrganisationKind.DINAS,
        parent=pemkab,
        regency=barito_kuala,
    )

    organisations = {o.short_name: o for o in (kemendes, balilatfo, blm, dpmd)}
    logins = []
    for username, password, role, first, last, position, org in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name, user.last_name, user.position = first, last, position
        user.role = role
        user.organisation = organisations[org]
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.set_password(password)
        user.save()
        if role == Role.STAF_BLM:
            user.scope_regencies.set(blm.working_area.all())
        elif role == Role.PEJABAT_PEMDA:
            user.scope_regencies.set([barito_kuala])
        logins.append((username, password, role.label))

    blm_user = User.objects.get(username="blm.banjarmasin")
    demo_index_and_geo()
    areas = demo_programme_areas(barito_kuala)
    demo_selection(
        barito_kuala,
        blm,
        areas,
        blm_user,
        stakeholders=[
            blm,
            dpmd,
            Organisation.objects.get(short_name="Bappeda Barito Kuala"),
        ],
    )
    return logins


# --- Issue 3: villages, areas, selection, index ------------------------------

MOU_DATE = datetime.date(2020, 3, 10)
ANJIR_PASAR = "63.04.03"
JEJANGKIT = "63.04.17"
KARANG_INDAH = "63.04.06.2021"  # Desa Karang Indah, Kecamatan Mandastana, in the KTM


def demo_index_and_geo():
    """IDM 2023–2024 and coordinates of Barito Kuala from ../shared/data, when that folder is present."""
    data = shared_data_dir()
    if data is None:
        return
    from villages.index_import import index_import

    idm_file = data / "idm" / "idm_barito_kuala_2023_2024.csv"
    if idm_file.exists():
        index_import(data=idm_file.read_bytes(), scheme=IndexScheme.objects.get(code="idm"))
    from villages.geo_import import geo_import

    for name in ("barito_kuala_village_centroids.csv", "barito_kuala_villages.geojson"):
        path = data / "geo" / name
        if path.exists():
            geo_import(data=path.read_bytes(), source=name)


def demo_programme_areas(barito_kuala):
    """The two pilot areas of the 2020 MoU with their real villages."""
    rural, _created = ProgrammeArea.objects.get_or_create(
        regency=barito_kuala,
        name="Kawasan Perdesaan Anjir Pasar",
        defaults={
            "kind": AreaKind.RURAL,
            "established_on": MOU_DATE,
            "description": "Kawasan perdesaan berbasis pertanian di Kecamatan Anjir Pasar (15 desa), "
            "lokasi intervensi prioritas 2020–2024.",
        },
    )
    ktm, _created = ProgrammeArea.objects.get_or_create(
        regency=barito_kuala,
        name="KTM Cahaya Baru",
        defaults={
            "kind": AreaKind.KTM,
            "established_on": MOU_DATE,
            "description": "Kawasan transmigrasi Kota Terpadu Mandiri Cahaya Baru, berpusat di Kecamatan Jejangkit; "
            "dilaporkan mencakup 48–59 desa di tujuh kecamatan. Di sini dicatat desa-desa Jejangkit dan "
            "Desa Karang Indah (Mandastana).",
        },
    )
    members = {
        rural: Village.objects.current().filter(district_id=ANJIR_PASAR),
        ktm: Village.objects.current().filter(district_id=JEJANGKIT) | Village.objects.filter(code=KARANG_INDAH),
    }
    for area, villages in members.items():
        known = set(area.memberships.values_list("village_id", flat=True))
        for village in villages:
            if village.code not in known:
                village_services.area_add_village(area=area, village=village, valid_from=MOU_DATE)
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


def demo_selection(barito_kuala, blm, areas, user, stakeholders):
    """The 2020 site selection round scored by BLM Banjarmasin, DPMD and Bappeda, and its decision."""
    round_, created = SelectionRound.objects.get_or_create(
        regency=barito_kuala,
        title="Seleksi Lokasi Desa Percontohan Kabupaten Barito Kuala 2020",
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
    idm = IndexScheme.objects.get(code="idm")
    components = {
        s.village_id: tuple(Decimal(s.components[c]) for c in ("iks", "ike", "ikl"))
        for s in IndexScore.objects.filter(scheme=idm, year=2023, village_id__in=CANDIDATES)
    }
    for code in CANDIDATES:
        candidate, _created = SelectionCandidate.objects.get_or_create(round=round_, village_id=code)
        for s_index, stakeholder in enumerate(stakeholders):
            for c_index, criterion in enumerate(criteria):
                value = _demo_score(code, c_index, s_index, components.get(code))
                village_services.selection_score(
                    candidate=candidate, criterion=criterion, stakeholder=stakeholder, value=value, user=user
                )
    ranked, _stakeholders = village_services.selection_ranking(round_)
    chosen = [entry.candidate for entry in ranked[:4]]
    village_services.selection_decide(
        round_=round_,
        chosen=chosen,
        rationale="Empat desa dengan nilai tertimbang tertinggi, dua di setiap kawasan bila memungkinkan, "
        "ditetapkan sebagai desa percontohan 2020–2024 sesuai kesepakatan rapat koordinasi.",
        user=user,
    )
    for pilot in round_.pilot_villages.all():
        area = next((a for a in areas.values() if a.memberships.filter(village=pilot.village).exists()), None)
        if area and pilot.programme_area_id != area.pk:
            pilot.programme_area = area
            pilot.save()
    return round_
