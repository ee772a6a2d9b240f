"""The attendance sheet and the scores sheet of a batch, saved one cell at a time (htmx), and the reaction
form of a participant.

A sheet is read by everyone who sees the batch; its cells are inputs only for those who may change
the batch, while the batch takes marks and scores (trainings.sheets.sheet_closed_reason). Each cell
posts to its own URL, loaded through the write rule (`get_editable_or_404` on the enrolment), with the
version it was read at; the answer is the cell again — saved, or refused with the current value and
why — and, out of band, what the cell changes elsewhere on the sheet (the row's attendance or result,
the column's counts, the means at the bottom, a status line read out by screen readers).
"""

import datetime
from collections import Counter
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import UpdateView

from percontohan.scoping import can_edit, get_editable_or_404, get_visible_or_404
from percontohan.views_base import EditableObjectMixin, VersionedFormMixin, posted_version, saved_or_refused
from trainings import sheets
from trainings.forms_sheets import NOT_RECORDED, AttendanceCellForm, ReactionForm, ScoreCellForm
from trainings.models import HOLDING_PLACE, Attendance, AttendanceMark, Batch, BatchStatus, Enrolment, Reaction
from trainings.services import attendance_percentages, outcome

# --- Loading ------------------------------------------------------------------------------------------------


def sheet_batch(request, pk):
    return get_visible_or_404(Batch.objects.select_related("programme", "blm"), request.user, pk=pk)


def participants(batch, *related):
    """The rows of a sheet: the participants holding a place (not withdrawn, not waiting), by name."""
    return list(
        batch.enrolments.filter(status__in=HOLDING_PLACE)
        .select_related("person", *related)
        .order_by("person__full_name", "pk")
    )


def editable_enrolment(request, pk):
    """The enrolment of a cell, loaded through the write rule (403 for readers, 404 outside the user's regions)."""
    return get_editable_or_404(Enrolment.objects.select_related("batch__programme", "person"), request.user, pk=pk)


def batch_crumbs(batch):
    return [(_("Angkatan pelatihan"), reverse("trainings:batch_list")), (str(batch), batch.get_absolute_url())]


# --- The attendance sheet ----------------------------------------------------------------------------------


class AttendanceCell:
    """What one cell of the attendance sheet shows."""

    __slots__ = ("attendance", "enrolment", "error", "session")

    def __init__(self, enrolment, session, attendance, error=None):
        self.enrolment, self.session, self.attendance, self.error = enrolment, session, attendance, error

    @property
    def mark(self):
        return self.attendance.mark if self.attendance else ""

    @property
    def version(self):
        return self.attendance.version if self.attendance else 0


class RecordedMark(NamedTuple):
    """A stored mark as the sheet reads it: 480 rows as tuples rather than Attendance and User instances."""

    enrolment_id: int
    session_id: int
    mark: str
    version: int
    recorded_at: datetime.datetime
    recorded_by_id: int | None
    recorded_by: object


def recorded_marks(batch):
    """The marks of the participants holding a place, with who recorded them (two queries)."""
    rows = Attendance.objects.filter(enrolment__batch=batch, enrolment__status__in=HOLDING_PLACE).values_list(
        "enrolment_id", "session_id", "mark", "version", "recorded_at", "recorded_by_id"
    )
    rows = list(rows)
    users = get_user_model().objects.in_bulk({row[5] for row in rows if row[5] is not None})
    return [RecordedMark(*row, users.get(row[5])) for row in rows]


# Stand-ins for the ids in a cell's URL, reversed once per sheet rather than once per cell.
_ENROLMENT, _SESSION = 987654321, 987654322


class AttendanceCellHtml:
    """Writes the cells of the attendance sheet (the sheet and the answer to a cell's save).

    In Python rather than as a template partial: 40 × 12 cells through a partial took most of the
    sheet's time (a select of five options, a translated "recorded by" title and a URL each), while
    the options, the URL and the titles are the same strings over and over, made here once a sheet.
    """

    def __init__(self, editable):
        self.editable = editable
        self.url = reverse("trainings:attendance_cell", args=[_ENROLMENT, _SESSION])
        choices = [("", NOT_RECORDED), *AttendanceMark.choices]
        self.options = {
            chosen: format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((value, " selected" if value == chosen else "", label) for value, label in choices),
            )
            for chosen, _label in choices
        }
        self.labels = {value: escape(label) for value, label in AttendanceMark.choices}
        self.unrecorded = format_html('<span class="text-body-secondary" title="{}">—</span>', _("Belum dicatat"))
        self.titles = {}

    def title(self, attendance):
        """Who recorded the mark and when (the cell's tooltip), escaped, made once per recorder and minute."""
        if attendance is None:
            return ""
        moment = timezone.localtime(attendance.recorded_at).replace(second=0, microsecond=0)
        key = (attendance.recorded_by_id, moment)
        if key not in self.titles:
            at = date_format(moment, "SHORT_DATETIME_FORMAT")
            if attendance.recorded_by is None:
                title = _("Dicatat %(at)s") % {"at": at}
            else:
                title = _("Dicatat oleh %(who)s, %(at)s") % {"who": attendance.recorded_by, "at": at}
            self.titles[key] = escape(title)
        return self.titles[key]

    def __call__(self, cell):
        # Plain strings: every part is a number, a choice made here, or escaped (the title, the error).
        enrolment_id, session_id = cell.enrolment.pk, cell.session.pk
        key = f"{enrolment_id}-{session_id}"
        title = self.title(cell.attendance)
        title_attr = f' title="{title}"' if title else ""
        error = invalid = ""
        if cell.error:
            error = f'<div class="small text-danger sheet-error" id="err-{key}">{escape(cell.error)}</div>'
            invalid = f' aria-invalid="true" aria-describedby="err-{key}"'
        if self.editable:
            url = self.url.replace(str(_ENROLMENT), str(enrolment_id)).replace(str(_SESSION), str(session_id))
            body = (
                f'<select class="form-select form-select-sm sheet-input{" is-invalid" if cell.error else ""}" '
                f'id="mark-{key}" name="mark" '
                f'aria-labelledby="p-{enrolment_id} s-{session_id}"{title_attr}{invalid} hx-post="{url}" '
                f'hx-trigger="change" hx-target="closest td" hx-swap="outerHTML settle:0ms" '
                f"hx-vals='{{\"version\": {int(cell.version)}}}'>{self.options[cell.mark]}</select>"
            )
        elif cell.attendance:
            body = f"<span{title_attr}>{self.labels[cell.mark]}</span>"
        else:
            body = self.unrecorded
        css = "sheet-cell" + (f" mark-{cell.mark}" if cell.mark else "") + (" sheet-cell-error" if cell.error else "")
        return SafeString(f'<td class="{css}" id="att-{key}">{body}{error}</td>')


class SessionColumn:
    """A column of the attendance sheet: the session and how many were marked each way."""

    def __init__(self, number, session, counts, participant_count):
        self.number, self.session = number, session
        self.present = counts.get(AttendanceMark.PRESENT, 0)
        self.late = counts.get(AttendanceMark.LATE, 0)
        self.excused = counts.get(AttendanceMark.EXCUSED, 0)
        self.absent = counts.get(AttendanceMark.ABSENT, 0)
        self.attended = self.present + self.late
        self.unrecorded = max(participant_count - self.attended - self.excused - self.absent, 0)


class AttendanceRow:
    def __init__(self, enrolment, percentage, minimum, cells=()):
        self.enrolment, self.percentage, self.cells = enrolment, percentage, cells
        self.met = percentage is not None and percentage >= minimum


def attendance_sheet_context(request, batch):
    sessions = list(batch.sessions.order_by("date", "starts_at", "pk"))
    enrolments = participants(batch)
    marks, counts = {}, {session.pk: Counter() for session in sessions}
    for mark in recorded_marks(batch):
        marks[mark.enrolment_id, mark.session_id] = mark
        counts[mark.session_id][mark.mark] += 1
    percentages, total = attendance_percentages(batch)
    minimum = batch.programme.min_attendance_pct
    closed_reason = sheets.sheet_closed_reason(batch)
    editable = closed_reason is None and can_edit(request.user, batch)
    cell_html = AttendanceCellHtml(editable)
    rows = [
        AttendanceRow(
            enrolment,
            percentages.get(enrolment.pk),
            minimum,
            [
                cell_html(AttendanceCell(enrolment, session, marks.get((enrolment.pk, session.pk))))
                for session in sessions
            ],
        )
        for enrolment in enrolments
    ]
    return {
        "batch": batch,
        "rows": rows,
        "columns": [
            SessionColumn(number, session, counts[session.pk], len(enrolments))
            for number, session in enumerate(sessions, start=1)
        ],
        "total_jp": total,
        "minimum": minimum,
        "closed_reason": closed_reason,
        "editable": editable,
        "title": _("Kehadiran"),
        "breadcrumbs": batch_crumbs(batch),
    }


@require_GET
def attendance_sheet(request, pk):
    """/pelatihan/angkatan/<pk>/kehadiran/: participants × sessions, each cell a mark saved on its own."""
    batch = sheet_batch(request, pk)
    return render(request, "trainings/attendance_sheet.html", attendance_sheet_context(request, batch))


@require_POST
def attendance_cell(request, pk, session):
    """/pelatihan/peserta-angkatan/<pk>/kehadiran/<session>/: save one mark (htmx); answers with the cell."""
    enrolment = editable_enrolment(request, pk)
    session = get_object_or_404(enrolment.batch.sessions, pk=session)
    form = AttendanceCellForm(request.POST)
    saved = False
    if form.is_valid():
        mark = form.cleaned_data["mark"]
        saved = (
            saved_or_refused(
                form,
                request.user,
                lambda: (
                    sheets.attendance_save(
                        enrolment=enrolment,
                        session=session,
                        mark=mark,
                        version=posted_version(request.POST),
                        user=request.user,
                    )
                    or enrolment
                ),
            )
            is not None
        )
    current = Attendance.objects.select_related("recorded_by").filter(enrolment=enrolment, session=session).first()
    error = None if saved else " ".join(str(e) for errors in form.errors.values() for e in errors)
    percentages, _total = attendance_percentages(enrolment.batch)
    counts = sheets.attendance_counts([session])[session.pk]
    participant_count = enrolment.batch.enrolments.filter(status__in=HOLDING_PLACE).count()
    cell = AttendanceCell(enrolment, session, current, error)
    # A batch closed meanwhile: the cell comes back read-only, with why.
    editable = sheets.sheet_closed_reason(enrolment.batch) is None
    context = {
        "cell": AttendanceCellHtml(editable)(cell),
        "row": AttendanceRow(enrolment, percentages.get(enrolment.pk), enrolment.batch.programme.min_attendance_pct),
        "column": SessionColumn(None, session, counts, participant_count),
        "minimum": enrolment.batch.programme.min_attendance_pct,
        "oob": True,
        "status": _cell_status(enrolment, session, cell.attendance, saved, error),
    }
    return render(request, "trainings/_attendance_cell.html", context)


def _cell_status(enrolment, session, attendance, saved, error):
    """The line read out after a cell is saved or refused."""
    where = _("%(name)s, %(session)s") % {"name": enrolment.person.full_name, "session": session}
    if not saved:
        return _("Tidak tersimpan (%(where)s): %(error)s") % {"where": where, "error": error}
    shown = attendance.get_mark_display() if attendance else _("dikosongkan")
    return _("Tersimpan (%(where)s): %(mark)s.") % {"where": where, "mark": shown}


# --- The scores sheet --------------------------------------------------------------------------------------

SCORE_LABELS = {
    "pre_test": gettext_lazy("Pre-test"),
    "post_test": gettext_lazy("Post-test"),
    "practical": gettext_lazy("Praktik"),
}


class ScoreCell:
    """What one cell of the scores sheet shows: the score stored, or what was typed when it was refused."""

    __slots__ = ("enrolment", "error", "field", "slug", "typed")

    def __init__(self, enrolment, slug, error=None, typed=None):
        self.enrolment, self.slug, self.field, self.error, self.typed = (
            enrolment,
            slug,
            sheets.SCORE_FIELDS[slug],
            error,
            typed,
        )

    @property
    def value(self):
        return getattr(self.enrolment, self.field)

    @property
    def shown(self):
        """The score as people write it: 82,5 rather than 82.50 (in Indonesian)."""
        return _format_score(self.value) if self.value is not None else ""


class ScoreCellHtml:
    """Writes the cells of the scores sheet (the sheet and the answer to a score's save), in Python for the
    same reason as AttendanceCellHtml: three inputs a participant, each with its URL and labels."""

    def __init__(self, editable):
        self.editable = editable
        self.urls = {slug: reverse("trainings:scores_cell", args=[_ENROLMENT, slug]) for slug in sheets.SCORE_FIELDS}

    def __call__(self, cell):
        # Plain strings: every part is a number, a name made here, or escaped (the score typed, the error).
        enrolment_id = cell.enrolment.pk
        key = f"{enrolment_id}-{cell.slug}"
        error = invalid = ""
        if cell.error:
            error = f'<div class="invalid-feedback d-block sheet-error" id="err-{key}">{escape(cell.error)}</div>'
            invalid = f' aria-invalid="true" aria-describedby="err-{key}"'
        if self.editable:
            url = self.urls[cell.slug].replace(str(_ENROLMENT), str(enrolment_id))
            value = escape(cell.typed if cell.typed is not None else cell.shown)
            body = (
                '<input type="text" inputmode="decimal" autocomplete="off" maxlength="20" '
                f'class="form-control form-control-sm sheet-input{" is-invalid" if cell.error else ""}" '
                f'id="score-{key}" name="value" value="{value}" aria-labelledby="p-{enrolment_id} col-{cell.slug}"'
                f'{invalid} hx-post="{url}" hx-trigger="change" hx-target="closest td" hx-swap="outerHTML settle:0ms" '
                f'hx-include="#score-version-{enrolment_id}" hx-sync="closest tr:queue all">'
            )
        elif cell.value is not None:
            body = escape(cell.shown)
        else:
            body = '<span class="text-body-secondary">—</span>'
        css = "sheet-score" + (" sheet-cell-error" if cell.error else "")
        return SafeString(f'<td class="{css}" id="sc-{key}">{body}{error}</td>')


class ScoreRow:
    def __init__(self, batch, enrolment, percentage, slugs=(), cell_html=None):
        self.enrolment = enrolment
        self.percentage = percentage
        self.outcome = outcome(enrolment, batch.programme, percentage)
        self.decided = batch.status == BatchStatus.CLOSED
        self.cells = [cell_html(ScoreCell(enrolment, slug)) for slug in slugs]

    @property
    def reaction(self):
        return getattr(self.enrolment, "reaction", None)


def score_slugs(batch, enrolments):
    """The score columns: pre- and post-test, and the practical one when the programme assesses it
    (or someone has a practical score anyway)."""
    slugs = ["pre-test", "post-test"]
    if batch.programme.requires_practical or any(e.practical is not None for e in enrolments):
        slugs.append("praktik")
    return slugs


def _percentage(percentages, total, enrolment):
    return percentages.get(enrolment.pk) if total else None


@require_GET
def scores_sheet(request, pk):
    """/pelatihan/angkatan/<pk>/nilai/: pre-test, post-test and practical per participant, their result by the
    programme's rule, and the batch's mean scores and normalised gain."""
    batch = sheet_batch(request, pk)
    enrolments = participants(batch, "reaction")
    percentages, total = attendance_percentages(batch)
    slugs = score_slugs(batch, enrolments)
    closed_reason = sheets.sheet_closed_reason(batch)
    editable_batch = can_edit(request.user, batch)
    editable = closed_reason is None and editable_batch
    cell_html = ScoreCellHtml(editable)
    context = {
        "batch": batch,
        "programme": batch.programme,
        "rows": [ScoreRow(batch, e, _percentage(percentages, total, e), slugs, cell_html) for e in enrolments],
        "columns": [(slug, SCORE_LABELS[sheets.SCORE_FIELDS[slug]]) for slug in slugs],
        "summary": sheets.score_summary(enrolments),
        "closed_reason": closed_reason,
        "editable": editable,
        "reactions_open": editable_batch and sheets.reaction_closed_reason(batch) is None,
        "title": _("Nilai"),
        "breadcrumbs": batch_crumbs(batch),
    }
    return render(request, "trainings/scores_sheet.html", context)


@require_POST
def scores_cell(request, pk, field):
    """/pelatihan/peserta-angkatan/<pk>/nilai/<field>/: save one score (htmx); answers with the cell."""
    if field not in sheets.SCORE_FIELDS:
        raise Http404
    enrolment = editable_enrolment(request, pk)
    batch = enrolment.batch
    form = ScoreCellForm(request.POST)
    saved = False
    if form.is_valid():
        value = form.cleaned_data["value"]
        saved = (
            saved_or_refused(
                form,
                request.user,
                lambda: sheets.score_save(
                    enrolment=enrolment,
                    field=sheets.SCORE_FIELDS[field],
                    value=value,
                    version=posted_version(request.POST),
                ),
            )
            is not None
        )
    error = None if saved else " ".join(str(e) for errors in form.errors.values() for e in errors)
    # The row as stored now: saved, or unchanged (a refused value stays in the input, to be corrected).
    enrolment = Enrolment.objects.select_related("person").get(pk=enrolment.pk)
    invalid_input = not saved and "value" in form.errors
    # What was typed stays in the input to be corrected (without a NUL, which no page can hold).
    typed = form.data.get("value", "").replace("\x00", "") if invalid_input else None
    enrolments = participants(batch)
    percentages, total = attendance_percentages(batch)
    row = ScoreRow(batch, enrolment, _percentage(percentages, total, enrolment))
    cell = ScoreCell(enrolment, field, error, typed)
    label = SCORE_LABELS[cell.field]
    where = _("%(name)s, %(column)s") % {"name": enrolment.person.full_name, "column": label}
    if saved:
        status = _("Tersimpan (%(where)s): %(value)s.") % {
            "where": where,
            "value": cell.shown or _("dikosongkan"),
        }
    else:
        status = _("Tidak tersimpan (%(where)s): %(error)s") % {"where": where, "error": error}
    # A batch closed meanwhile: the cell comes back read-only, with why.
    editable = sheets.sheet_closed_reason(batch) is None
    context = {
        "cell": ScoreCellHtml(editable)(cell),
        "row": row,
        "batch": batch,
        "programme": batch.programme,
        "summary": sheets.score_summary(enrolments),
        "columns": [(slug, SCORE_LABELS[sheets.SCORE_FIELDS[slug]]) for slug in score_slugs(batch, enrolments)],
        "editable": editable,
        "oob": True,
        "status": status,
    }
    return render(request, "trainings/_score_cell.html", context)


def _format_score(value):
    return localize(value.normalize())


# --- The reaction form ------------------------------------------------------------------------------------


class ReactionView(EditableObjectMixin, VersionedFormMixin, UpdateView):
    """/pelatihan/peserta-angkatan/<pk>/tanggapan/: a participant's reaction (content, trainer, venue and
    usefulness on 1–5, a comment), recorded or changed, while the batch runs or once it is closed."""

    editable_model = Enrolment
    editable_name = "enrolment"
    form_class = ReactionForm
    template_name = "trainings/reaction_form.html"
    success_message = gettext_lazy("Tanggapan peserta disimpan.")

    def get_editable_queryset(self):
        return Enrolment.objects.select_related("batch__programme", "person", "reaction")

    def closed_response(self, enrolment):
        reason = sheets.reaction_closed_reason(enrolment.batch)
        if reason is None and enrolment.status not in HOLDING_PLACE:
            reason = _("%(name)s tidak memegang tempat di angkatan ini (%(status)s).") % {
                "name": enrolment.person.full_name,
                "status": enrolment.get_status_display(),
            }
        if reason is None:
            return None
        messages.warning(self.request, reason)
        return redirect("trainings:scores_sheet", enrolment.batch_id)

    def get_object(self, queryset=None):
        return getattr(self.enrolment, "reaction", None) or Reaction(enrolment=self.enrolment)

    def save(self, form):
        return sheets.reaction_save(
            enrolment=self.enrolment,
            reaction=form.instance if form.instance.pk else None,
            **form.cleaned_data,
        )

    def get_success_url(self):
        return reverse("trainings:scores_sheet", args=[self.enrolment.batch_id])

    def get_context_data(self, **kwargs):
        batch = self.enrolment.batch
        crumbs = [*batch_crumbs(batch), (_("Nilai"), reverse("trainings:scores_sheet", args=[batch.pk]))]
        return super().get_context_data(
            enrolment=self.enrolment,
            batch=batch,
            title=_("Tanggapan peserta"),
            breadcrumbs=crumbs,
            **kwargs,
        )


urlpatterns = [
    path("angkatan/<int:pk>/kehadiran/", attendance_sheet, name="attendance_sheet"),
    path("peserta-angkatan/<int:pk>/kehadiran/<int:session>/", attendance_cell, name="attendance_cell"),
    path("angkatan/<int:pk>/nilai/", scores_sheet, name="scores_sheet"),
    path("peserta-angkatan/<int:pk>/nilai/<slug:field>/", scores_cell, name="scores_cell"),
    path("peserta-angkatan/<int:pk>/tanggapan/", ReactionView.as_view(), name="reaction"),
]
