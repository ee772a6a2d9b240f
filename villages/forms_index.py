"""The index file upload form."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from percontohan import forms as portal_forms
from villages.models import IndexScheme

ACCEPTED_SUFFIXES = (".csv", ".xlsx")


class IndexUploadForm(portal_forms.Form):
    """An index file (CSV or XLSX) for one scheme, optionally one year of it.

    Only the name and size are checked here; the content is checked by the import
    itself (a web page or an image renamed .csv fails the import with a clear message).
    """

    scheme = forms.ModelChoiceField(label=_("Skema indeks"), queryset=IndexScheme.objects.all(), empty_label=None)
    year = forms.IntegerField(
        label=_("Tahun"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_(
            "Wajib bila berkas tidak menyebut tahunnya (tidak ada kolom tahun atau akhiran _TAHUN). "
            "Untuk berkas beberapa tahun, hanya tahun ini yang diimpor."
        ),
    )
    file = forms.FileField(
        label=_("Berkas"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (UTF-8) atau XLSX, paling besar %(mb)s MB; kolom seperti berkas Kemendes "
            "(KODE_DESA, IKS_2024, …, STATUS_IDM_2024) atau huruf kecil (kode_desa, tahun, iks, …)."
        ) % {"mb": settings.UPLOAD_MAX_MB}
        self.fields["scheme"].initial = IndexScheme.objects.filter(code="idm").values_list("pk", flat=True).first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ACCEPTED_SUFFIXES:
            raise forms.ValidationError(_("Hanya berkas CSV atau XLSX yang dapat diimpor."), code="file_type")
        if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size)s); batasnya %(max)s MB. Bagi berkas per provinsi atau per tahun.")
                % {"size": filesizeformat(upload.size), "max": settings.UPLOAD_MAX_MB},
                code="file_size",
            )
        return upload
