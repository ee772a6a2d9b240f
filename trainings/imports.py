"""Import a batch's participants from a registration list (CSV or XLSX, the template's columns).

Reading the file, the row errors, the all-or-nothing writing and the runner are the portal's import
pattern (percontohan.imports). The rules of this import:

- Columns: nama, nik, jenis_kelamin (L/P), tanggal_lahir, kode_desa (Kemendagri code) are required;
  telepon, pendidikan, pekerjaan, peran_desa, disabilitas are optional (`participant_template()`).
- Every row is checked before anything is written: the NIK's structure (saying which digits are wrong),
  sex and birth date agreeing with it, the village code, a NIK repeated in the file, the values of the
  choice columns. One bad row fails the whole file; nothing is written.
- No message holds a NIK: a row is named by its number, a NIK by its masked form.
- People already registered (found by the NIK's keyed hash, never by decrypting) are matched and
  reported, not duplicated; the others are created. Then everyone is enrolled in file order: a place
  while the quota lasts, then the waiting list. Someone enrolled in the batch already is reported.
- Fast for long lists: NIKs are hashed and encrypted in Python and people and enrolments written with
  COPY (`copy_insert`), so 10,000 rows take seconds.
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from percontohan.imports import (
    ImportFailed,
    ImportFileError,
    ImportResult,
    Progress,
    atomic_import,
    copy_insert,
    read_table,
)
from percontohan.scoping import editable_regency_codes
from regions.importer import VILLAGE_CODE, village_code
from regions.models import District, Regency, Village
from trainings import nik as niks
from trainings.fields import nik_fernet
from trainings.forms_people import birth_date_problem
from trainings.models import (
    HOLDING_PLACE,
    Batch,
    BatchStatus,
    Disability,
    Education,
    Enrolment,
    EnrolmentStatus,
    Person,
    VillageRole,
)
from trainings.nik import Sex

# The template's columns, in its order; the first five are required.
TEMPLATE_COLUMNS = (
    "nama",
    "nik",
    "jenis_kelamin",
    "tanggal_lahir",
    "kode_desa",
    "telepon",
    "pendidikan",
    "pekerjaan",
    "peran_desa",
    "disabilitas",
)
# Each column's accepted names (normalised: lower case, underscores).
COLUMN_NAMES = {
    "name": ("nama", "nama_lengkap", "nama_peserta"),
    "nik": ("nik", "no_nik", "nomor_nik"),
    "sex": ("jenis_kelamin", "jk", "l/p"),
    "birth_date": ("tanggal_lahir", "tgl_lahir"),
    "village": ("kode_desa", "kode_kemendagri", "kode_wilayah"),
    "phone": ("telepon", "no_telepon", "hp", "no_hp", "whatsapp"),
    "education": ("pendidikan", "pendidikan_terakhir"),
    "occupation": ("pekerjaan",),
    "village_role": ("peran_desa", "peran_di_desa"),
    "disability": ("disabilitas",),
}
REQUIRED = ("name", "nik", "sex", "birth_date", "village")
REQUIRED_LABELS = {
    "name": "nama",
    "nik": "nik",
    "sex": "jenis_kelamin",
    "birth_date": "tanggal_lahir",
    "village": "kode_desa",
}
SEXES = {
    "L": Sex.MALE,
    "LK": Sex.MALE,
    "LAKI-LAKI": Sex.MALE,
    "P": Sex.FEMALE,
    "PR": Sex.FEMALE,
    "PEREMPUAN": Sex.FEMALE,
}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")
PHONE = re.compile(r"\+?[0-9]{6,15}")
PHONE_SEPARATORS = re.compile(r"[\s\-]")
NAME_LENGTH = Person._meta.get_field("full_name").max_length
OCCUPATION_LENGTH = Person._meta.get_field("occupation").max_length
# Registrations are taken while a batch is planned, open or running (as services.enrol).
TAKING_REGISTRATIONS = (BatchStatus.PLANNED, BatchStatus.REGISTRATION, BatchStatus.RUNNING)
MATCHED_LISTED = 500  # matched people listed on the import's page (all are counted)
WARNINGS_LISTED = 20
PROGRESS_EVERY = 500
PERSON_COLUMNS = [
    "full_name",
    "nik",
    "nik_hash",
    "nik_masked",
    "sex",
    "birth_date",
    "village",
    "phone",
    "education",
    "occupation",
    "village_role",
    "disability",
    "created_at",
    "version",
]
ENROLMENT_COLUMNS = [
    "batch",
    "person",
    "status",
    "registered_at",
    "withdrawn_reason",
    "result_reason",
    "version",
]


@dataclass
class ParticipantImportResult(ImportResult):
    """What a participant import did: people created and matched, enrolled, waiting, enrolled already."""

    matched: list = field(default_factory=list)  # [{"row", "name", "nik", "already"}], the first MATCHED_LISTED
    matched_count: int = 0
    enrolled: int = 0
    waiting: int = 0
    already_enrolled: int = 0


@dataclass
class Participant:
    """One good row of the file."""

    row: int
    name: str
    nik: str
    sex: str
    birth_date: datetime.date
    village: str
    phone: str
    education: str
    occupation: str
    village_role: str
    disability: str


NUMBER = re.compile(r"[0-9][0-9 .\-]*[0-9]")


def echoed(text):
    """A cell's text as an error message may repeat it: a number of 14 digits or more in it (a NIK in the
    wrong column?) is left out, so that no message holds a NIK."""
    return NUMBER.sub(lambda match: "…" if sum(c.isdigit() for c in match.group()) >= 14 else match.group(), text)


def choice_lookup(choices):
    """{value or label, lower case: value} for a choice column (either is accepted)."""
    lookup = {}
    for value, label in choices:
        lookup[str(value).lower()] = value
        lookup[str(label).lower()] = value
    return lookup


def _columns(table):
    columns = {key: table.find(*names) for key, names in COLUMN_NAMES.items()}
    missing = [REQUIRED_LABELS[key] for key in REQUIRED if columns[key] is None]
    if missing:
        raise ImportFileError(
            _("Kolom wajib tidak ditemukan: %(columns)s. Pakai templat daftar peserta.")
            % {"columns": ", ".join(missing)},
            row=table.header_row,
        )
    return columns


def _read_source(path_or_file):
    """The file's bytes: from a path, bytes, or an open (uploaded) file."""
    if isinstance(path_or_file, bytes | bytearray):
        return bytes(path_or_file)
    if isinstance(path_or_file, str | Path):
        return path_or_file  # read_table reads (and refuses) a path itself
    if hasattr(path_or_file, "seek"):
        path_or_file.seek(0)
    return path_or_file.read()


def parse_date(text):
    """A birth date as lists write it: 1990-08-05, 05-08-1990, 05/08/1990 (an XLSX date is read as ISO)."""
    text = text.strip()
    if "T" in text:  # an XLSX date cell, read as an ISO date and time
        text = text.split("T", 1)[0]
    if len(text) == 10 and text[4] == "-":
        try:
            return datetime.date.fromisoformat(text)  # the template's form, read fast
        except ValueError:
            return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 — a calendar date
        except ValueError:
            continue
    return None


class RowChecker:
    """Checks the rows of one file against what the database knows (read once for the whole file)."""

    choices = {
        "education": (choice_lookup(Education.choices), Education),
        "village_role": (choice_lookup(VillageRole.choices), VillageRole),
        "disability": (choice_lookup(Disability.choices), Disability),
    }

    def __init__(self, table, columns, user, today):
        self.table, self.columns, self.today = table, columns, today
        self.scope = None if user is None else editable_regency_codes(user)
        self.regencies = set(Regency.objects.values_list("code", flat=True))  # retired ones too: a NIK keeps its code
        self.districts = set(District.objects.values_list("code", flat=True))
        codes = {village_code(row.raw(columns["village"])) for row in table.rows}
        self.villages = dict(
            Village.objects.filter(code__in=[code for code in codes if VILLAGE_CODE.fullmatch(code)]).values_list(
                "code", "retired_on"
            )
        )
        self.seen = {}  # NIK → the first row holding it
        self.warning_rows = []

    def check(self, row):
        """The row as a Participant, or None when it is bad (its errors recorded with the row)."""
        columns = self.columns
        name = row.text(columns["name"], max_length=NAME_LENGTH)
        if row.ok and not name:
            row.error(_("nama kosong"), columns["name"])
        reading, digits = self._nik(row)
        sex = self._sex(row)
        birth_date = self._birth_date(row)
        if reading is not None:
            for key, message in niks.disagreements(reading, sex=sex, birth_date=birth_date).items():
                row.error(message, columns[key])
        village = self._village(row)
        phone = self._phone(row)
        chosen = {key: self._choice(row, key) for key in self.choices}
        occupation = row.text(columns["occupation"], max_length=OCCUPATION_LENGTH)
        if not row.ok:
            return None
        return Participant(row.number, name, digits, sex, birth_date, village, phone, occupation=occupation, **chosen)

    def _cell(self, row, position, **checks):
        """(text, whether it could be read): a cell refused by Row.text (control characters…) is reported once."""
        before = self.table.errors.total
        text = row.text(position, **checks)
        return text, self.table.errors.total == before

    def _nik(self, row):
        position = self.columns["nik"]
        text, readable = self._cell(row, position)
        if not readable:
            return None, ""
        digits = niks.normalise(text)
        if not digits:
            row.error(
                _("NIK kosong; orang tanpa NIK didaftarkan lewat formulir (dengan pemeriksaan kemungkinan ganda)"),
                position,
            )
            return None, ""
        try:
            reading = niks.read(
                digits, today=self.today, known_regencies=self.regencies, known_districts=self.districts
            )
        except niks.NikError as error:
            row.error(str(error), position)
            return None, ""
        first = self.seen.setdefault(digits, row.number)
        if first != row.number:
            row.error(_("NIK sama dengan NIK di baris %(row)s") % {"row": first}, position)
            return None, ""
        if reading.warnings:
            self.warning_rows.append(row.number)
        return reading, digits

    def _sex(self, row):
        position = self.columns["sex"]
        text, readable = self._cell(row, position)
        if not readable:
            return None
        sex = SEXES.get(text.upper())
        if sex is None:
            row.error(_("jenis kelamin harus L (laki-laki) atau P (perempuan)"), position)
        return sex

    def _birth_date(self, row):
        position = self.columns["birth_date"]
        text, readable = self._cell(row, position)
        if not readable:
            return None
        birth_date = parse_date(text) if text else None
        if birth_date is None:
            row.error(_("tanggal lahir tidak dikenali; tulis seperti 1990-08-05 atau 05/08/1990"), position)
            return None
        problem = birth_date_problem(birth_date, self.today)
        if problem:
            row.error(problem, position)
            return None
        return birth_date

    def _village(self, row):
        position = self.columns["village"]
        text, readable = self._cell(row, position)
        if not readable:
            return None
        code = village_code(text)
        if not VILLAGE_CODE.fullmatch(code):
            row.error(_("kode desa %(code)r tidak sah (contoh: 63.04.03.2001)") % {"code": echoed(code)}, position)
            return None
        if code not in self.villages:
            row.error(_("kode desa %(code)s tidak dikenal") % {"code": code}, position)
            return None
        if self.villages[code] is not None:
            row.error(
                _("kode desa %(code)s sudah tidak berlaku (pemekaran atau penggabungan)") % {"code": code}, position
            )
            return None
        if self.scope is not None and code[:5] not in self.scope:
            row.error(_("desa %(code)s di luar wilayah kerja Anda") % {"code": code}, position)
            return None
        return code

    def _phone(self, row):
        position = self.columns["phone"]
        phone = PHONE_SEPARATORS.sub("", row.text(position))
        if phone and not PHONE.fullmatch(phone):
            row.error(_("telepon hanya boleh berisi angka (boleh diawali +), 6–15 angka"), position)
            return ""
        return phone

    def _choice(self, row, key):
        position = self.columns[key]
        text = row.text(position)
        if not text:
            return ""
        lookup, choices = self.choices[key]
        value = lookup.get(text.lower())
        if value is None:
            allowed = ", ".join(str(v) for v in choices.values if v)
            row.error(
                _("%(value)r tidak dikenal; isi salah satu dari: %(allowed)s")
                % {"value": echoed(text), "allowed": allowed},
                position,
            )
            return ""
        return value


def import_participants(batch, path_or_file, user, record=None):
    """Check a registration list and enrol its people in `batch`: all rows, or none.

    `path_or_file`: a path, bytes or an open file (CSV or XLSX). `user` is who imports: the villages
    must lie in their working area (None: no limit, for the command line). `record`, a ParticipantImport,
    receives the progress and the outcome in the same transaction. Returns a ParticipantImportResult;
    raises ImportFailed, having written nothing, when the file or any row is bad.
    """
    table = read_table(_read_source(path_or_file), header_names=("nama", "nik", "kode_desa"))
    columns = _columns(table)
    result = ParticipantImportResult(total_rows=len(table), notes=table.notes, errors=table.errors)
    if batch.status not in TAKING_REGISTRATIONS:
        raise ImportFileError(not_taking_message(batch))
    progress = Progress(record, len(table))
    checker = RowChecker(table, columns, user, timezone.localdate())
    participants = []
    for index, row in enumerate(table.rows):
        if not index % PROGRESS_EVERY:
            progress(index)
        participant = checker.check(row)
        if participant is not None:
            participants.append(participant)
    progress.checked()
    if result.errors:
        raise ImportFailed(result.errors, result)
    if checker.warning_rows:
        result.notes.append(district_warning(checker.warning_rows))
    with atomic_import(result, record, lock="trainings:people"):
        _write(batch, participants, result)
    return result


def not_taking_message(batch):
    return _("Angkatan berstatus “%(status)s” tidak menerima pendaftaran; tidak ada yang diimpor.") % {
        "status": batch.get_status_display()
    }


def district_warning(rows):
    listed = ", ".join(str(row) for row in rows[:WARNINGS_LISTED])
    if len(rows) > WARNINGS_LISTED:
        listed += " …"
    return _(
        "Peringatan: angka 5–6 NIK di %(n)s baris (%(rows)s) bukan kecamatan yang dikenal; datanya tetap diimpor, "
        "periksa kembali NIK-nya."
    ) % {"n": len(rows), "rows": listed}


def _write(batch, participants, result):
    """Create the new people, match the others, and enrol everyone in file order (quota, then waiting list)."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in TAKING_REGISTRATIONS:
        raise ImportFileError(not_taking_message(batch))
    hashes = [niks.nik_hash(participant.nik) for participant in participants]
    existing = people_by_hash(hashes)
    now = timezone.now()
    fernet = nik_fernet()
    new_people = [
        (
            participant.name,
            fernet.encrypt(participant.nik.encode()).decode(),
            digest,
            niks.mask(participant.nik),
            participant.sex,
            participant.birth_date,
            participant.village,
            participant.phone,
            participant.education,
            participant.occupation,
            participant.village_role,
            participant.disability,
            now,
            1,
        )
        for participant, digest in zip(participants, hashes, strict=True)
        if digest not in existing
    ]
    with connection.cursor() as cursor:
        # The names' trigram (GIN) index takes the new entries in bulk, for this transaction only.
        cursor.execute("SET LOCAL gin_pending_list_limit = '64MB'")
    result.created = copy_insert(Person, PERSON_COLUMNS, new_people)
    people = {**existing, **people_by_hash([row[2] for row in new_people])} if new_people else existing
    enrolled_already = enrolled_in(batch, list(existing.values()))
    taken = Enrolment.objects.filter(batch=batch, status__in=HOLDING_PLACE).count()
    enrolments = []
    for index, (participant, digest) in enumerate(zip(participants, hashes, strict=True)):
        person = people[digest]
        if digest in existing:
            result.matched_count += 1
            if len(result.matched) < MATCHED_LISTED:
                result.matched.append(
                    {
                        "row": participant.row,
                        "name": participant.name,
                        "nik": niks.mask(participant.nik),
                        "already": person in enrolled_already,
                    }
                )
        if person in enrolled_already:
            result.already_enrolled += 1
            continue
        if taken < batch.quota:
            status, taken = EnrolmentStatus.REGISTERED, taken + 1
        else:
            status = EnrolmentStatus.WAITING
            result.waiting += 1
        # One microsecond apart: the waiting list keeps the file's order.
        enrolments.append((batch.pk, person, status, now + datetime.timedelta(microseconds=index), "", "", 1))
    result.enrolled = copy_insert(Enrolment, ENROLMENT_COLUMNS, enrolments)
    if result.waiting:
        result.notes.append(
            _("Kuota penuh: %(n)s peserta masuk daftar tunggu, menurut urutan di berkas.") % {"n": result.waiting}
        )
    if result.already_enrolled:
        result.notes.append(
            _("%(n)s orang sudah terdaftar di angkatan ini; tidak didaftarkan lagi.") % {"n": result.already_enrolled}
        )


# Thousands of keys go as one array parameter (= ANY): an IN list of 10,000 parameters costs seconds to send.


def people_by_hash(hashes):
    """{nik_hash: person id} of the people registered with these NIK hashes."""
    if not hashes:
        return {}
    table, column = Person._meta.db_table, Person._meta.get_field("nik_hash").column
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}", id FROM "{table}" WHERE "{column}" = ANY(%s)', [hashes])  # noqa: S608
        return dict(cursor.fetchall())


def enrolled_in(batch, person_ids):
    """The ids of those of `person_ids` enrolled in `batch` already."""
    if not person_ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT person_id FROM "{Enrolment._meta.db_table}" WHERE batch_id = %s AND person_id = ANY(%s)',  # noqa: S608
            [batch.pk, person_ids],
        )
        return {pk for (pk,) in cursor.fetchall()}


def participant_import_file(record):
    """Import the file stored (encrypted) on a ParticipantImport; the background task's body."""
    if not record.file:
        raise ImportFileError(_("Berkas unggahan tidak ada lagi; unggah ulang berkasnya."))
    try:
        with record.file.open("rb") as handle:
            data = nik_fernet().decrypt(handle.read())
    except FileNotFoundError:
        raise ImportFileError(_("Berkas unggahan tidak ada lagi; unggah ulang berkasnya.")) from None
    return import_participants(record.batch, data, record.started_by, record=record)


def participant_template():
    """The registration list template (XLSX): the columns on the first sheet, kept as text so that a NIK
    keeps its 16 digits, and what each column takes on a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "peserta"
    bold = Font(bold=True)
    sheet.append(list(TEMPLATE_COLUMNS))
    for index, _name in enumerate(TEMPLATE_COLUMNS, start=1):
        sheet.cell(row=1, column=index).font = bold
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 22
        # Text cells: Excel would turn a 16-digit NIK into 6,30403E+15 and lose its last digit.
        for row in range(2, 502):
            sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("petunjuk")
    guide.append([_("kolom"), _("isi")])
    for row in template_guide():
        guide.append(list(row))
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_guide():
    """(column, what it takes) for the template's guide sheet."""

    def values(choices):
        return ", ".join(f"{value} ({label})" for value, label in choices if value)

    return (
        ("nama", _("Wajib. Nama lengkap.")),
        ("nik", _("Wajib. 16 angka sesuai KTP/KK; tulis sebagai teks.")),
        ("jenis_kelamin", _("Wajib. L atau P; harus sesuai dengan NIK (tanggal ditambah 40 untuk perempuan).")),
        ("tanggal_lahir", _("Wajib. Misalnya 1990-08-05 atau 05/08/1990; harus sesuai dengan angka 7–12 NIK.")),
        ("kode_desa", _("Wajib. Kode Kemendagri desa/kelurahan domisili, misalnya 63.04.03.2001.")),
        ("telepon", _("Boleh kosong. Angka saja, boleh diawali +.")),
        ("pendidikan", _("Boleh kosong. Salah satu: %(values)s.") % {"values": values(Education.choices)}),
        ("pekerjaan", _("Boleh kosong.")),
        ("peran_desa", _("Boleh kosong. Salah satu: %(values)s.") % {"values": values(VillageRole.choices)}),
        ("disabilitas", _("Boleh kosong. Salah satu: %(values)s.") % {"values": values(Disability.choices)}),
    )
