"""Certificates: a batch's certificates (issuing them in one action, downloading them as one PDF), the
progress of an issuing run, a certificate's page (revoking it, its history) and PDF — and the one page of
the portal that needs no login, the public check of a certificate (/verifikasi/<code>/).

Everything under a batch is read and changed as its batch is (percontohan.scoping): issuing and revoking
load their record through the write rule. The public page shows a certificate's number, programme,
dates, BLM, its holder's masked name and whether it is valid — nothing else about anyone.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from percontohan.forms import Form
from percontohan.history import history_of
from percontohan.scoping import can_edit, get_editable_or_404, get_visible_or_404
from percontohan.text import clean_text
from percontohan.views_base import posted_version, saved_or_refused
from trainings import certificates, nik
from trainings.certificates import (
    certificate_run_start,
    certificates_for_pdf,
    certificates_pdf,
    eligible_enrolments,
    issue_refusal,
    verification_url,
)
from trainings.models import Batch, Certificate, CertificateRun

REASON_MAX_LENGTH = 1000


class CertificateRevokeForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan pencabutan"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Wajib diisi; tercatat dalam riwayat sertifikat. Halaman verifikasi publik hanya "
            "menyebut tanggal pencabutan."
        ),
        error_messages={"required": gettext_lazy("Tuliskan alasan pencabutan sertifikat.")},
    )


def batch_queryset():
    return Batch.objects.select_related("programme", "blm")


def certificate_queryset():
    return certificates_for_pdf(Certificate.objects.select_related("issued_by", "enrolment__batch__blm"))


def pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def number_slug(number):
    return slugify(number.replace("/", "-"))


# --- A batch's certificates ----------------------------------------------------------------------------


@require_GET
def batch_certificates(request, pk):
    """/pelatihan/angkatan/<pk>/sertifikat/: the batch's certificates, how many participants still wait for
    theirs, the issue button (editors) and the download of them all."""
    batch = get_visible_or_404(batch_queryset(), request.user, pk=pk)
    issued = (
        Certificate.objects.filter(enrolment__batch=batch).select_related("enrolment__person").order_by("serial", "pk")
    )
    counts = issued.aggregate(total=Count("pk"), revoked=Count("pk", filter=Q(revoked_on__isnull=False)))
    runs = CertificateRun.objects.filter(batch=batch).select_related("started_by")[:1]
    return render(
        request,
        "trainings/batch_certificates.html",
        {
            "batch": batch,
            "certificates": issued,
            "total": counts["total"],
            "revoked": counts["revoked"],
            "eligible": eligible_enrolments(batch).count(),
            "refusal": issue_refusal(batch),
            "can_edit": can_edit(request.user, batch),
            "last_run": next(iter(runs), None),
        },
    )


@require_POST
def certificates_issue(request, pk):
    """/pelatihan/angkatan/<pk>/sertifikat/terbitkan/: issue the certificate of everyone who completed the
    batch and has none, in the background; the user follows the run's progress."""
    batch = get_editable_or_404(batch_queryset(), request.user, pk=pk)
    try:
        run = certificate_run_start(batch=batch, user=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("trainings:batch_certificates", batch.pk)
    return redirect(run)


@require_GET
def batch_certificates_pdf(request, pk):
    """/pelatihan/angkatan/<pk>/sertifikat/pdf/: every valid certificate of the batch in one PDF."""
    batch = get_visible_or_404(batch_queryset(), request.user, pk=pk)
    valid = list(certificates_for_pdf(Certificate.objects.filter(enrolment__batch=batch, revoked_on__isnull=True)))
    if not valid:
        messages.info(request, _("Angkatan ini belum memiliki sertifikat yang berlaku untuk diunduh."))
        return redirect("trainings:batch_certificates", batch.pk)
    filename = f"sertifikat-{slugify(batch.programme.code)}-{slugify(batch.name)}.pdf"
    return pdf_response(certificates_pdf(valid), filename)


# --- An issuing run ---------------------------------------------------------------------------------------


@require_GET
def certificate_run(request, pk):
    """/pelatihan/sertifikat/penerbitan/<pk>/: the run's progress (the page polls itself), then its outcome."""
    run = get_visible_or_404(
        CertificateRun.objects.select_related("batch__programme", "started_by"), request.user, pk=pk
    )
    template = "trainings/certificate_run.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#progress"
    return render(request, template, {"run": run, "batch": run.batch})


# --- One certificate -------------------------------------------------------------------------------------


def render_certificate(request, certificate, *, form=None, status=200):
    editable = can_edit(request.user, certificate)
    return render(
        request,
        "trainings/certificate_detail.html",
        {
            "certificate": certificate,
            "batch": certificate.enrolment.batch,
            "person": certificate.enrolment.person,
            "verification_url": verification_url(certificate),
            "can_edit": editable,
            "form": (form or CertificateRevokeForm()) if editable and certificate.is_valid else None,
            "history": history_of(certificate),
        },
        status=status,
    )


@require_GET
def certificate_detail(request, pk):
    """/pelatihan/sertifikat/<pk>/: the certificate, its public address, the revoke form and its history."""
    return render_certificate(request, get_visible_or_404(certificate_queryset(), request.user, pk=pk))


@require_POST
def certificate_revoke(request, pk):
    """/pelatihan/sertifikat/<pk>/cabut/: revoke the certificate (a reason is required); its public page
    then says it is revoked, and since when."""
    certificate = get_editable_or_404(certificate_queryset(), request.user, pk=pk)
    form = CertificateRevokeForm(request.POST)
    if form.is_valid():
        certificate.version = posted_version(request.POST)
        revoked = saved_or_refused(
            form,
            request.user,
            lambda: certificates.certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"]),
            instance=certificate,
        )
        if revoked is not None:
            messages.success(request, _("Sertifikat %(number)s dicabut.") % {"number": certificate.number})
            return redirect(certificate)
    certificate = get_visible_or_404(certificate_queryset(), request.user, pk=pk)
    return render_certificate(request, certificate, form=form)


@require_GET
def certificate_pdf(request, pk):
    """/pelatihan/sertifikat/<pk>/pdf/: the certificate as a PDF (a revoked one is marked so across the page)."""
    certificate = get_visible_or_404(certificate_queryset(), request.user, pk=pk)
    return pdf_response(certificates_pdf([certificate]), f"sertifikat-{number_slug(certificate.number)}.pdf")


# --- The public check -------------------------------------------------------------------------------------


@login_not_required
@require_GET
def verify_certificate(request, code):
    """/verifikasi/<code>/ (no login): is this certificate genuine and valid? Its number, programme, dates,
    BLM, the holder's masked name and its status — nothing else. An unknown code: 404, in Indonesian."""
    certificate = (
        Certificate.objects.select_related("enrolment__person", "enrolment__batch__programme", "blm")
        .filter(code=code)
        .first()
        if len(code) <= Certificate._meta.get_field("code").max_length
        else None
    )
    if certificate is None:
        response = render(request, "trainings/verify_certificate.html", {"certificate": None}, status=404)
    else:
        batch = certificate.enrolment.batch
        response = render(
            request,
            "trainings/verify_certificate.html",
            {
                "certificate": certificate,
                "programme": batch.programme,
                "batch": batch,
                "holder": nik.mask_name(clean_text(certificate.enrolment.person.full_name)),
            },
        )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


urlpatterns = [
    path("angkatan/<int:pk>/sertifikat/", batch_certificates, name="batch_certificates"),
    path("angkatan/<int:pk>/sertifikat/terbitkan/", certificates_issue, name="certificates_issue"),
    path("angkatan/<int:pk>/sertifikat/pdf/", batch_certificates_pdf, name="batch_certificates_pdf"),
    path("sertifikat/penerbitan/<int:pk>/", certificate_run, name="certificate_run"),
    path("sertifikat/<int:pk>/", certificate_detail, name="certificate_detail"),
    path("sertifikat/<int:pk>/pdf/", certificate_pdf, name="certificate_pdf"),
    path("sertifikat/<int:pk>/cabut/", certificate_revoke, name="certificate_revoke"),
]

public_urlpatterns = [
    path("verifikasi/<str:code>/", verify_certificate, name="verify_certificate"),
]
