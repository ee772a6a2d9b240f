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
    demo_agreements(areas=areas, user=User.objects.get(username="admin"))
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


# --- Issue 4: the 2020 MoU, its two PKS, commitments and documents ----------------
#
# What the press reported (DESIGN.md §1) is kept as it was: who signed, where, when, who witnessed.
# The agreements' real numbers and texts are unknown, so numbers say DEMO and every PDF says it is a
# demo document. Where only a position is known, the position stands in for the person's name.

MOU_NUMBER = "DEMO/MoU/2020/001"
MOU_RENEWAL_NUMBER = "DEMO/MoU/2025/001"
PKS_DPMD_NUMBER = "DEMO/PKS/2020/001"
PKS_DISNAKERTRANS_NUMBER = "DEMO/PKS/2020/002"
MOU_PLACE = "Aula BLM Banjarmasin"
# Priority intervention 2020–2024.
MOU_END = datetime.date(2024, 12, 31)
# A demo renewal (not a reported fact) so that "expiring soon" has something to show.
RENEWAL_SIGNED = datetime.date(2025, 1, 6)
RENEWAL_END = datetime.date(2026, 12, 31)

PROGRAMME_AIMS = (
    "Para pihak sepakat membangun desa percontohan di Kabupaten Barito Kuala (Kawasan Perdesaan Anjir Pasar dan "
    "KTM Cahaya Baru) untuk: menyinergikan program seluruh pemangku kepentingan; mewujudkan kemandirian desa "
    "(Desa Membangun); mengembangkan kerja sama antardesa dan kerja sama desa dengan pihak ketiga; meningkatkan "
    "kesejahteraan (ekonomi desa, pendapatan rumah tangga, dan pendapatan asli desa); memperkuat pendampingan desa; "
    "dan menjadikan desa percontohan laboratorium lapangan yang menjadi rujukan pembelajaran bagi desa lain."
)

# (description, party position, due date, done on, evidence note); done on None = still open.
MOU_COMMITMENTS = (
    (
        "Menetapkan lokasi desa percontohan di Kawasan Perdesaan Anjir Pasar dan KTM Cahaya Baru setelah "
        "koordinasi multipihak, dengan menimbang efisiensi dan efektivitas.",
        2,
        datetime.date(2020, 6, 30),
        datetime.date(2020, 6, 15),
        "Lokasi ditetapkan dalam rapat koordinasi para pihak di Aula BLM Banjarmasin; berita acara seleksi lokasi "
        "tercatat pada halaman seleksi lokasi.",
    ),
    (
        "Menyinergikan program seluruh pemangku kepentingan di desa percontohan melalui forum koordinasi "
        "multipihak yang difasilitasi BLM Banjarmasin.",
        1,
        datetime.date(2020, 12, 31),
        datetime.date(2020, 12, 10),
        "Forum koordinasi multipihak terbentuk; rencana program para pihak di desa percontohan dihimpun oleh "
        "BLM Banjarmasin.",
    ),
    (
        "Mendorong kemandirian desa (Desa Membangun) melalui perencanaan dan penganggaran desa yang mendukung "
        "desa percontohan.",
        2,
        datetime.date(2022, 12, 31),
        datetime.date(2022, 11, 30),
        "Kegiatan pendukung desa percontohan dimuat dalam RKP Desa dan APB Desa desa percontohan.",
    ),
    (
        "Menjadikan desa percontohan laboratorium lapangan dan rujukan pembelajaran bagi desa lain.",
        1,
        datetime.date(2024, 12, 31),
        datetime.date(2024, 11, 29),
        "Desa percontohan dipakai sebagai lokasi praktik lapangan pelatihan BLM Banjarmasin.",
    ),
    (
        "Melaporkan perkembangan ekonomi desa, pendapatan rumah tangga, dan pendapatan asli desa di desa "
        "percontohan selama masa intervensi prioritas 2020–2024.",
        2,
        datetime.date(2025, 3, 31),
        None,
        "",
    ),
)
PKS_DPMD_COMMITMENTS = (
    (
        "Menyelenggarakan pelatihan masyarakat bagi warga desa percontohan melalui BLM Banjarmasin.",
        1,
        datetime.date(2021, 12, 31),
        datetime.date(2021, 11, 26),
        "Pelatihan masyarakat desa percontohan diselenggarakan BLM Banjarmasin; daftar hadir tersimpan di BLM.",
    ),
    (
        "Memperkuat pendampingan desa di desa percontohan bersama pendamping desa dan kader desa.",
        2,
        datetime.date(2021, 6, 30),
        datetime.date(2021, 6, 21),
        "Jadwal pendampingan desa percontohan disepakati dengan pendamping desa kecamatan.",
    ),
    (
        "Memfasilitasi kerja sama antardesa dan kerja sama desa dengan pihak ketiga (BUMDes Bersama) di "
        "Kawasan Perdesaan Anjir Pasar.",
        2,
        datetime.date(2024, 6, 30),
        None,
        "",
    ),
)
PKS_DISNAKERTRANS_COMMITMENTS = (
    (
        "Menyelenggarakan pelatihan masyarakat bagi warga kawasan transmigrasi KTM Cahaya Baru melalui "
        "BLM Banjarmasin.",
        1,
        datetime.date(2021, 12, 31),
        datetime.date(2021, 10, 29),
        "Pelatihan bagi warga KTM Cahaya Baru diselenggarakan BLM Banjarmasin; daftar hadir tersimpan di BLM.",
    ),
    (
        "Mengembangkan usaha ekonomi warga kawasan transmigrasi untuk meningkatkan pendapatan rumah tangga di "
        "KTM Cahaya Baru.",
        2,
        datetime.date(2024, 12, 31),
        datetime.date(2024, 12, 16),
        "Kelompok usaha warga KTM Cahaya Baru terbentuk dan tercatat di Disnakertrans Barito Kuala.",
    ),
)
RENEWAL_COMMITMENTS = (
    (
        "Menyusun rencana keberlanjutan desa percontohan dan replikasinya ke desa lain.",
        2,
        datetime.date(2026, 6, 30),
        None,
        "",
    ),
    (
        "Melanjutkan sinergi program para pemangku kepentingan di desa percontohan.",
        1,
        RENEWAL_END,
        None,
        "",
    ),
)

DEMO_PDF_TEMPLATE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 2cm; }
body { font-family: sans-serif; font-size: 10.5pt; line-height: 1.4; }
h1 { font-size: 14pt; text-align: center; margin-bottom: 0.2cm; }
.number { text-align: center; margin-top: 0; }
.demo { border: 1px solid #a00; color: #a00; padding: 0.2cm; text-align: center; }
th { text-align: left; vertical-align: top; padding-right: 0.4cm; }
</style></head><body>
<p class="demo">DOKUMEN DEMO — dibuat oleh Portal Desa Percontohan untuk data demo; bukan naskah resmi.</p>
<h1>{{ agreement.get_kind_display|upper }}</h1>
<p class="number">Nomor: {{ agreement.number }}</p>
<h2>{{ agreement.title }}</h2>
<table>
<tr><th>Tanggal penandatanganan</th><td>{{ agreement.signed_on|date:"j F Y"|default:"—" }}</td></tr>
<tr><th>Tempat</th><td>{{ agreement.signed_place|default:"—" }}</td></tr>
<tr><th>Masa berlaku</th>
<td>{{ agreement.effective_from|date:"j F Y" }} s.d. {{ agreement.effective_to|date:"j F Y" }}</td></tr>
{% if agreement.implements %}<tr><th>Melaksanakan</th><td>{{ agreement.implements }}</td></tr>{% endif %}
{% if agreement.renewal_of %}<tr><th>Perpanjangan dari</th><td>{{ agreement.renewal_of }}</td></tr>{% endif %}
</table>
<h3>Para pihak</h3>
<ol>{% for party in parties %}<li>{{ party.organisation.name }} ({{ party.role_label }})</li>{% endfor %}</ol>
<h3>Pokok kesepakatan</h3>
<p>{{ agreement.subject }}</p>
<h3>Komitmen</h3>
<ol>{% for c in commitments %}
<li>{{ c.description }} — {{ c.party.organisation.short_name }}, tenggat {{ c.due_date|date:"j F Y" }}</li>
{% endfor %}</ol>
{% if signatories %}<h3>Penandatangan</h3>
<ul>{% for s in signatories %}<li>{{ s.name }} — {{ s.position }}</li>{% endfor %}</ul>{% endif %}
{% if witnesses %}<h3>Saksi</h3>
<ul>{% for s in witnesses %}<li>{{ s.name }} — {{ s.position }}</li>{% endfor %}</ul>{% endif %}
</body></html>
"""


def _people(people):
    return [
        {"role": role, "name": name, "position": position, "organisation": organisation}
        for role, name, position, organisation in people
    ]


def _demo_agreement(*, number, issuer, build, parties, people, areas, signed_place, user):
    """An agreement found by its natural key (issuer + number); else built, saved with its parties,
    signatories and coverage, and signed through the agreement services."""
    from agreements import services
    from agreements.models import Agreement

    agreement = Agreement.objects.filter(issuer=issuer, number=number).first()
    if agreement is not None:
        return agreement
    agreement = services.agreement_save(
        agreement=build(),
        parties=[{"organisation": o, "position": position} for position, o in enumerate(parties, start=1)],
        signatories=_people(people),
        areas=areas,
        villages=Village.objects.filter(area_memberships__area__in=areas).distinct(),
        user=user,
    )
    # Signing lets the dates decide at once: active, or (for 2020–2024) expired.
    return services.agreement_sign(agreement=agreement, signed_place=signed_place, user=user)


def _demo_commitments(agreement, commitments, user):
    """Commitments found by agreement and description; done ones closed with their evidence note."""
    from agreements.commitments import commitment_save, commitment_set_status
    from agreements.models import CommitmentStatus

    for description, position, due, done_on, evidence in commitments:
        if agreement.commitments.filter(description=description).exists():
            continue
        commitment = commitment_save(
            agreement=agreement,
            party=agreement.parties.get(position=position),
            description=description,
            due_date=due,
        )
        if done_on:
            commitment_set_status(
                commitment=commitment, status=CommitmentStatus.DONE, completed_on=done_on, note=evidence, user=user
            )
        else:
            commitment_set_status(commitment=commitment, status=CommitmentStatus.IN_PROGRESS, user=user)


def demo_agreement_pdf(agreement):
    """A PDF of a demo agreement (WeasyPrint), clearly marked as a demo, not the signed text."""
    import weasyprint
    from django.template import engines
    from django.utils import translation

    from agreements.models import SignatoryRole

    with translation.override("id"):
        html = (
            engines["django"]
            .from_string(DEMO_PDF_TEMPLATE)
            .render(
                {
                    "agreement": agreement,
                    "parties": agreement.parties.select_related("organisation"),
                    "commitments": agreement.commitments.select_related("party__organisation"),
                    "signatories": agreement.signatories.filter(role=SignatoryRole.SIGNATORY),
                    "witnesses": agreement.signatories.filter(role=SignatoryRole.WITNESS),
                }
            )
        )
    return weasyprint.HTML(string=html).write_pdf()


def _demo_document(agreement, user):
    """The agreement's (demo) signed document as version 1, generated once."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agreements.documents import document_add
    from agreements.models import DocumentKind

    if agreement.documents.filter(kind=DocumentKind.SIGNED).exists():
        return
    name = agreement.number.replace("/", "-").lower() + ".pdf"
    document_add(
        agreement=agreement,
        kind=DocumentKind.SIGNED,
        title=f"Naskah {agreement.number} (dokumen demo)",
        upload=SimpleUploadedFile(name, demo_agreement_pdf(agreement), content_type="application/pdf"),
        user=user,
    )


def demo_agreements(*, areas, user):
    """The 10 March 2020 MoU (Kemendes PDTT – Pemkab Barito Kuala), the two PKS implementing it, a demo
    renewal of the MoU, their commitments drawn from the programme's aims, and a PDF of each."""
    from agreements import services
    from agreements.models import Agreement, AgreementKind, SignatoryRole

    names = ("Kemendes PDTT", "Balilatfo", "Biro Hukum", "Biro Humas", "BLM Banjarmasin", "Komisi V DPR RI")
    names += ("Pemkab Barito Kuala", "DPMD Barito Kuala", "Disnakertrans Barito Kuala")
    org = {o.short_name: o for o in Organisation.objects.filter(short_name__in=names).order_by("-pk")}
    kemendes, balilatfo, pemkab = org["Kemendes PDTT"], org["Balilatfo"], org["Pemkab Barito Kuala"]
    dpmd, disnakertrans = org["DPMD Barito Kuala"], org["Disnakertrans Barito Kuala"]
    both_areas = [areas["rural"], areas["ktm"]]
    signatory, witness = SignatoryRole.SIGNATORY, SignatoryRole.WITNESS
    dated_2020 = {"signed_on": MOU_DATE, "effective_from": MOU_DATE, "effective_to": MOU_END}

    mou = _demo_agreement(
        number=MOU_NUMBER,
        issuer=kemendes,
        build=lambda: Agreement(
            kind=AgreementKind.MOU,
            number=MOU_NUMBER,
            issuer=kemendes,
            title="Nota Kesepahaman tentang Pembangunan Desa Percontohan di Kabupaten Barito Kuala",
            subject=PROGRAMME_AIMS,
            **dated_2020,
        ),
        parties=[kemendes, pemkab],
        people=[
            (signatory, "Anwar Sanusi", "Sekretaris Jenderal Kementerian Desa, PDTT", kemendes),
            (signatory, "Hj. Noormiliyani", "Bupati Barito Kuala", pemkab),
            (witness, "HM. Rifqinizami Karsayuda", "Anggota Komisi V DPR RI", org["Komisi V DPR RI"]),
            (witness, "Sekretaris Balilatfo", "Sekretaris Balilatfo", balilatfo),
            (witness, "Perwakilan Biro Hukum", "Biro Hukum, Organisasi dan Tata Laksana", org["Biro Hukum"]),
            (witness, "Perwakilan Biro Humas", "Biro Hubungan Masyarakat", org["Biro Humas"]),
            (witness, "Pepen Efendi", "Kepala BLM Banjarmasin", org["BLM Banjarmasin"]),
            (witness, "Perwakilan SKPD Kabupaten Barito Kuala", "Satuan kerja perangkat daerah", pemkab),
        ],
        areas=both_areas,
        signed_place=MOU_PLACE,
        user=user,
    )
    _demo_commitments(mou, MOU_COMMITMENTS, user)

    head_of_balilatfo = (
        signatory,
        "Eko Sri Haryanto",
        "Kepala Badan Penelitian dan Pengembangan, Pendidikan dan Pelatihan, dan Informasi",
        balilatfo,
    )
    pks = []
    for number, dinas, covered, subject, commitments in (
        (
            PKS_DPMD_NUMBER,
            dpmd,
            both_areas,
            "Pelaksanaan nota kesepahaman pembangunan desa percontohan: pelatihan masyarakat, pendampingan desa, "
            "kemandirian desa, dan kerja sama antardesa serta dengan pihak ketiga.",
            PKS_DPMD_COMMITMENTS,
        ),
        (
            PKS_DISNAKERTRANS_NUMBER,
            disnakertrans,
            [areas["ktm"]],
            "Pelaksanaan nota kesepahaman pembangunan desa percontohan di kawasan transmigrasi KTM Cahaya Baru: "
            "pelatihan masyarakat dan pengembangan ekonomi warga transmigran.",
            PKS_DISNAKERTRANS_COMMITMENTS,
        ),
    ):
        agreement = _demo_agreement(
            number=number,
            issuer=balilatfo,
            build=lambda number=number, dinas=dinas, subject=subject: Agreement(
                kind=AgreementKind.PKS,
                number=number,
                issuer=balilatfo,
                implements=mou,
                title=f"Perjanjian Kerja Sama tentang Pembangunan Desa Percontohan antara Balilatfo dan {dinas.name}",
                subject=subject,
                **dated_2020,
            ),
            parties=[balilatfo, dinas],
            # Only the head of Balilatfo is named in the reports; the Dinas head by position.
            people=[head_of_balilatfo, (signatory, f"Kepala {dinas.name}", f"Kepala {dinas.short_name}", dinas)],
            areas=covered,
            signed_place=MOU_PLACE,
            user=user,
        )
        _demo_commitments(agreement, commitments, user)
        pks.append(agreement)

    def renewal_draft():
        draft = services.agreement_renew(
            agreement=mou,
            number=MOU_RENEWAL_NUMBER,
            title="Nota Kesepahaman tentang Pembangunan Desa Percontohan di Kabupaten Barito Kuala "
            "(perpanjangan, data demo)",
            user=user,
        )
        draft.subject = (
            "Data demo, bukan kesepakatan yang dilaporkan: perpanjangan rekaan nota kesepahaman 2020 untuk "
            "2025–2026, agar pengingat masa berlaku dapat dicoba. " + PROGRAMME_AIMS
        )
        draft.signed_on, draft.effective_from, draft.effective_to = RENEWAL_SIGNED, RENEWAL_SIGNED, RENEWAL_END
        return draft

    renewal = _demo_agreement(
        number=MOU_RENEWAL_NUMBER,
        issuer=kemendes,
        build=renewal_draft,
        parties=[kemendes, pemkab],
        # A demo: nobody is named, the signatories are given by position only.
        people=[
            (signatory, "Sekretaris Jenderal", "Sekretaris Jenderal", kemendes),
            (signatory, "Bupati Barito Kuala", "Bupati Barito Kuala", pemkab),
        ],
        areas=both_areas,
        signed_place="",
        user=user,
    )
    _demo_commitments(renewal, RENEWAL_COMMITMENTS, user)

    agreements = [mou, *pks, renewal]
    for agreement in agreements:
        _demo_document(agreement, user)
    return agreements
