"""NIK (Nomor Induk Kependudukan, the 16-digit national ID): its structure, its keyed hash and its mask.

A NIK reads `PPKKDD DDMMYY SSSS`: province and regency (digits 1–4) and district (5–6) where it was
issued, the birth date (7–12, with 40 added to the day for women) and a serial (13–16, never 0000).
A NIK keeps the code of the place it was issued, so a retired regency is still a known one.

The NIK is personal data (UU 27/2022): it is stored encrypted (trainings.models.Person.nik), found by
a keyed hash (`nik_hash`, HMAC-SHA256 with NIK_HASH_KEY) so that duplicates are found without
decrypting, and shown masked (`mask`) everywhere. No message written here contains the NIK.
"""

import datetime
import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from regions.models import District, Regency

MASK = "\u2022"  # •


class Sex:
    MALE = "L"
    FEMALE = "P"


@dataclass
class NikReading:
    """What a structurally valid NIK says; `warnings` are doubts that do not refuse it."""

    regency_code: str
    district_code: str
    sex: str
    birth_date: datetime.date
    warnings: list = field(default_factory=list)


class NikError(ValueError):
    """The NIK is not valid; the message says why (never repeating the NIK)."""


def normalise(value):
    """The NIK as digits only: spaces, dots and dashes people type are dropped."""
    return "".join(ch for ch in str(value or "") if ch not in " .-\u00a0\t")


def read(nik, *, today=None, known_regencies=None, known_districts=None):
    """Check `nik`'s structure and return what it says (NikReading), or raise NikError saying why.

    `known_regencies` and `known_districts` are collections of region codes ("63.04", "63.04.01"); when
    None they are looked up in the regions table (active and retired).
    """
    nik = normalise(nik)
    if not nik.isascii() or not nik.isdigit():
        raise NikError(_("NIK hanya boleh berisi angka."))
    if len(nik) != 16:
        raise NikError(_("NIK harus 16 angka; yang diisi %(count)d angka.") % {"count": len(nik)})
    regency_code = f"{nik[0:2]}.{nik[2:4]}"
    district_code = f"{regency_code}.{nik[4:6]}"
    if known_regencies is None or known_districts is None:
        known_regencies = set(Regency.objects.filter(code=regency_code).values_list("code", flat=True))
        known_districts = set(District.objects.filter(code=district_code).values_list("code", flat=True))
    if regency_code not in known_regencies:
        raise NikError(_("Angka 1–4 NIK (%(code)s) bukan kode kabupaten/kota yang dikenal.") % {"code": nik[0:4]})
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = Sex.MALE
    if day > 40:
        day, sex = day - 40, Sex.FEMALE
    today = today or datetime.date.today()  # noqa: DTZ011 — a calendar date, not a moment
    century = 2000 if 2000 + year <= today.year else 1900
    try:
        birth_date = datetime.date(century + year, month, day)
    except ValueError:
        raise NikError(
            _("Angka 7–12 NIK bukan tanggal lahir yang sah (DDMMYY, tanggal ditambah 40 untuk perempuan).")
        ) from None
    if nik[12:16] == "0000":
        raise NikError(_("Angka 13–16 NIK (nomor urut) tidak boleh 0000."))
    reading = NikReading(regency_code, district_code, sex, birth_date)
    if district_code not in known_districts:
        reading.warnings.append(
            _("Angka 5–6 NIK (%(code)s) bukan kecamatan yang dikenal di kabupaten/kota itu; periksa kembali.")
            % {"code": nik[4:6]}
        )
    return reading


def disagreements(reading, *, sex=None, birth_date=None):
    """{field: message} for the entered sex and birth date that disagree with what the NIK says."""
    found = {}
    if sex and sex != reading.sex:
        found["sex"] = (
            _("Jenis kelamin tidak sesuai dengan NIK: tanggal pada NIK menunjukkan perempuan (ditambah 40).")
            if reading.sex == Sex.FEMALE
            else _("Jenis kelamin tidak sesuai dengan NIK: tanggal pada NIK menunjukkan laki-laki.")
        )
    if birth_date and birth_date != reading.birth_date:
        found["birth_date"] = _("Tanggal lahir tidak sesuai dengan angka 7–12 NIK.")
    return found


def nik_hash(nik):
    """The keyed hash of a NIK (hex): the same NIK always gives the same hash, which reveals nothing
    without NIK_HASH_KEY. Changing that key means recomputing every hash (manage.py rotate_nik_keys)."""
    key = settings.NIK_HASH_KEY.encode()
    return hmac.new(key, normalise(nik).encode(), hashlib.sha256).hexdigest()


def mask(nik):
    """`630403••••••0003`: the first 6 and the last 4 digits; the birth date is hidden."""
    nik = normalise(nik)
    if len(nik) != 16:
        return ""
    return f"{nik[:6]}{MASK * 6}{nik[12:]}"


def mask_name(name):
    """`S*** R***`: each word's first letter, for the public verification page."""
    return " ".join(f"{word[0]}***" for word in str(name or "").split() if word)


def compose(district_code, birth_date, sex, serial):
    """A structurally valid NIK for a district, birth date, sex and serial — for generated (demo, test
    and benchmark) people only; real NIKs are issued by Dukcapil."""
    day = birth_date.day + (40 if sex == Sex.FEMALE else 0)
    return f"{district_code.replace('.', '')}{day:02d}{birth_date:%m%y}{serial:04d}"
