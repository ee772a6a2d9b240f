"""Importing a batch's participants from a registration list: the template, the upload (a background
task) and the import's page — its progress, then what it did or which rows are wrong (never a NIK in
clear: rows by number, matched people by their masked NIK)."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from percontohan.scoping import get_editable_or_404, get_visible_or_404
from trainings.forms_people import ParticipantImportForm
from trainings.imports import TAKING_REGISTRATIONS, not_taking_message, participant_template
from trainings.models import Batch, ParticipantImport
from trainings.tasks import participant_import_start

RECENT_IMPORTS = 10
MATCHED_SHOWN = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_http_methods(["GET", "POST"])
def participant_import(request, pk):
    """/pelatihan/angkatan/<pk>/peserta/impor/: upload a registration list for the batch (those who may
    change the batch) and see its recent imports."""
    batch = get_editable_or_404(Batch.objects.select_related("programme"), request.user, pk=pk)
    form = ParticipantImportForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        if batch.status not in TAKING_REGISTRATIONS:
            form.add_error(None, not_taking_message(batch))
        else:
            record = participant_import_start(batch=batch, upload=form.cleaned_data["file"], user=request.user)
            return redirect(record)
    ParticipantImport.fail_stale()  # an import whose worker died shows as failed, not as running for ever
    imports = batch.participant_imports.select_related("started_by")[:RECENT_IMPORTS]
    context = {
        "batch": batch,
        "form": form,
        "imports": imports,
        "taking_registrations": batch.status in TAKING_REGISTRATIONS,
        "title": _("Impor peserta"),
    }
    return render(request, "trainings/participant_import.html", context)


@require_GET
def participant_import_detail(request, pk):
    """/pelatihan/impor-peserta/<pk>/: the import's progress (polled by htmx), then its outcome."""
    ParticipantImport.fail_stale()
    record = get_visible_or_404(
        ParticipantImport.objects.select_related("batch__programme", "started_by"), request.user, pk=pk
    )
    template = "trainings/participant_import_detail.html"
    context = {"object": record, "batch": record.batch, "matched_shown": MATCHED_SHOWN}
    return render(request, f"{template}#progress" if request.htmx else template, context)


@require_GET
def participant_template_download(request):
    """/pelatihan/impor-peserta/templat.xlsx: the registration list template (no data, only its columns)."""
    response = HttpResponse(participant_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-daftar-peserta.xlsx"'
    return response


urlpatterns = [
    path("angkatan/<int:pk>/peserta/impor/", participant_import, name="participant_import"),
    path("impor-peserta/<int:pk>/", participant_import_detail, name="participant_import_detail"),
    path("impor-peserta/templat.xlsx", participant_template_download, name="participant_template"),
]
