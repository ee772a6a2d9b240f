"""Writes that touch several rows: pilot village lifecycle, area membership, site selection."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villages.models import (
    AreaMembership,
    PilotStatus,
    PilotTransition,
    PilotVillage,
    SelectionCandidate,
    SelectionRound,
    SelectionScore,
)
from villages.models.programme import PILOT_TRANSITIONS
from villages.models.selection import RoundStatus

HUNDRED = Decimal("100")


# --- Pilot villages --------------------------------------------------------


@transaction.atomic
def pilot_transition(*, pilot, to_status, user, reason, at=None):
    """Move a pilot village to another status, recording who, when and why.

    A step the lifecycle does not allow is refused with a message, and nothing changes.
    """
    pilot = PilotVillage.objects.select_for_update().get(pk=pilot.pk)
    current, target = PilotStatus(pilot.status), PilotStatus(to_status)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Tuliskan alasan perubahan status.")})
    if target not in PILOT_TRANSITIONS[current]:
        allowed = ", ".join(str(s.label) for s in pilot.allowed_transitions()) or _("tidak ada")
        raise ValidationError(
            _("Status “%(current)s” tidak dapat diubah menjadi “%(target)s”. Langkah yang diizinkan: %(allowed)s.")
            % {"current": current.label, "target": target.label, "allowed": allowed}
        )
    pilot.status = target
    pilot.save(update_fields=["status"])
    return PilotTransition.objects.create(
        pilot=pilot, from_status=current, to_status=target, by=user, reason=reason.strip(), at=at or timezone.now()
    )


@transaction.atomic
def pilot_propose(*, village, responsible_blm, period_start, period_end, user, reason, programme_area=None, **extra):
    """Record a village as a candidate pilot village."""
    pilot = PilotVillage(
        village=village,
        responsible_blm=responsible_blm,
        period_start=period_start,
        period_end=period_end,
        programme_area=programme_area,
        status=PilotStatus.CANDIDATE,
        **extra,
    )
    pilot.full_clean()
    pilot.save()
    PilotTransition.objects.create(pilot=pilot, from_status="", to_status=PilotStatus.CANDIDATE, by=user, reason=reason)
    return pilot


# --- Programme areas -------------------------------------------------------


def area_add_village(*, area, village, valid_from, valid_to=None):
    """Add a village to an area for a period (overlapping periods are refused)."""
    membership = AreaMembership(area=area, village=village, valid_from=valid_from, valid_to=valid_to)
    membership.full_clean()
    membership.save()
    return membership


# --- Site selection --------------------------------------------------------


def selection_check_weights(round_):
    """The criteria weights must sum to exactly 100 %."""
    criteria = list(round_.criteria.all())
    total = sum((c.weight for c in criteria), Decimal("0"))
    if not criteria:
        raise ValidationError(_("Tambahkan kriteria penilaian terlebih dahulu."))
    if total != HUNDRED:
        raise ValidationError(
            _("Jumlah bobot kriteria harus 100%%; sekarang %(total)s%%.") % {"total": f"{total.normalize():f}"}
        )
    return criteria


@dataclass
class RankedCandidate:
    """A candidate with its weighted score overall and per stakeholder."""

    candidate: SelectionCandidate
    total: Decimal | None = None
    by_stakeholder: dict = field(default_factory=dict)  # stakeholder → weighted score (1–5 scale)
    complete: bool = False
    rank: int | None = None


def selection_ranking(round_):
    """Rank the candidates by weighted score, derived from the stored scores.

    Each stakeholder's weighted score is Σ weight × value / 100 over the criteria it
    scored (a full set of criteria gives a value on the 1–5 scale); the candidate's
    score is the mean over the stakeholders who scored it completely. Three queries
    whatever the number of candidates.
    """
    criteria = list(round_.criteria.all())
    weights = {c.pk: c.weight for c in criteria}
    candidates = list(round_.candidates.select_related("village__district"))
    scores = SelectionScore.objects.filter(candidate__round=round_).select_related("stakeholder")
    per = defaultdict(lambda: defaultdict(dict))  # candidate → stakeholder → criterion → value
    stakeholders = {}
    for score in scores:
        per[score.candidate_id][score.stakeholder_id][score.criterion_id] = score.value
        stakeholders[score.stakeholder_id] = score.stakeholder
    ranked = []
    for candidate in candidates:
        entry = RankedCandidate(candidate=candidate)
        complete_totals = []
        for stakeholder_id, values in per[candidate.pk].items():
            weighted = sum((weights[c] * v for c, v in values.items() if c in weights), Decimal("0")) / HUNDRED
            entry.by_stakeholder[stakeholders[stakeholder_id]] = weighted.quantize(Decimal("0.001"))
            if len(values) == len(criteria):
                complete_totals.append(weighted)
        if complete_totals:
            entry.total = (sum(complete_totals) / len(complete_totals)).quantize(Decimal("0.001"))
            entry.complete = len(complete_totals) == len(per[candidate.pk])
        ranked.append(entry)
    ranked.sort(key=lambda e: (e.total is None, -(e.total or 0), e.candidate.village.name))
    for position, entry in enumerate(ranked, start=1):
        entry.rank = position if entry.total is not None else None
    return ranked, sorted(stakeholders.values(), key=lambda s: s.name)


@transaction.atomic
def selection_score(*, candidate, criterion, stakeholder, value, user):
    """Record (or correct) a stakeholder's score of a candidate on a criterion."""
    if not candidate.round.is_open:
        raise ValidationError(_("Putaran ini sudah diputuskan; nilai tidak dapat diubah lagi."))
    if criterion.round_id != candidate.round_id:
        raise ValidationError(_("Kriteria bukan milik putaran ini."))
    score = SelectionScore.objects.filter(candidate=candidate, criterion=criterion, stakeholder=stakeholder).first()
    score = score or SelectionScore(candidate=candidate, criterion=criterion, stakeholder=stakeholder)
    score.value, score.scorer = value, user
    score.full_clean()
    score.save()
    return score


@transaction.atomic
def selection_decide(*, round_, chosen, rationale, user, at=None):
    """Close a round: mark the chosen candidates and designate them as pilot villages in one step.

    Each chosen village gets a pilot designation whose history shows it was assessed
    in this round and then designated by this decision. `at` is when the decision was
    taken (now unless it is recorded afterwards).
    """
    round_ = SelectionRound.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_open:
        raise ValidationError(_("Putaran ini sudah diputuskan."))
    selection_check_weights(round_)
    chosen = list(chosen)
    if not chosen:
        raise ValidationError({"chosen": _("Pilih minimal satu desa.")})
    if not (rationale or "").strip():
        raise ValidationError({"rationale": _("Tuliskan alasan keputusan.")})
    ranked, _stakeholders = selection_ranking(round_)
    unscored = [e.candidate.village.name for e in ranked if e.candidate in chosen and e.total is None]
    if unscored:
        raise ValidationError(
            _("Desa berikut belum dinilai lengkap: %(names)s.") % {"names": ", ".join(sorted(unscored))}
        )
    now = at or timezone.now()
    round_.candidates.update(chosen=False)
    round_.candidates.filter(pk__in=[c.pk for c in chosen]).update(chosen=True)
    pilots = []
    for candidate in chosen:
        pilot = PilotVillage.objects.filter(village=candidate.village, period_start=round_.period_start).first()
        if pilot is None:
            pilot = PilotVillage.objects.create(
                village=candidate.village,
                responsible_blm=round_.responsible_blm,
                programme_area=round_.programme_area,
                period_start=round_.period_start,
                period_end=round_.period_end,
                selection_round=round_,
                status=PilotStatus.CANDIDATE,
            )
            PilotTransition.objects.create(
                pilot=pilot,
                from_status="",
                to_status=PilotStatus.CANDIDATE,
                by=user,
                at=now,
                reason=_("Diusulkan dalam %(round)s.") % {"round": round_.title},
            )
        else:
            pilot.selection_round = round_
            pilot.save(update_fields=["selection_round"])
        if pilot.status == PilotStatus.CANDIDATE:
            pilot_transition(
                pilot=pilot,
                to_status=PilotStatus.ASSESSED,
                user=user,
                at=now,
                reason=_("Dinilai para pihak dalam %(round)s.") % {"round": round_.title},
            )
        pilot_transition(pilot=pilot, to_status=PilotStatus.DESIGNATED, user=user, at=now, reason=rationale)
        pilots.append(pilot)
    round_.status = RoundStatus.DECIDED
    round_.decision_rationale = rationale.strip()
    round_.decided_at, round_.decided_by = now, user
    round_.save()
    return pilots
