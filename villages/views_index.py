"""The development index pages: uploading index files, following an import, and the schemes."""

from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from percontohan.exports import csv_response
from percontohan.scoping import get_visible_or_404
from percontohan.views_base import require_editor
from villages.forms_index import IndexUploadForm
from villages.index_import import UNMATCHED_HEADER, unmatched_rows
from villages.models import IndexComponent, IndexImport, IndexScheme, IndexStatus
from villages.tasks import index_import_start

RECENT_IMPORTS = 20
UNMATCHED_SHOWN = 50


@require_http_methods(["GET", "POST"])
def index_import(request):
    """/indeks/impor/: upload an index file (admins and BLM staff) and see the recent imports."""
    require_editor(request.user)
    form = IndexUploadForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        record = index_import_start(
            scheme=form.cleaned_data["scheme"],
            year=form.cleaned_data["year"],
            upload=form.cleaned_data["file"],
            user=request.user,
        )
        return redirect(record)
    IndexImport.fail_stale()  # an import whose worker died shows as failed, not as running for ever
    imports = IndexImport.objects.visible_to(request.user).select_related("scheme", "started_by")[:RECENT_IMPORTS]
    return render(
        request,
        "villages/index_import.html",
        {"form": form, "imports": imports, "title": _("Impor nilai indeks desa")},
    )


@require_GET
def index_import_detail(request, pk):
    """/indeks/impor/<pk>/: the import's progress (polled by htmx) and then its outcome."""
    IndexImport.fail_stale()
    record = get_visible_or_404(IndexImport.objects.select_related("scheme", "started_by"), request.user, pk=pk)
    template = "villages/index_import_detail.html"
    context = {"object": record, "unmatched_shown": UNMATCHED_SHOWN}
    return render(request, f"{template}#progress" if request.htmx else template, context)


@require_GET
def index_import_unmatched(request, pk):
    """/indeks/impor/<pk>/tidak-cocok.csv: every row whose code matches no current village."""
    record = get_visible_or_404(IndexImport.objects.only("pk", "unmatched", "started_by"), request.user, pk=pk)
    return csv_response(UNMATCHED_HEADER, unmatched_rows(record.unmatched), f"impor-{record.pk}-kode-tidak-cocok.csv")


@require_GET
def index_schemes(request):
    """/indeks/skema/: each scheme's components and status thresholds, so users see how statuses are computed."""
    schemes = IndexScheme.objects.prefetch_related(
        Prefetch("components", queryset=IndexComponent.objects.order_by("order", "pk")),
        Prefetch("statuses", queryset=IndexStatus.objects.order_by("order")),
    )
    for scheme in schemes:
        scheme.bands = status_bands(scheme.statuses.all())
    return render(request, "villages/index_schemes.html", {"schemes": schemes, "title": _("Skema indeks desa")})


def status_bands(statuses):
    """(status, lower bound exclusive or None, upper bound inclusive or None) for each status, lowest first."""
    bands, lower = [], None
    for status in statuses:
        bands.append((status, lower, status.upper_bound))
        lower = status.upper_bound
    return bands


urlpatterns = [
    path("indeks/impor/", index_import, name="index_import"),
    path("indeks/impor/<int:pk>/", index_import_detail, name="index_import_detail"),
    path("indeks/impor/<int:pk>/tidak-cocok.csv", index_import_unmatched, name="index_import_unmatched"),
    path("indeks/skema/", index_schemes, name="index_schemes"),
]
