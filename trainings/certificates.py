"""Certificates anyone can verify: numbering, issuing a batch's certificates (in the background, with
progress), revoking one, and the PDF with its QR code.

Numbering: `<prefix>/<year>/<serial:04d>`, e.g. `BLM-BJM/2020/0007`, counted per BLM and per year of the
batch's end. The serial is taken under a lock of the BLM's row (`SELECT … FOR NO KEY UPDATE`, which does
not stop other rows referring to the BLM), so concurrent runs — of one batch or of several batches of the
BLM — never give a number twice nor leave a gap.

The prefix: a BLM keeps the prefix of the certificates it has issued, even after a rename. A BLM issuing
its first certificate gets `PREFIX_OVERRIDES[short name]` when listed there, else one derived from its
short name (or name): its kind (`BLM`, or `BBLM` for a Balai Besar) and three letters of its city — the
city's first letter, then the consonants that begin its next syllables, then its other consonants, in the
order they come: "BLM Banjarmasin" → `BLM-BJM`, "BLM Denpasar" → `BLM-DPS`, "BLM Jakarta" → `BLM-JKT`,
"BLM Medan" → `BLM-MDN`, a city of three words by their initials. When another BLM already numbers with
that prefix, a digit is added (`BLM-MDN2`). A BLM whose derived prefix is not the one it uses is listed
in PREFIX_OVERRIDES.

Issuing: each certificate is written and committed on its own (number, row, history), so the progress
shown is real and a run stopped midway leaves only whole certificates; issuing again issues the rest and
nothing twice. The certificate's public page is /verifikasi/<code>/ (settings.SITE_URL, not the host a
request came through: the QR code is printed and must lead to the public portal).
"""

import logging
import re
import unicodedata

import pghistory
import segno
import weasyprint
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners.models import Organisation
from percontohan.background import TaskStatus
from percontohan.imports import Progress
from percontohan.text import clean_text
from trainings.models import Batch, BatchStatus, Certificate, CertificateRun, EnrolmentStatus

logger = logging.getLogger(__name__)

# The prefix of a BLM (by its short name) whose derived prefix is not the one it uses, e.g.
# {"BLM Yogyakarta": "BLM-YKT"}. Only a BLM's first certificate reads it: later ones keep that prefix.
PREFIX_OVERRIDES: dict[str, str] = {}

# Words of a BLM's name that are not its city.
_KIND_WORDS = {"BALAI", "BESAR", "LATIHAN", "MASYARAKAT", "BLM", "BBLM", "PELATIHAN"}
_VOWELS = set("AEIOU")


# --- Numbering ---------------------------------------------------------------------------------------


def _letters(text):
    """Latin letters, upper case, accents dropped."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[A-Z]+", plain.upper())


def derived_prefix(name):
    """`BLM-BJM` for "BLM Banjarmasin" (see the module's docstring for the rule)."""
    words = _letters(name)
    kind = "BBLM" if {"BBLM", "BESAR"} & set(words) else "BLM"
    city = [word for word in words if word not in _KIND_WORDS] or words or ["X"]
    if len(city) >= 3:
        return f"{kind}-{''.join(word[0] for word in city[:3])}"
    text = "".join(city)
    initials = [0, len(city[0])] if len(city) == 2 else [0]
    syllables = [i for i in range(1, len(text) - 1) if text[i] not in _VOWELS and text[i + 1] in _VOWELS]
    consonants = [i for i in range(1, len(text)) if text[i] not in _VOWELS]
    chosen = []
    for index in [*initials, *syllables, *consonants, *range(len(text))]:
        if len(chosen) == 3:
            break
        if index not in chosen:
            chosen.append(index)
    return f"{kind}-{''.join(text[index] for index in sorted(chosen))}"


def certificate_prefix(blm):
    """The prefix of `blm`'s certificate numbers: the one it has used, else PREFIX_OVERRIDES or the derived
    one, made unique among BLMs with a digit."""
    used = Certificate.objects.filter(blm=blm).order_by("-pk").values_list("number", flat=True).first()
    if used:
        return used.rsplit("/", 2)[0]
    name = (blm.short_name or blm.name).strip()
    base = PREFIX_OVERRIDES.get(name) or derived_prefix(name)
    prefix, suffix = base, 1
    while Certificate.objects.filter(number__startswith=f"{prefix}/").exclude(blm=blm).exists():
        suffix += 1
        prefix = f"{base}{suffix}"
    return prefix


def certificate_number(prefix, year, serial):
    return f"{prefix}/{year}/{serial:04d}"


# --- Issuing -----------------------------------------------------------------------------------------


def issue_refusal(batch):
    """Why `batch`'s certificates cannot be issued now (a message), or None when they can."""
    if not batch.programme.gives_certificate:
        return _("Program “%(programme)s” tidak memberi sertifikat.") % {"programme": batch.programme.title}
    if batch.status != BatchStatus.CLOSED:
        return _(
            "Sertifikat diterbitkan setelah angkatan selesai; status angkatan ini “%(status)s”. "
            "Tutup angkatan lebih dahulu agar hasil setiap peserta ditetapkan."
        ) % {"status": batch.get_status_display()}
    return None


def eligible_enrolments(batch):
    """The participants who completed the batch and hold no certificate yet."""
    return batch.enrolments.filter(status=EnrolmentStatus.COMPLETED, certificate__isnull=True)


@transaction.atomic
def certificate_issue(*, enrolment, user=None, today=None):
    """Issue `enrolment`'s certificate with the next number of its BLM and year; None when it has one.

    The BLM's row is locked first, so the number taken here is taken by no concurrent run.
    """
    batch = enrolment.batch
    blm = Organisation.objects.select_for_update(no_key=True).get(pk=batch.blm_id)
    if Certificate.objects.filter(enrolment=enrolment).exists():
        return None
    year = batch.ends_on.year
    last = Certificate.objects.filter(blm=blm, year=year).aggregate(last=Max("serial"))["last"] or 0
    return Certificate.objects.create(
        enrolment=enrolment,
        blm=blm,
        year=year,
        serial=last + 1,
        number=certificate_number(certificate_prefix(blm), year, last + 1),
        issued_on=today or timezone.localdate(),
        issued_by=user,
    )


def certificates_issued(*, batch, user=None, today=None, progress=None):
    """Issue the certificate of every participant of `batch` who completed it and has none, one at a
    time (each committed on its own), in the order of their names; yields each certificate issued.

    Refused (ValidationError) for a batch not closed or a programme that gives no certificate.
    """
    batch = Batch.objects.select_related("programme").get(pk=batch.pk)
    refusal = issue_refusal(batch)
    if refusal:
        raise ValidationError(refusal, code="not_issuable")
    enrolments = list(eligible_enrolments(batch).select_related("batch").order_by("person__full_name", "pk"))
    progress = progress or (lambda done: None)
    for done, enrolment in enumerate(enrolments, start=1):
        certificate = certificate_issue(enrolment=enrolment, user=user, today=today)
        progress(done)
        if certificate is not None:
            yield certificate


def certificates_issue(*, batch, user=None, today=None):
    """Issue `batch`'s certificates here and now (see `certificates_issued`); the list of those issued."""
    return list(certificates_issued(batch=batch, user=user, today=today))


@transaction.atomic
def certificate_run_start(*, batch, user):
    """Record a run issuing `batch`'s certificates, started by `user`, and run it in the background once
    recorded. Refused (ValidationError) when they cannot be issued or everyone who completed has one."""
    batch = Batch.objects.select_related("programme").get(pk=batch.pk)
    refusal = issue_refusal(batch)
    if refusal:
        raise ValidationError(refusal, code="not_issuable")
    count = eligible_enrolments(batch).count()
    if not count:
        raise ValidationError(
            _("Tidak ada sertifikat untuk diterbitkan: setiap peserta yang lulus sudah memiliki sertifikat."),
            code="nothing_to_issue",
        )
    run = CertificateRun.objects.create(batch=batch, started_by=user, total_rows=count)
    transaction.on_commit(lambda: run_certificate_issue.enqueue(run_id=run.pk))
    return run


def certificate_run_execute(run):
    """Issue the certificates of `run`'s batch, writing the progress on `run`; it ends done (with the number
    issued) or failed (with why, and how many were issued before)."""
    now = timezone.now()
    CertificateRun.stale(now).update(
        status=TaskStatus.FAILED,
        errors=[{"row": None, "column": None, "message": _("Penerbitan terhenti sebelum selesai; terbitkan ulang.")}],
        error_count=1,
        finished_at=now,
    )
    run._set(status=TaskStatus.RUNNING, processed_rows=0, issued_count=0, heartbeat_at=now)
    issued = 0
    try:
        # The worker has no request: name the user who started the run in every certificate's history.
        with pghistory.context(user=run.started_by_id, certificate_run=run.pk):
            progress = Progress(run, eligible_enrolments(run.batch).count())
            for _certificate in certificates_issued(batch=run.batch, user=run.started_by, progress=progress):
                issued += 1
    except ValidationError as refusal:
        _fail(run, " ".join(refusal.messages), issued)
        return run
    except Exception:
        logger.exception("Certificate run %s failed", run.pk)
        _fail(run, _("Kesalahan tak terduga; hubungi Admin."), issued)
        raise
    run._set(
        status=TaskStatus.DONE,
        issued_count=issued,
        processed_rows=run.total_rows,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    return run


def _fail(run, message, issued):
    if issued:
        message = _(
            "%(message)s %(count)s sertifikat sudah terbit sebelum terhenti; terbitkan ulang untuk sisanya."
        ) % {"message": message, "count": issued}
    run._set(
        status=TaskStatus.FAILED,
        issued_count=issued,
        errors=[{"row": None, "column": None, "message": str(message)}],
        error_count=1,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


@task
def run_certificate_issue(run_id: int):
    """The background task of a run issuing a batch's certificates (trainings.certificates)."""
    run = CertificateRun.objects.select_related("batch", "started_by").get(pk=run_id)
    certificate_run_execute(run)


# --- Revoking ----------------------------------------------------------------------------------------


def certificate_revoke(*, certificate, reason, today=None):
    """Revoke `certificate` (read at its `version`) with a reason, as of today; its public page says so.

    Refused (ValidationError) without a reason, or when it is revoked already.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan pencabutan sertifikat.")}, code="reason")
    if certificate.revoked_on is not None:
        raise ValidationError(
            _("Sertifikat ini sudah dicabut pada %(date)s.") % {"date": date_format(certificate.revoked_on)},
            code="revoked",
        )
    certificate.revoked_on = today or timezone.localdate()
    certificate.revoked_reason = reason
    # The issuer is left empty by a run of the command line or the demo (no user).
    certificate.full_clean(exclude=["issued_by"], validate_unique=False)
    certificate.save(update_fields=["revoked_on", "revoked_reason"])
    return certificate


# --- Verification and the PDF ------------------------------------------------------------------------


def verification_url(certificate):
    """The certificate's public page as an absolute URL (the target of its QR code)."""
    return settings.SITE_URL + certificate.get_verification_url()


def qr_data_uri(url):
    """A QR code of `url` as a PNG data URI (the PDF fetches nothing but data URIs)."""
    return segno.make(url, error="m").png_data_uri(scale=6, border=2)


def certificates_for_pdf(queryset):
    """`queryset` with what a certificate's page shows loaded in the same query."""
    return queryset.select_related("enrolment__person", "enrolment__batch__programme", "blm").order_by(
        "blm", "year", "serial"
    )


def certificates_html(certificates):
    """The HTML WeasyPrint lays out: one A4 landscape page per certificate (from `certificates_for_pdf`),
    each with its QR code and its verification address printed. Every text is escaped by the template."""
    pages = []
    for certificate in certificates:
        url = verification_url(certificate)
        blm, programme = certificate.blm, certificate.enrolment.batch.programme
        # Texts without direction overrides or invisible characters, whatever way they came in (an
        # import, the admin): U+202E would print a name backwards on a document people rely on.
        texts = {
            "holder": certificate.enrolment.person.full_name,
            "programme": programme.title,
            "blm": blm.name,
            "blm_short": blm.short_name or blm.name,
            "head_name": blm.head_name,
            "head_position": blm.head_position,
        }
        pages.append(
            {
                "certificate": certificate,
                "url": url,
                "qr": qr_data_uri(url),
                **{key: clean_text(value) for key, value in texts.items()},
            }
        )
    return render_to_string("trainings/certificate_pdf.html", {"pages": pages})


def certificates_pdf(certificates):
    """One PDF of `certificates`; nothing is fetched but the page's own data URIs."""
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    return weasyprint.HTML(string=certificates_html(certificates), url_fetcher=fetcher).write_pdf()
