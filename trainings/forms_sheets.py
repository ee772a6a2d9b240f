"""Forms of the attendance and scores sheets (one cell each) and of a participant's reaction (1–5)."""

import re
from decimal import Decimal

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from percontohan.forms import Form, ModelForm
from trainings.models import AttendanceMark, Reaction

NOT_RECORDED = "—"


class AttendanceCellForm(Form):
    """One cell of the attendance sheet: a mark, or nothing to clear it."""

    mark = forms.ChoiceField(
        label=_("kehadiran"),
        choices=[("", NOT_RECORDED), *AttendanceMark.choices],
        required=False,
        error_messages={"invalid_choice": _("Pilih salah satu: Hadir, Terlambat, Izin atau Tidak hadir.")},
    )


# A score as people type it: up to three digits, then optionally a comma or a point and one or two decimals.
SCORE_PATTERN = re.compile(r"\d{1,3}(?:[.,]\d+)?")


class ScoreCellForm(Form):
    """One cell of the scores sheet: a score from 0 to 100 (75, 82,5 or 82.5), or nothing to clear it."""

    value = forms.CharField(label=_("nilai"), required=False, max_length=20)

    def clean_value(self):
        text = self.cleaned_data["value"].replace(" ", "")
        if not text:
            return None
        if text.startswith("-") and SCORE_PATTERN.fullmatch(text[1:]):
            raise forms.ValidationError(_("Nilai paling rendah 0."), code="min_value")
        if not SCORE_PATTERN.fullmatch(text):
            raise forms.ValidationError(
                _("Tulis nilai berupa angka 0–100, misalnya 75 atau 82,5."),
                code="invalid",
            )
        whole, _separator, decimals = text.replace(",", ".").partition(".")
        if len(decimals) > 2:
            raise forms.ValidationError(_("Paling banyak dua angka di belakang koma."), code="max_decimal_places")
        value = Decimal(f"{whole}.{decimals or 0}")
        if value > 100:
            raise forms.ValidationError(_("Nilai paling tinggi 100."), code="max_value")
        return value


LIKERT_CHOICES = [
    (1, _("1 — sangat kurang")),
    (2, _("2 — kurang")),
    (3, _("3 — cukup")),
    (4, _("4 — baik")),
    (5, _("5 — sangat baik")),
]


def likert_field(label):
    return forms.TypedChoiceField(
        label=label,
        choices=LIKERT_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih nilai 1 sampai 5."),
            "invalid_choice": _("Pilih nilai 1 sampai 5."),
        },
    )


class ReactionForm(ModelForm):
    """Kirkpatrick level 1: what the participant thought of the training, each on 1 (very poor) to 5 (very good)."""

    content = likert_field(_("Materi pelatihan"))
    trainer = likert_field(_("Pelatih"))
    venue = likert_field(_("Tempat dan fasilitas"))
    usefulness = likert_field(_("Manfaat bagi pekerjaan atau usaha di desa"))

    class Meta:
        model = Reaction
        fields = ["content", "trainer", "venue", "usefulness", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}
        labels = {"comment": _("Komentar atau saran")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            InlineRadios("content"),
            InlineRadios("trainer"),
            InlineRadios("venue"),
            InlineRadios("usefulness"),
            "comment",
        )
