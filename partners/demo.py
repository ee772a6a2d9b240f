"""The partners' part of the demo: the organisations of the 2020 Barito Kuala programme (DESIGN.md §1)
and one demo user per role, each in its organisation."""

from partners.models import Organisation, OrganisationKind
from percontohan.demo import demo_save
from percontohan.models import User
from percontohan.roles import Role
from regions.models import Province, Regency

BARITO_KUALA = "63.04"
KOTA_BANJARMASIN = "63.71"
KALIMANTAN_SELATAN = "63"
# Assumption of the demo: BLM Banjarmasin serves Kalimantan Selatan and Kalimantan Tengah.
BLM_BANJARMASIN_PROVINCES = ("63", "62")

# Short names, the natural keys other apps' demos look the organisations up by.
KEMENDES = "Kemendes PDTT"
BALILATFO = "Balilatfo"
BIRO_HUKUM = "Biro Hukum"
BIRO_HUMAS = "Biro Humas"
BLM_BANJARMASIN = "BLM Banjarmasin"
KOMISI_V = "Komisi V DPR RI"
PEMKAB_BARITO_KUALA = "Pemkab Barito Kuala"
DPMD_BARITO_KUALA = "DPMD Barito Kuala"
DISNAKERTRANS_BARITO_KUALA = "Disnakertrans Barito Kuala"
BAPPEDA_BARITO_KUALA = "Bappeda Barito Kuala"

# Who led them at the signing of 10 March 2020, as the press reported it.
BUPATI_BARITO_KUALA = "Hj. Noormiliyani AS"
HEAD_OF_BALILATFO = "Eko Sri Haryanto"
HEAD_OF_BLM_BANJARMASIN = "Pepen Efendi"

DEMO_USERS = (
    # username, password, role, first name, last name, position, organisation short name
    ("admin", "admin-percontohan", Role.ADMIN, "Admin", "Portal", "Administrator sistem", BALILATFO),
    ("blm.banjarmasin", "blm-percontohan", Role.STAF_BLM, "Staf", "BLM Banjarmasin", "Widyaiswara", BLM_BANJARMASIN),
    (
        "pemda.baritokuala",
        "pemda-percontohan",
        Role.PEJABAT_PEMDA,
        "Pejabat",
        "DPMD Barito Kuala",
        "Kepala Bidang Pemberdayaan Desa",
        DPMD_BARITO_KUALA,
    ),
    (
        "kementerian",
        "kementerian-percontohan",
        Role.KEMENTERIAN,
        "Analis",
        "Kemendes PDTT",
        "Analis Kebijakan",
        KEMENDES,
    ),
)


def organisation(short_name):
    """A demo organisation by its short name."""
    return Organisation.objects.get(short_name=short_name)


def _organisation(name, short_name, kind, parent=None, regency=None, province=None, **extra):
    record = Organisation.objects.filter(name=name, parent=parent).first() or Organisation(name=name, parent=parent)
    return demo_save(
        record,
        short_name=short_name,
        kind=kind,
        regency=regency,
        province=province or (regency.province if regency else None),
        **extra,
    )


def load():
    """Create or update the programme's organisations and the demo users; returns the logins."""
    barito_kuala = Regency.objects.get(code=BARITO_KUALA)
    banjarmasin = Regency.objects.get(code=KOTA_BANJARMASIN)
    kalsel = Province.objects.get(code=KALIMANTAN_SELATAN)

    kemendes = _organisation(
        "Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi",
        KEMENDES,
        OrganisationKind.MINISTRY,
        address="Jl. TMP Kalibata No. 17, Jakarta Selatan",
        website="https://kemendesa.go.id",
    )
    balilatfo = _organisation(
        "Badan Penelitian dan Pengembangan, Pendidikan dan Pelatihan, dan Informasi",
        BALILATFO,
        OrganisationKind.MINISTRY_UNIT,
        parent=kemendes,
        head_name=HEAD_OF_BALILATFO,
        head_position="Kepala Badan",
    )
    _organisation("Biro Hukum, Organisasi dan Tata Laksana", BIRO_HUKUM, OrganisationKind.MINISTRY_UNIT, kemendes)
    _organisation("Biro Hubungan Masyarakat", BIRO_HUMAS, OrganisationKind.MINISTRY_UNIT, parent=kemendes)
    blm = _organisation(
        "Balai Latihan Masyarakat Banjarmasin",
        BLM_BANJARMASIN,
        OrganisationKind.BLM,
        parent=balilatfo,
        regency=banjarmasin,
        head_name=HEAD_OF_BLM_BANJARMASIN,
        head_position="Kepala Balai",
        description="Balai pelatihan Kementerian Desa, PDTT yang sejak 2015 melatih warga desa, daerah tertinggal, "
        "dan kawasan transmigrasi. Sejak 2020 mendampingi pembangunan desa percontohan di Kabupaten Barito Kuala "
        "bersama pemerintah kabupaten dan dinas-dinasnya.",
    )
    working_area = Regency.objects.current().filter(province__in=BLM_BANJARMASIN_PROVINCES)
    if set(blm.working_area.values_list("pk", flat=True)) != set(working_area.values_list("pk", flat=True)):
        blm.working_area.set(working_area)
    _organisation("Komisi V Dewan Perwakilan Rakyat Republik Indonesia", KOMISI_V, OrganisationKind.LEGISLATURE)
    _organisation(
        "Pemerintah Provinsi Kalimantan Selatan", "Pemprov Kalsel", OrganisationKind.PROVINCE_GOV, province=kalsel
    )
    pemkab = _organisation(
        "Pemerintah Kabupaten Barito Kuala",
        PEMKAB_BARITO_KUALA,
        OrganisationKind.REGENCY_GOV,
        regency=barito_kuala,
        address="Jl. Jend. Sudirman No. 26, Marabahan",
        head_name=BUPATI_BARITO_KUALA,
        head_position="Bupati",
    )
    dpmd = _organisation(
        "Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Barito Kuala",
        DPMD_BARITO_KUALA,
        OrganisationKind.DINAS,
        parent=pemkab,
        regency=barito_kuala,
    )
    for name, short_name in (
        ("Dinas Tenaga Kerja dan Transmigrasi Kabupaten Barito Kuala", DISNAKERTRANS_BARITO_KUALA),
        ("Badan Perencanaan Pembangunan Daerah Kabupaten Barito Kuala", BAPPEDA_BARITO_KUALA),
    ):
        _organisation(name, short_name, OrganisationKind.DINAS, parent=pemkab, regency=barito_kuala)

    return _demo_users({o.short_name: o for o in (kemendes, balilatfo, blm, dpmd)}, blm, barito_kuala)


def _demo_users(organisations, blm, barito_kuala):
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
        logins.append((username, password, str(role.label)))
    return logins
