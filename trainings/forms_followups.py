"""The follow-up form (short, for a phone in the field), the evidence upload, and the results page's
choices; amounts of Rupiah are typed the way people write them ("1.250.000", "Rp 1.250.000,-")."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from percontohan.forms import DATE_WIDGET, Form, ModelForm
from trainings.models import Applied, Batch, FollowUp, FollowUpMethod, Programme
from trainings.results import GROUPINGS

RUPIAH_MAX = 10_000_000_000
# "1.250.000", "1,250,000", "1 250 000", optionally with zero cents ("1.250.000,00") — never "1.250.000.00".
GROUPED = re.compile(r"(?P<amount>\d{1,3}(?P<sep>[.,\s])\d{3}(?:(?P=sep)\d{3})*)(?:(?P<dec>[.,])0{1,2})?")
PLAIN = re.compile(r"(?P<amount>\d+)(?:[.,]0{1,2})?")


def parse_rupiah(text):
    """Whole Rupiah from what a person typed ("Rp 1.250.000,-" → 1250000); None for an empty text.

    Raises ValueError for anything else: a fraction of a Rupiah, a negative amount, letters.
    """
    text = (text or "").replace("\u00a0", " ").strip()
    text = re.sub(r"^rp\.?\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"[.,]-$", "", text).strip()
    if not text:
        return None
    if len(text) > 30:
        raise ValueError(text)
    match = PLAIN.fullmatch(text)
    if match is None:
        match = GROUPED.fullmatch(text)
        if match is None or match["dec"] == match["sep"]:
            raise ValueError(text)
    return int(re.sub(r"\D", "", match["amount"]))


class RupiahField(forms.CharField):
    """A whole amount of Rupiah, typed with or without thousands dots; shown again grouped (1.250.000)."""

    default_error_messages = {
        "invalid": _("Tulis jumlah dalam rupiah tanpa sen, misalnya 1.250.000."),
        "max_value": _("Jumlah ini terlalu besar; paling banyak Rp 10.000.000.000."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(max_length=None, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        try:
            amount = parse_rupiah(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount is not None and amount > RUPIAH_MAX:
            raise ValidationError(self.error_messages["max_value"], code="max_value")
        return amount

    def prepare_value(self, value):
        if isinstance(value, int):
            return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
        return value


class FollowUpForm(ModelForm):
    """What a follow-up found. When the participant was not reached only how and when they were sought
    is needed (it counts as a non-response); the rules are trainings.followups.followup_record's."""

    income_before = RupiahField(label=_("Pendapatan rumah tangga per bulan sebelum pelatihan (Rp)"), required=False)
    income_after = RupiahField(label=_("Pendapatan rumah tangga per bulan sekarang (Rp)"), required=False)

    class Meta:
        model = FollowUp
        fields = [
            "done_on",
            "method",
            "reached",
            "applied",
            "what_applied",
            "business_started",
            "business_type",
            "income_before",
            "income_after",
            "village_result_kind",
            "village_result",
        ]
        widgets = {
            "done_on": DATE_WIDGET,
            "method": forms.RadioSelect,
            "applied": forms.RadioSelect,
            "what_applied": forms.Textarea(attrs={"rows": 2}),
            "village_result": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "done_on": _("Tanggal tindak lanjut"),
            "method": _("Cara menghubungi"),
            "reached": _("Peserta dapat dihubungi"),
        }
        help_texts = {
            "reached": _("Bila tidak dapat dihubungi, isian lainnya dikosongkan: dihitung sebagai tidak menjawab."),
            "what_applied": _("Misalnya: pembukuan BUMDes, pemasaran lewat media sosial, pembibitan."),
        }

    # The answers, shown only when the participant was reached (static/js/followup_form.js).
    answer_fields = (
        "applied",
        "what_applied",
        "business_started",
        "business_type",
        "income_before",
        "income_after",
        "village_result_kind",
        "village_result",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_on"].required = True
        self.fields["method"].required = True
        self.fields["method"].choices = FollowUpMethod.choices
        self.fields["applied"].choices = Applied.choices
        if self.instance.done_on is None and not self.is_bound:
            self.initial["done_on"] = timezone.localdate()

    def _post_clean(self):
        # The service (followup_record) decides what is kept; the model's own checks run there.
        pass

    @property
    def contact(self):
        """The fields always filled in: when, how, and whether the participant was reached."""
        return [self[name] for name in self.Meta.fields if name not in self.answer_fields]

    @property
    def answers(self):
        return [self[name] for name in self.answer_fields]


class EvidenceForm(Form):
    file = forms.FileField(
        label=_("Berkas bukti"),
        help_text=_("Foto atau dokumen: PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS."),
    )


class ResultsForm(Form):
    """The results page's choices: how rows are grouped, and optionally one programme."""

    group = forms.ChoiceField(label=_("Kelompokkan menurut"), choices=list(GROUPINGS.items()), required=False)
    programme = forms.ModelChoiceField(label=_("Program"), queryset=Programme.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only programmes with a batch the user sees (the catalogue itself is read by everyone).
        self.fields["programme"].queryset = Programme.objects.filter(
            pk__in=Batch.objects.visible_to(user).values("programme")
        ).order_by("title")
        self.fields["programme"].empty_label = _("Semua program")
