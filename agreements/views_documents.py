"""Agreement documents: upload, new versions, the versions of a document, and access-checked downloads.

Files live in private storage under generated names; they are never under a
public URL. The only way to a file is a download view here, which loads the
record through `visible_to(request.user)` (404 otherwise) and answers with an
attachment marked `nosniff`, typed by what the content was found to be. Uploads
load the agreement or document through the write rule (`get_editable_or_404`).
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from agreements.documents import document_add, document_replace, download_name
from agreements.forms_documents import DocumentForm, DocumentReplaceForm
from agreements.models import Agreement, CommitmentEvidence, Document, DocumentVersion
from agreements.views_agreements import agreement_crumbs
from percontohan.scoping import can_edit, get_editable_or_404, get_visible_or_404
from percontohan.views_base import saved_or_refused


@require_http_methods(["GET", "POST"])
def document_create(request, pk):
    """/perjanjian/<pk>/dokumen/tambah/: upload the signed PDF or an attachment of an agreement."""
    agreement = get_editable_or_404(Agreement, request.user, pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        document = saved_or_refused(
            form,
            request.user,
            lambda: document_add(
                agreement=agreement,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                user=request.user,
            ),
        )
        if document is not None:
            messages.success(request, _("Dokumen “%(title)s” diunggah.") % {"title": document.title})
            return redirect("agreements:document_detail", pk=document.pk)
    return render(
        request,
        "agreements/document_form.html",
        {
            "form": form,
            "agreement": agreement,
            "title": _("Unggah dokumen perjanjian"),
            "breadcrumbs": agreement_crumbs(agreement),
            "cancel_url": agreement.get_absolute_url(),
        },
    )


@require_http_methods(["GET", "POST"])
def document_replace_view(request, pk):
    """/perjanjian/dokumen/<pk>/ganti/: upload a new version; the older versions are kept."""
    document = get_editable_or_404(Document.objects.select_related("agreement"), request.user, pk=pk)
    form = DocumentReplaceForm(request.POST or None, request.FILES or None, document=document)
    if form.is_valid():
        version = saved_or_refused(
            form,
            request.user,
            lambda: document_replace(document=document, upload=form.cleaned_data["file"], user=request.user),
        )
        if version is not None:
            messages.success(
                request,
                _("Versi %(number)s dari “%(title)s” diunggah; versi sebelumnya tetap tersimpan.")
                % {"number": version.number, "title": document.title},
            )
            return redirect("agreements:document_detail", pk=document.pk)
    return render(
        request,
        "agreements/document_form.html",
        {
            "form": form,
            "agreement": document.agreement,
            "document": document,
            "title": _("Ganti dokumen “%(title)s”") % {"title": document.title},
            "breadcrumbs": [
                *agreement_crumbs(document.agreement),
                (document.title, reverse("agreements:document_detail", args=[document.pk])),
            ],
            "cancel_url": reverse("agreements:document_detail", args=[document.pk]),
        },
    )


@require_GET
def document_detail(request, pk):
    """/perjanjian/dokumen/<pk>/: a document and every version of it, newest first."""
    document = get_visible_or_404(Document.objects.select_related("agreement"), request.user, pk=pk)
    versions = document.versions.select_related("uploaded_by").order_by("-number")
    return render(
        request,
        "agreements/document_detail.html",
        {
            "document": document,
            "agreement": document.agreement,
            "versions": versions,
            "can_edit": can_edit(request.user, document),
            "title": document.title,
            "breadcrumbs": agreement_crumbs(document.agreement),
        },
    )


def private_file_response(fieldfile, *, filename, content_type):
    """An attachment download of a privately stored file, never sniffed into something else."""
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser render it after all, it gets no scripts and no origin.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def document_download(request, pk):
    """/perjanjian/dokumen/versi/<pk>/unduh/: one version's file, for users who may see its agreement."""
    version = get_visible_or_404(DocumentVersion, request.user, pk=pk)
    return private_file_response(
        version.file,
        filename=download_name(version.original_name, version.content_type),
        content_type=version.content_type,
    )


@require_GET
def evidence_download(request, pk):
    """/perjanjian/bukti/<pk>/unduh/: an evidence file, for users who may see its commitment's agreement."""
    evidence = get_visible_or_404(CommitmentEvidence.objects.exclude(file=""), request.user, pk=pk)
    return private_file_response(
        evidence.file,
        filename=download_name(evidence.original_name, evidence.content_type),
        content_type=evidence.content_type,
    )


urlpatterns = [
    path("<int:pk>/dokumen/tambah/", document_create, name="document_create"),
    path("dokumen/<int:pk>/", document_detail, name="document_detail"),
    path("dokumen/<int:pk>/ganti/", document_replace_view, name="document_replace"),
    path("dokumen/versi/<int:pk>/unduh/", document_download, name="document_download"),
    path("bukti/<int:pk>/unduh/", evidence_download, name="evidence_download"),
]
