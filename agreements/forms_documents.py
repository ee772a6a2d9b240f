"""Forms for agreement documents, commitments, their status and evidence.

Upload fields only carry the file: its size and content are checked by the
services (`agreements.documents.check_upload`), whose errors are shown on the
field.
"""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from agreements.commitments import allowed_statuses
from agreements.documents import ATTACHMENT_TYPES, ATTACHMENT_TYPES_TEXT
from agreements.models import Commitment, CommitmentStatus, DocumentKind
from percontohan import forms as portal_forms
from percontohan.forms import DATE_WIDGET

# A hint for the browser's file picker; the server checks the content whatever the name.
ACCEPT_ANY = ",".join(sorted({f".{ext}" for ext in ATTACHMENT_TYPES.values()} | {".jpeg", *ATTACHMENT_TYPES}))
ACCEPT_PDF = ".pdf,application/pdf"


def upload_field(*, required=True, accept=ACCEPT_ANY, label=None):
    return forms.FileField(
        label=label or _("Berkas"),
        required=required,
        widget=forms.ClearableFileInput(attrs={"accept": accept}),
    )


def upload_help(signed=False):
    if signed:
        return _("PDF, paling besar %(mb)s MB. Isi berkas diperiksa, bukan hanya namanya.") % {
            "mb": settings.UPLOAD_MAX_MB
        }
    return _("%(types)s, paling besar %(mb)s MB. Isi berkas diperiksa, bukan hanya namanya.") % {
        "types": ATTACHMENT_TYPES_TEXT,
        "mb": settings.UPLOAD_MAX_MB,
    }


class DocumentForm(portal_forms.Form):
    """A new document of an agreement: the signed PDF or an attachment, with its first file."""

    kind = forms.ChoiceField(label=_("Jenis dokumen"), choices=DocumentKind.choices)
    title = forms.CharField(
        label=_("Judul"),
        max_length=255,
        required=False,
        help_text=_("Boleh dikosongkan: naskah diberi judul menurut nomornya, lampiran menurut nama berkasnya."),
    )
    file = upload_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Naskah yang ditandatangani: PDF. Lampiran: %(types)s. Paling besar %(mb)s MB; "
            "isi berkas diperiksa, bukan hanya namanya."
        ) % {"types": ATTACHMENT_TYPES_TEXT, "mb": settings.UPLOAD_MAX_MB}


class DocumentReplaceForm(portal_forms.Form):
    """A new version of a document; the older versions are kept."""

    file = upload_field(label=_("Berkas versi baru"))

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        signed = document.kind == DocumentKind.SIGNED
        if signed:
            self.fields["file"].widget.attrs["accept"] = ACCEPT_PDF
        self.fields["file"].help_text = upload_help(signed)


class PartyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.role_label}: {obj.organisation.name}"


class CommitmentForm(portal_forms.ModelForm):
    """What a party of the agreement promised and by when; only the agreement's parties may be chosen."""

    party = PartyChoiceField(label=_("Pihak yang bertanggung jawab"), queryset=None)

    class Meta:
        model = Commitment
        fields = ["party", "description", "due_date", "recurrence", "notes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "due_date": DATE_WIDGET,
        }
        help_texts = {
            "recurrence": _(
                "Komitmen berulang (mis. laporan triwulan): setiap kali dinyatakan selesai, tenggat "
                "berpindah ke periode berikutnya."
            ),
            "due_date": _("Untuk komitmen berulang: tenggat periode pertama."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = self.instance.agreement.parties.select_related("organisation")


class EvidenceForm(portal_forms.Form):
    """Evidence that a commitment was kept: a note, a file, or both."""

    note = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = upload_field(required=False, label=_("Berkas bukti (opsional)"))

    def __init__(self, *args, **kwargs):
        # Shown on the commitment's page beside the status form: distinct element ids.
        super().__init__(*args, auto_id="id_evidence_%s", **kwargs)
        self.fields["file"].help_text = upload_help()


class CommitmentStatusForm(portal_forms.Form):
    """Move a commitment along; marking it done takes the completion date and (new) evidence."""

    status = forms.ChoiceField(label=_("Status baru"))
    completed_on = forms.DateField(
        label=_("Tanggal selesai"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Hanya untuk status selesai; kosong berarti hari ini."),
    )
    note = forms.CharField(
        label=_("Keterangan bukti"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wajib untuk status selesai bila belum ada bukti untuk periode ini (atau lampirkan berkas)."),
    )
    file = upload_field(required=False, label=_("Berkas bukti (opsional)"))

    def __init__(self, *args, commitment, **kwargs):
        super().__init__(*args, auto_id="id_status_%s", **kwargs)
        choices = []
        for status in allowed_statuses(commitment):
            label = status.label
            if status == CommitmentStatus.DONE and commitment.recurrence and commitment.due_date:
                label = _("Selesai untuk periode ini (tenggat %(date)s)") % {"date": date_format(commitment.due_date)}
            choices.append((status.value, label))
        self.fields["status"].choices = choices
        self.fields["completed_on"].initial = timezone.localdate()
        self.fields["file"].help_text = upload_help()
