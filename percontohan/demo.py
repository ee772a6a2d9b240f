"""Demo data: the real Barito Kuala pilot village programme (DESIGN.md §1).

Idempotent: running it again updates the same records. Later issues add their
own records of this programme here.
"""

from django.db import transaction

from partners.models import Organisation, OrganisationKind
from percontohan.models import User
from percontohan.roles import Role
from villages.models import Province, Regency

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
    return logins
