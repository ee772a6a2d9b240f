"""Results of trainings (Kirkpatrick levels 1–4): a batch's results tab and its printable PDF, and the
results page comparing programmes, batches, BLMs or regencies (one row per group), or one programme.

Every figure counts only the enrolments `counted_enrolments(user)` holds — of batches the user sees and
of participants the user sees — and takes a constant number of queries (trainings.results).
"""

import weasyprint
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from partners.models import Organisation
from percontohan.scoping import get_visible_or_404
from regions.models import Regency
from trainings.filters_followups import ALL
from trainings.forms_followups import ResultsForm
from trainings.models import Batch, Programme
from trainings.results import GROUPINGS, counted_enrolments, for_results_page, results_by, results_for


def optional_url(name, *args):
    """The URL of a page of another part of trainings, or None while that page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def batch_crumbs(batch):
    crumbs = [(_("Angkatan pelatihan"), optional_url("trainings:batch_list"))]
    crumbs.append((str(batch), optional_url("trainings:batch_detail", batch.pk)))
    return [(label, url) for label, url in crumbs if url]


def load_batch(request, pk):
    batch_queryset = Batch.objects.select_related("programme", "blm", "venue_village__district__regency")
    return get_visible_or_404(batch_queryset, request.user, pk=pk)


def batch_results_context(request, batch):
    results = results_for(counted_enrolments(request.user).filter(batch=batch), detailed=True)
    return {
        "batch": batch,
        "results": results,
        "title": _("Hasil pelatihan"),
        "breadcrumbs": batch_crumbs(batch),
        "followups_url": f"{reverse('trainings:followup_list')}?{urlencode({'batch': batch.pk, 'state': ALL})}",
    }


@require_GET
def batch_results(request, pk):
    """/pelatihan/angkatan/<pk>/hasil/: levels 1–4 of one batch, with its village-level results."""
    batch = load_batch(request, pk)
    return render(request, "trainings/batch_results.html", batch_results_context(request, batch))


@require_GET
def batch_results_pdf(request, pk):
    """/pelatihan/angkatan/<pk>/hasil/pdf/: the same, as a printable A4 PDF (WeasyPrint; nothing fetched)."""
    batch = load_batch(request, pk)
    html = render_to_string("trainings/batch_results_pdf.html", batch_results_context(request, batch), request=request)
    fetcher = weasyprint.URLFetcher(allowed_protocols=("data",))
    pdf = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"{batch.programme.code}-{batch.name}") or str(batch.pk)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"hasil-pelatihan-{name}.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The results page --------------------------------------------------------------------------------


def group_labels(grouping, keys):
    """{key: (label, link or None)} of the groups shown, read in one query."""
    if grouping == "programme":
        programmes = Programme.objects.in_bulk(keys)
        return {
            key: (programme.title, "?" + urlencode({"programme": key, "group": "batch"}))
            for key, programme in programmes.items()
        }
    if grouping == "batch":
        batches = Batch.objects.select_related("programme").in_bulk(keys)
        return {key: (str(batch), reverse("trainings:batch_results", args=[key])) for key, batch in batches.items()}
    if grouping == "blm":
        return {key: (blm.short_name or blm.name, None) for key, blm in Organisation.objects.in_bulk(keys).items()}
    return {key: (regency.name, None) for key, regency in Regency.objects.in_bulk(keys).items()}


@require_GET
def results(request):
    """/pelatihan/hasil/: results one row per programme, batch, BLM or regency; `?programme=<pk>` for one programme."""
    form = ResultsForm(request.GET, user=request.user)
    chosen = form.cleaned_data if form.is_valid() else {}
    programme = chosen.get("programme")
    grouping = chosen.get("group") or ("batch" if programme else "programme")
    enrolments = for_results_page(request.user)
    if programme is not None:
        enrolments = enrolments.filter(batch__programme=programme)
    grouped = results_by(enrolments, grouping)
    labels = group_labels(grouping, list(grouped))
    rows = sorted(
        ((*labels.get(key, ("—", None)), result) for key, result in grouped.items()),
        key=lambda row: str(row[0]).lower(),
    )
    return render(
        request,
        "trainings/results.html",
        {
            "form": form,
            "programme": programme,
            "grouping": grouping,
            "grouping_label": GROUPINGS[grouping],
            "rows": rows,
            "total": results_for(enrolments, detailed=programme is not None),
            "title": _("Hasil pelatihan"),
            "breadcrumbs": [(_("Hasil pelatihan"), reverse("trainings:results"))] if programme else [],
        },
    )


urlpatterns = [
    path("angkatan/<int:pk>/hasil/", batch_results, name="batch_results"),
    path("angkatan/<int:pk>/hasil/pdf/", batch_results_pdf, name="batch_results_pdf"),
    path("hasil/", results, name="results"),
]
