"""A user's background exports (percontohan.exports): the progress page and the download.

An export is its user's own: every lookup goes through `request.user.exports`, so anyone else's is a 404,
admins included.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.generic import DetailView

from percontohan.background import TaskStatus
from percontohan.exports import CONTENT_TYPES


class ExportView(DetailView):
    """/ekspor/<pk>/: progress while the export runs (the page polls itself), then the download link."""

    template_name = "percontohan/export_detail.html"
    context_object_name = "export"

    def get_queryset(self):
        return self.request.user.exports.all()

    def get_template_names(self):
        if self.request.htmx:
            return [f"{self.template_name}#progress"]
        return [self.template_name]


def export_download(request, pk):
    """The file of a finished export."""
    export = get_object_or_404(request.user.exports, pk=pk, status=TaskStatus.DONE)
    if not export.file or not export.file.storage.exists(export.file.name):
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=CONTENT_TYPES.get(export.export_format),
    )


urlpatterns = [
    path("ekspor/<int:pk>/", ExportView.as_view(), name="export"),
    path("ekspor/<int:pk>/unduh/", export_download, name="export_download"),
]
