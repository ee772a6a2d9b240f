"""The trainings' part of the demo: BLM Banjarmasin's trainings of 2020–2024 for villagers of the pilot
villages of the Anjir Pasar rural area and KTM Cahaya Baru (Barito Kuala) — 6 programmes, 12 batches,
300 people with attendance, scores, reactions, results, certificates and follow-ups.

Real participant lists are not public: the people, their NIKs, phone numbers, scores and answers are
generated (deterministically, from a fixed seed), and the README says so. The villages, the BLM, the
areas and the agreement are the programme's real ones (DESIGN.md §1).
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from agreements import demo as agreements_demo
from agreements.commitments import add_months
from agreements.models import Agreement
from partners import demo as partners_demo
from percontohan.models import User
from regions.models import Village
from trainings import certificates, services
from trainings import nik as niks
from trainings.models import (
    Applied,
    Attendance,
    AttendanceMark,
    Batch,
    BatchMode,
    BatchStatus,
    Education,
    Enrolment,
    EnrolmentStatus,
    FollowUp,
    FollowUpMethod,
    Person,
    Programme,
    ProgrammeField,
    Reaction,
    Session,
    Trainer,
    VillageResultKind,
    VillageRole,
)
from trainings.nik import Sex, compose
from villages import demo as villages_demo
from villages.models import ProgrammeArea

SEED = 2020
PEOPLE = 300
# The pilot villages whose villagers were trained (villages.demo.PILOT_VILLAGES): Anjir Pasar area, KTM Cahaya Baru.
RURAL_VILLAGES = ("63.04.03.2003", "63.04.03.2011", "63.04.03.2001", "63.04.03.2015")
KTM_VILLAGES = ("63.04.17.2005", "63.04.17.2006", "63.04.17.2003")

# (code, title, field, JP, minimum attendance, minimum post-test, minimum practical or None, objectives)
PROGRAMMES = (
    (
        "BLM-BJM-BUMDES",
        "Pengelolaan Badan Usaha Milik Desa",
        ProgrammeField.BUMDES,
        40,
        80,
        60,
        None,
        "Pengurus BUMDes mampu menyusun rencana usaha, mengelola unit usaha, dan membuat laporan keuangan sederhana.",
    ),
    (
        "BLM-BJM-AGRI",
        "Agribisnis Padi dan Hortikultura Lahan Rawa",
        ProgrammeField.AGRIBUSINESS,
        32,
        80,
        60,
        65,
        "Petani mampu menerapkan budi daya padi dan hortikultura di lahan rawa pasang surut serta memasarkan hasilnya.",
    ),
    (
        "BLM-BJM-KEUDES",
        "Pengelolaan Keuangan Desa",
        ProgrammeField.VILLAGE_FINANCE,
        30,
        85,
        65,
        None,
        "Perangkat desa mampu menyusun APBDes, menatausahakan, dan mempertanggungjawabkan keuangan desa.",
    ),
    (
        "BLM-BJM-DIGITAL",
        "Pemasaran Digital Produk Desa",
        ProgrammeField.DIGITAL_MARKETING,
        24,
        75,
        None,
        None,
        "Pelaku usaha desa mampu memasarkan produk melalui media sosial dan lokapasar.",
    ),
    (
        "BLM-BJM-IKAN",
        "Budi Daya Ikan Air Tawar",
        ProgrammeField.AQUACULTURE,
        32,
        80,
        None,
        60,
        "Kelompok pembudi daya mampu membudidayakan ikan papuyu dan nila di kolam dan keramba.",
    ),
    (
        "BLM-BJM-KPMD",
        "Kader Pemberdayaan Masyarakat Desa",
        ProgrammeField.FACILITATORS,
        40,
        80,
        60,
        None,
        "Kader desa mampu memfasilitasi musyawarah desa dan mendampingi pelaksanaan pembangunan desa.",
    ),
)

# (programme code, batch name, start, mode, venue village or None (at the BLM), area, JP per session)
BATCHES = (
    ("BLM-BJM-KEUDES", "Angkatan I 2020", datetime.date(2020, 8, 10), BatchMode.AT_BLM, None, "rural"),
    ("BLM-BJM-BUMDES", "Angkatan I 2020", datetime.date(2020, 10, 5), BatchMode.IN_VILLAGE, "63.04.03.2003", "rural"),
    ("BLM-BJM-AGRI", "Angkatan I 2021", datetime.date(2021, 3, 8), BatchMode.IN_VILLAGE, "63.04.17.2005", "ktm"),
    ("BLM-BJM-KPMD", "Angkatan I 2021", datetime.date(2021, 6, 14), BatchMode.AT_BLM, None, "ktm"),
    ("BLM-BJM-DIGITAL", "Angkatan I 2021", datetime.date(2021, 9, 6), BatchMode.ONLINE, None, "rural"),
    ("BLM-BJM-IKAN", "Angkatan I 2022", datetime.date(2022, 2, 14), BatchMode.IN_VILLAGE, "63.04.17.2006", "ktm"),
    ("BLM-BJM-BUMDES", "Angkatan II 2022", datetime.date(2022, 7, 11), BatchMode.IN_VILLAGE, "63.04.17.2005", "ktm"),
    ("BLM-BJM-AGRI", "Angkatan II 2022", datetime.date(2022, 10, 3), BatchMode.IN_VILLAGE, "63.04.03.2011", "rural"),
    ("BLM-BJM-KEUDES", "Angkatan II 2023", datetime.date(2023, 3, 6), BatchMode.AT_BLM, None, "ktm"),
    ("BLM-BJM-IKAN", "Angkatan II 2023", datetime.date(2023, 8, 7), BatchMode.IN_VILLAGE, "63.04.03.2015", "rural"),
    ("BLM-BJM-DIGITAL", "Angkatan II 2024", datetime.date(2024, 2, 19), BatchMode.IN_VILLAGE, "63.04.03.2003", "rural"),
    ("BLM-BJM-KPMD", "Angkatan II 2024", datetime.date(2024, 6, 10), BatchMode.IN_VILLAGE, "63.04.17.2005", "ktm"),
)
VENUE_DETAIL = {BatchMode.AT_BLM: "Kampus BLM Banjarmasin", BatchMode.ONLINE: "Kelas daring BLM Banjarmasin"}
JP_PER_SESSION = 4
PARTICIPANTS_PER_BATCH = 30
QUOTA = 27  # three more than the quota register: the waiting list has something to show
WITHDRAWS = 3  # the participant who withdraws before the start

TRAINERS = (
    ("Pepen Efendi", "Manajemen pelatihan dan pemberdayaan masyarakat"),
    ("Widyaiswara Ahli Madya Bidang BUMDes", "Kewirausahaan dan BUMDes"),
    ("Widyaiswara Ahli Muda Bidang Keuangan Desa", "Keuangan dan tata kelola desa"),
    ("Penyuluh Pertanian Lapangan Anjir Pasar", "Budi daya padi lahan rawa"),
    ("Penyuluh Perikanan Kecamatan Jejangkit", "Budi daya ikan air tawar"),
    ("Pendamping Desa Kecamatan Anjir Pasar", "Fasilitasi musyawarah desa"),
)

# Generated names, common in Banjar and Javanese-transmigrant villages.
MEN = (
    "Ahmad",
    "Muhammad",
    "Rahmadi",
    "Syahrani",
    "Baihaqi",
    "Fauzan",
    "Hairul",
    "Jumberi",
    "Rusdi",
    "Supriadi",
    "Slamet",
    "Sugianto",
    "Wahyudi",
    "Abdul",
    "Noor",
    "Rizky",
    "Taufik",
    "Yusran",
    "Gusti",
    "Arbain",
)
WOMEN = (
    "Siti",
    "Nurul",
    "Rahmah",
    "Hairiyah",
    "Masitah",
    "Normila",
    "Fitriani",
    "Rusmini",
    "Sri",
    "Wahyuni",
    "Khairunnisa",
    "Aminah",
    "Halimah",
    "Jumiati",
    "Rina",
    "Yuliani",
    "Mariana",
    "Salamah",
    "Dewi",
    "Nor",
)
FAMILY = (
    "Rahman",
    "Hidayat",
    "Saputra",
    "Hasanah",
    "Aulia",
    "Fadillah",
    "Ansyari",
    "Ramadhan",
    "Lestari",
    "Wijaya",
    "Nurdin",
    "Maulida",
    "Kurniawan",
    "Sari",
    "Hamdani",
    "Utami",
    "Zainal",
    "Pratama",
)
OCCUPATIONS = (
    "Petani",
    "Pembudi daya ikan",
    "Pedagang",
    "Perangkat desa",
    "Ibu rumah tangga",
    "Wiraswasta",
    "Guru honorer",
    "Buruh tani",
)
APPLIED_WHAT = (
    "Menyusun laporan keuangan unit usaha setiap bulan.",
    "Menerapkan jarak tanam jajar legowo di sawah sendiri.",
    "Memasarkan beras dan kerupuk ikan lewat media sosial.",
    "Membuat kolam terpal untuk ikan papuyu.",
    "Memfasilitasi musyawarah dusun untuk usulan RKPDes.",
    "Menyusun APBDes perubahan sesuai aturan terbaru.",
)
BUSINESSES = (
    "Kios sarana produksi pertanian",
    "Olahan ikan (kerupuk, abon)",
    "Penjualan daring hasil kebun",
    "Budi daya ikan papuyu",
    "Jasa penggilingan padi",
)
VILLAGE_RESULTS = (
    (VillageResultKind.BUMDES_UNIT, "Unit usaha penyewaan alat pertanian BUMDes dibentuk."),
    (VillageResultKind.REGULATION, "Peraturan desa tentang BUMDes ditetapkan."),
    (VillageResultKind.VILLAGE_PROGRAMME, "Pelatihan lanjutan dianggarkan dalam APBDes."),
    (VillageResultKind.GROUP, "Kelompok pembudi daya ikan dibentuk."),
)


def load():
    """Load once: a second run finds the programmes and changes nothing."""
    if Programme.objects.filter(code=PROGRAMMES[0][0]).exists():
        return None
    rng = random.Random(SEED)  # noqa: S311 — generated demo data, not secrets
    blm = partners_demo.organisation(partners_demo.BLM_BANJARMASIN)
    staff = User.objects.get(username="blm.banjarmasin")
    programmes = _programmes(blm)
    trainers = [
        Trainer.objects.create(blm=blm, name=name, expertise=expertise, organisation=blm)
        for name, expertise in TRAINERS
    ]
    people = _people(rng)
    areas = {
        "rural": ProgrammeArea.objects.get(regency_id=partners_demo.BARITO_KUALA, name=villages_demo.RURAL_AREA),
        "ktm": ProgrammeArea.objects.get(regency_id=partners_demo.BARITO_KUALA, name=villages_demo.KTM_AREA),
    }
    agreement = Agreement.objects.filter(number=agreements_demo.PKS_DPMD_NUMBER).first()
    taken = {"rural": 0, "ktm": 0}
    for index, (code, name, starts_on, mode, venue, area) in enumerate(BATCHES):
        # Each batch trains the next villagers of its area; once all were trained, some come back.
        pool = [p for p in people if (p.village_id in KTM_VILLAGES) == (area == "ktm")]
        chosen = [pool[(taken[area] + i) % len(pool)] for i in range(PARTICIPANTS_PER_BATCH)]
        taken[area] += PARTICIPANTS_PER_BATCH
        _batch(
            rng,
            index,
            programmes[code],
            blm,
            staff,
            trainers,
            name,
            starts_on,
            mode,
            venue,
            areas[area],
            agreement,
            chosen,
        )
    return None


def _programmes(blm):
    programmes = {}
    for code, title, field, hours, attendance, post_test, practical, objectives in PROGRAMMES:
        programmes[code] = Programme.objects.create(
            blm=blm,
            code=code,
            title=title,
            field=field,
            hours_jp=hours,
            min_attendance_pct=attendance,
            min_post_test=post_test,
            requires_practical=practical is not None,
            min_practical=practical,
            objectives=objectives,
            gives_certificate=True,
        )
    return programmes


def _people(rng):
    """The generated people, written at once (their NIKs composed valid: checked by the demo's tests)."""
    villages = {v.code: v for v in Village.objects.filter(code__in=RURAL_VILLAGES + KTM_VILLAGES)}
    codes = sorted(villages)
    people, serials = [], {}
    for number in range(PEOPLE):
        sex = Sex.FEMALE if number % 2 else Sex.MALE
        first = rng.choice(WOMEN if sex == Sex.FEMALE else MEN)
        village = villages[codes[number % len(codes)]]
        birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 38))
        district = village.district_id
        serials[district] = serials.get(district, 0) + 1
        person = Person(
            full_name=f"{first} {rng.choice(FAMILY)}",
            sex=sex,
            birth_date=birth,
            village=village,
            phone=f"08{rng.randrange(11, 14)}{rng.randrange(10_000_000, 99_999_999)}",
            education=rng.choice(list(Education)),
            occupation=rng.choice(OCCUPATIONS),
            village_role=rng.choice(list(VillageRole)),
            disability="",
        )
        if number % 25 != 7:  # a few were registered without their NIK at hand
            nik = compose(district, birth, sex, serials[district])
            person.nik, person.nik_hash, person.nik_masked = nik, niks.nik_hash(nik), niks.mask(nik)
        people.append(person)
    return Person.objects.bulk_create(people)


@transaction.atomic
def _batch(rng, index, programme, blm, staff, trainers, name, starts_on, mode, venue, area, agreement, people):
    session_count = programme.hours_jp // JP_PER_SESSION
    batch = Batch.objects.create(
        programme=programme,
        name=name,
        blm=blm,
        mode=mode,
        venue_village=Village.objects.get(code=venue) if venue else None,
        venue_detail=VENUE_DETAIL.get(mode, "") if not venue else "Balai desa",
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=session_count - 1),
        quota=QUOTA,
        area=area,
        agreement=agreement,
    )
    batch.target_villages.set(Village.objects.filter(code__in=KTM_VILLAGES if area.kind == "ktm" else RURAL_VILLAGES))
    for day in range(session_count):
        session = Session.objects.create(
            batch=batch,
            date=starts_on + datetime.timedelta(days=day),
            starts_at=datetime.time(8, 0),
            ends_at=datetime.time(11, 0),
            topic=f"{programme.title}: pokok bahasan {day + 1}",
            hours_jp=Decimal(JP_PER_SESSION),
        )
        session.trainers.set([trainers[(index + day) % len(trainers)], trainers[0] if day == 0 else trainers[1]])
    _advance(batch, BatchStatus.REGISTRATION)
    registered_at = timezone.make_aware(
        datetime.datetime.combine(starts_on - datetime.timedelta(days=14), datetime.time(9))
    )
    # As services.enrol places them, in the order they registered: the quota, then the waiting list.
    # Their scores are those the scores sheet will show once the training ran.
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            batch=batch,
            person=person,
            registered_at=registered_at + datetime.timedelta(minutes=i),
            status=EnrolmentStatus.REGISTERED if i < batch.quota else EnrolmentStatus.WAITING,
            **(_scores(rng, programme) if i <= batch.quota and i != WITHDRAWS else {}),
        )
        for i, person in enumerate(people)
    )
    # One withdraws before the start: the first on the waiting list takes the place.
    services.enrolment_set_status(
        enrolment=enrolments[WITHDRAWS],
        status=EnrolmentStatus.WITHDRAWN,
        reason="Bekerja di luar daerah saat pelatihan.",
    )
    _advance(batch, BatchStatus.RUNNING)
    holding = list(batch.enrolments.filter(status__in=(EnrolmentStatus.REGISTERED, EnrolmentStatus.CONFIRMED)))
    sessions = list(batch.sessions.all())
    marks, reactions = [], []
    for enrolment in holding:
        absences = rng.choice((0, 0, 0, 0, 1, 1, 2, 3))
        for position, session in enumerate(sessions):
            mark = AttendanceMark.PRESENT
            if position >= len(sessions) - absences:
                mark = rng.choice((AttendanceMark.ABSENT, AttendanceMark.EXCUSED))
            elif rng.random() < 0.08:
                mark = AttendanceMark.LATE
            at = timezone.make_aware(datetime.datetime.combine(session.date, datetime.time(11, 15)))
            marks.append(Attendance(enrolment=enrolment, session=session, mark=mark, recorded_by=staff, recorded_at=at))
        if rng.random() < 0.9:
            reactions.append(
                Reaction(
                    enrolment=enrolment,
                    content=rng.choice((3, 4, 4, 5, 5)),
                    trainer=rng.choice((4, 4, 5, 5)),
                    venue=rng.choice((3, 3, 4, 4, 5)),
                    usefulness=rng.choice((3, 4, 5, 5, 5)),
                    comment=rng.choice(
                        ("", "", "Materi praktik perlu ditambah.", "Sangat bermanfaat untuk desa kami.")
                    ),
                )
            )
    Reaction.objects.bulk_create(reactions)
    Attendance.objects.bulk_create(marks)
    # The answers to the follow-ups of those who will complete, recorded as they came in (closing the
    # batch plans the follow-ups of those who completed: these are kept, as they are the same ones).
    results = services.outcomes(batch)
    _follow_ups(rng, batch, staff, [pk for pk, result in results.items() if result.met])
    batch.refresh_from_db()
    services.batch_set_status(batch=batch, status=BatchStatus.CLOSED)
    _certificates(batch, staff)


def _scores(rng, programme):
    pre = rng.randrange(35, 70)
    scores = {"pre_test": Decimal(pre), "post_test": Decimal(min(100, pre + rng.randrange(0, 35)))}
    if programme.requires_practical:
        scores["practical"] = Decimal(rng.randrange(50, 95))
    return scores


def _advance(batch, status):
    batch.refresh_from_db()
    services.batch_set_status(batch=batch, status=status)


def _certificates(batch, staff):
    """Certificates of everyone who completed (trainings.certificates), dated at the batch's end."""
    certificates.certificates_issue(batch=batch, user=staff, today=batch.ends_on + datetime.timedelta(days=3))


def _follow_ups(rng, batch, staff, completed):
    """Answers to the follow-ups: most reached, most applied; the latest batch's second wave still to do."""
    latest = batch.starts_on.year == 2024 and batch.starts_on.month > 3
    answers = []
    for enrolment_id in sorted(completed):
        for wave, months in services.FOLLOW_UP_MONTHS.items():
            follow_up = FollowUp(enrolment_id=enrolment_id, wave=wave, due_on=add_months(batch.ends_on, months))
            answers.append(follow_up)
            if latest and wave == 2 and rng.random() < 0.6:
                continue  # due, not yet done: the worklist shows them
            follow_up.done_on = follow_up.due_on + datetime.timedelta(days=rng.randrange(0, 20))
            follow_up.method = rng.choice(list(FollowUpMethod))
            follow_up.recorded_by = staff
            follow_up.reached = rng.random() < (0.85 if wave == 1 else 0.7)
            if not follow_up.reached:
                continue
            follow_up.applied = rng.choices(list(Applied), weights=(5, 3, 2))[0]
            if follow_up.applied != Applied.NO:
                follow_up.what_applied = rng.choice(APPLIED_WHAT)
            if wave == 2:
                follow_up.business_started = follow_up.applied == Applied.YES and rng.random() < 0.4
                follow_up.business_type = rng.choice(BUSINESSES) if follow_up.business_started else ""
                before = rng.randrange(15, 45) * 100_000
                follow_up.income_before = before
                follow_up.income_after = before + rng.randrange(-2, 12) * 100_000
                if rng.random() < 0.1:
                    follow_up.village_result_kind, follow_up.village_result = rng.choice(VILLAGE_RESULTS)
    FollowUp.objects.bulk_create(answers)
