"""Trainings benchmarks (issue 10): with 500,000 people and 2,000,000 attendance marks generated —
exact NIK lookup, the participant list beside Django admin's changelist, the attendance sheet of
40 × 12 and one cell save (under gunicorn, DEBUG off), 40 certificate PDFs, and a 10,000-row
participant import beside a COPY of the same rows.

The people are generated (real villages, NIKs composed to be structurally valid, encrypted and hashed
as the portal stores them) and written with COPY, history triggers off for the generation only
(`session_replication_role = replica`: the scratch database's rows are not anybody's edits).
"""

import csv
import datetime
import random
import time

from benchmarks.stats import Result, percentile

PEOPLE = 500_000
PARTICIPANTS = 40
SESSIONS = 12
BATCHES = 4_200  # × 40 participants × 12 sessions = 2,016,000 attendance marks
LOOKUPS = 200
IMPORT_ROWS = 10_000
PDFS = 40

NIK_LOOKUP_TARGET_MS = 20
PERSON_LIST_TARGET_MS = 150
SHEET_TARGET_MS = 200
CELL_SAVE_TARGET_MS = 50
PDF_TARGET_S = 30
IMPORT_TARGET_S = 30

SEED = 10
FIRST_NAMES = ("Siti", "Ahmad", "Nurul", "Muhammad", "Rahmah", "Rusdi", "Sri", "Slamet", "Aminah", "Hairul")
LAST_NAMES = ("Rahman", "Hidayat", "Saputra", "Hasanah", "Lestari", "Wijaya", "Nurdin", "Pratama", "Sari")


def _people_rows(rng, villages, count, serials):
    """(full_name, nik, nik_hash, nik_masked, sex, birth_date, village_id) of `count` generated people;
    the NIK is unique through a serial per district."""
    from trainings import nik as niks

    for _number in range(count):
        village, district = villages[rng.randrange(len(villages))]
        sex = "P" if rng.random() < 0.5 else "L"
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 45))
        serials[district] = serial = serials.get(district, 0) + 1
        nik = niks.compose(district, birth, sex, serial)
        yield f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {serial}", nik, sex, birth, village


def generate(ctx):
    """500,000 people, 4,200 batches of 40 people × 12 sessions and their 2,016,000 attendance marks
    (untimed; once per scratch database). Returns the batch the sheet benchmarks open."""
    from django.db import connection, transaction

    from partners.models import Organisation
    from regions.models import Village
    from trainings import nik as niks
    from trainings.fields import nik_fernet
    from trainings.models import Batch, BatchMode, BatchStatus, Person, Programme

    programme = Programme.objects.filter(code="BENCH-1").first()
    if programme is not None and Person.objects.count() >= PEOPLE:
        return Batch.objects.filter(programme=programme).order_by("pk").first()
    print(
        f"  generating {PEOPLE:,} people and {BATCHES * PARTICIPANTS * SESSIONS:,} attendance marks (untimed) …",
        flush=True,
    )
    started = time.perf_counter()
    rng = random.Random(SEED)  # noqa: S311 — generated benchmark data
    villages = list(Village.objects.current().values_list("code", "district_id"))
    fernet = nik_fernet()
    blm = Organisation.objects.filter(kind="blm").order_by("pk").first()
    now = datetime.datetime.now(datetime.UTC)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        programme = Programme.objects.create(
            blm=blm, code="BENCH-1", title="Pengelolaan BUMDes (data uji kinerja)", field="bumdes", hours_jp=36
        )
        with cursor.cursor.copy(
            "COPY trainings_person (full_name, nik, nik_hash, nik_masked, sex, birth_date, village_id, phone, "
            "education, occupation, village_role, disability, created_at, version) FROM STDIN"
        ) as copy:
            for name, nik, sex, birth, village in _people_rows(rng, villages, PEOPLE, {}):
                copy.write_row(
                    (
                        name,
                        fernet.encrypt(nik.encode()).decode(),
                        niks.nik_hash(nik),
                        niks.mask(nik),
                        sex,
                        birth,
                        village,
                        "",
                        "",
                        "",
                        "",
                        "",
                        now,
                        1,
                    )
                )
        cursor.execute(
            """
            INSERT INTO trainings_batch (programme_id, name, blm_id, mode, venue_village_id, venue_detail, starts_on,
                ends_on, quota, status, cancel_reason, notes, created_at, version)
            SELECT %s, 'Angkatan ' || n, %s, %s, v.codes[1 + (n * 19) %% cardinality(v.codes)], '',
                   DATE '2024-01-01' + n %% 300, DATE '2024-01-01' + n %% 300 + 11, %s, %s, '', '', now(), 1
            FROM generate_series(1, %s) AS n,
                 (SELECT array_agg(code ORDER BY code) AS codes FROM regions_village WHERE retired_on IS NULL) v
            """,
            [programme.pk, blm.pk, BatchMode.IN_VILLAGE, PARTICIPANTS, BatchStatus.RUNNING, BATCHES],
        )
        cursor.execute(
            """
            INSERT INTO trainings_session (batch_id, date, topic, hours_jp, version)
            SELECT b.id, b.starts_on + s - 1, 'Materi ' || s, 3, 1
            FROM trainings_batch b, generate_series(1, %s) AS s WHERE b.programme_id = %s
            """,
            [SESSIONS, programme.pk],
        )
        cursor.execute(
            """
            INSERT INTO trainings_enrolment (batch_id, person_id, status, registered_at, withdrawn_reason,
                result_reason, version)
            SELECT b.id, p.id, 'dikonfirmasi', now(), '', '', 1
            FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM trainings_batch WHERE programme_id = %s) b
            JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM trainings_person) p
              ON p.n / %s = b.n
            """,
            [programme.pk, PARTICIPANTS],
        )
        cursor.execute(
            """
            INSERT INTO trainings_attendance (enrolment_id, session_id, mark, recorded_at, version)
            SELECT e.id, s.id, (ARRAY['hadir', 'hadir', 'hadir', 'terlambat', 'izin', 'absen'])[1 + (e.id + s.id) %% 6],
                   now(), 1
            FROM trainings_enrolment e JOIN trainings_session s ON s.batch_id = e.batch_id
            WHERE s.batch_id IN (SELECT id FROM trainings_batch WHERE programme_id = %s)
            """,
            [programme.pk],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    return Batch.objects.filter(programme=programme).order_by("pk").first()


def bench_nik_lookup():
    """Exact NIK lookup by its keyed hash (services.find_by_nik), in this process: p50 and p95."""
    from trainings.models import Person
    from trainings.services import find_by_nik

    sample = Person.objects.filter(nik__isnull=False).order_by("?")[:LOOKUPS]
    niks = [person.nik for person in sample]
    assert all(len(nik) == 16 for nik in niks), "the NIKs did not decrypt"
    times = []
    for nik in niks:
        started = time.perf_counter()
        found = find_by_nik(nik)
        times.append((time.perf_counter() - started) * 1000)
        assert found is not None
    return [
        Result(
            "NIK lookup p50",
            percentile(times, 0.5),
            target=NIK_LOOKUP_TARGET_MS,
            unit="ms",
            peer=f"{Person.objects.count():,} people",
        ),
        Result("NIK lookup p95", percentile(times, 0.95), target=NIK_LOOKUP_TARGET_MS, unit="ms"),
    ]


def import_file(folder, rows=IMPORT_ROWS):
    """A registration list of `rows` new people (CSV as the import template names its columns)."""
    from regions.models import Village

    rng = random.Random(SEED + 1)  # noqa: S311 — generated benchmark data
    villages = list(Village.objects.current().filter(code__startswith="63.").values_list("code", "district_id"))
    path = folder / "peserta-10000.csv"
    # Serials from 9000 up: far from those the people generated above use in these districts.
    serials = {district: 8000 for _code, district in villages}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["nama", "nik", "jenis_kelamin", "tanggal_lahir", "kode_desa", "telepon"])
        for name, nik, sex, birth, village in _people_rows(rng, villages, rows, serials):
            writer.writerow([name, nik, sex, birth.isoformat(), village, "081234567890"])
    return path


def timed(work):
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def _timed_gets(portal, path, cookie, requests):
    from benchmarks.pages import WARM_UP, _fetch_ok

    for _round in range(WARM_UP):
        _fetch_ok(portal, path, cookie)
    return [_fetch_ok(portal, path, cookie).seconds * 1000 for _round in range(requests)]


def _p50_p95(name, times, target, peer=""):
    return [
        Result(f"{name} p50", percentile(times, 0.5), target=target, unit="ms", peer=peer),
        Result(f"{name} p95", percentile(times, 0.95), target=target, unit="ms"),
    ]


def bench_person_list(portal, cookie, requests):
    """The participant list's first page with filters, beside admin's changelist with the same filter."""
    from django.urls import reverse

    from benchmarks.pages import _interleaved

    ours = reverse("trainings:person_list") + "?sex=P&q=Siti"
    theirs = reverse("admin:trainings_person_changelist") + "?sex__exact=P&q=Siti"
    print(f"  {ours} beside {theirs} …", flush=True)
    mine, admin = _interleaved(portal, cookie, ours, theirs, requests)
    peer = f"admin {percentile(admin, 0.5):.0f} / {percentile(admin, 0.95):.0f} ms"
    return _p50_p95("participant list, filtered", mine, PERSON_LIST_TARGET_MS, peer)


def bench_sheet(portal, cookie, requests, batch):
    """The attendance sheet of 40 participants × 12 sessions, and one cell saved (htmx POST)."""
    from django.urls import reverse

    from trainings.models import Attendance, AttendanceMark, BatchStatus, EnrolmentStatus

    # A running batch whose marks may change (a kept scratch database may hold it closed by an earlier run).
    batch.status = BatchStatus.RUNNING
    batch.save(update_fields=["status"])
    batch.enrolments.update(status=EnrolmentStatus.CONFIRMED)
    sheet = reverse("trainings:attendance_sheet", args=[batch.pk])
    print(f"  {sheet} (40 × 12) and cell saves …", flush=True)
    results = _p50_p95("attendance sheet 40 × 12", _timed_gets(portal, sheet, cookie, requests), SHEET_TARGET_MS)
    enrolment = batch.enrolments.order_by("pk").first()
    session = batch.sessions.order_by("pk").first()
    url = reverse("trainings:attendance_cell", args=[enrolment.pk, session.pk])
    marks = (AttendanceMark.LATE, AttendanceMark.PRESENT)
    times = []
    for number in range(requests + 5):
        version = Attendance.objects.filter(enrolment=enrolment, session=session).values_list("version", flat=True)
        response = portal.post(url, {"mark": marks[number % 2], "version": version.first() or 0}, cookie)
        if response.status != 200 or "Tersimpan (" not in response.text():
            raise RuntimeError(f"POST {url} answered {response.status}: {response.text()[:300]}")
        if number >= 5:
            times.append(response.seconds * 1000)
    return results + _p50_p95("attendance cell save", times, CELL_SAVE_TARGET_MS)


def bench_pdfs(batch):
    """40 certificates (the next batch of the sheet's programme, closed and issued untimed) rendered into one PDF."""
    from trainings import certificates
    from trainings.models import Batch, BatchStatus, Certificate, Enrolment, EnrolmentStatus

    batch = Batch.objects.filter(programme=batch.programme_id, pk__gt=batch.pk).order_by("pk").first()
    Enrolment.objects.filter(batch=batch).update(status=EnrolmentStatus.COMPLETED)
    batch.status = BatchStatus.CLOSED
    batch.save(update_fields=["status"])
    certificates.certificates_issue(batch=batch)
    issued = list(certificates.certificates_for_pdf(Certificate.objects.filter(enrolment__batch=batch)))
    seconds, pdf = timed(lambda: certificates.certificates_pdf(issued))
    return [Result(f"{len(issued)} certificate PDFs", seconds, target=PDF_TARGET_S, peer=f"{len(pdf) / 1e6:.1f} MB")]


def bench_import(ctx):
    """A 10,000-row participant list imported into a batch (all-or-nothing, new people), beside a COPY
    of the rows it wrote (people and enrolments) into tables like theirs."""
    from percontohan.models import User
    from trainings.imports import import_participants
    from trainings.models import Batch, BatchStatus

    source = Batch.objects.filter(programme__code="BENCH-1").order_by("-pk").first()
    batch = Batch.objects.create(
        programme=source.programme,
        name="Impor uji kinerja",
        blm=source.blm,
        mode=source.mode,
        venue_village=source.venue_village,
        starts_on=source.starts_on,
        ends_on=source.ends_on,
        quota=IMPORT_ROWS,
        status=BatchStatus.REGISTRATION,
    )
    path = import_file(ctx.workdir)
    user = User.objects.filter(is_superuser=True).order_by("pk").first()
    seconds, result = timed(lambda: import_participants(batch, path, user))
    if result.enrolled != IMPORT_ROWS:
        raise RuntimeError(f"the import enrolled {result.enrolled} of {IMPORT_ROWS} rows")
    copy = _import_copy_seconds(batch)
    return [
        Result(
            "participant import 10,000 rows",
            seconds,
            rows=IMPORT_ROWS,
            target=IMPORT_TARGET_S,
            peer=f"COPY {copy:.2f} s, ratio {seconds / copy:.1f}×",
        ),
    ]


def _import_copy_seconds(batch):
    """COPY of the people and enrolments the import wrote, as stored, into tables like theirs."""
    import io as _io

    from django.db import connection

    from benchmarks.run import _copy_seconds

    work = []
    for table, where in (
        ("trainings_person", f"id IN (SELECT person_id FROM trainings_enrolment WHERE batch_id = {batch.pk:d})"),  # noqa: S608
        ("trainings_enrolment", f"batch_id = {batch.pk}"),
    ):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) FROM "
                "information_schema.columns WHERE table_name = %s AND column_name <> 'id'",
                [table],
            )
            columns = cursor.fetchone()[0]
        rows = _io.BytesIO()
        dump = f"COPY (SELECT {columns} FROM {table} WHERE {where}) TO STDOUT"  # noqa: S608 — fixed names
        with connection.cursor() as cursor, cursor.cursor.copy(dump) as copy:
            for chunk in copy:
                rows.write(chunk)
        create = f"CREATE TEMPORARY TABLE bench_{table} (LIKE {table} INCLUDING ALL) ON COMMIT DROP"
        work.append((create, f"COPY bench_{table} ({columns}) FROM STDIN", rows.getvalue()))
    return _copy_seconds(work)


def bench_trainings(ctx):
    """Issue 10's targets on 500,000 generated people and 2,016,000 attendance marks."""
    ctx.page_data()
    batch = generate(ctx)
    results = bench_nik_lookup()
    portal, cookie = ctx.portal(), ctx.superuser_cookie()
    results += bench_person_list(portal, cookie, ctx.requests)
    results += bench_sheet(portal, cookie, ctx.requests, batch)
    results += bench_import(ctx)
    results += bench_pdfs(batch)
    return results
