"""Writes that touch several rows of an agreement: saving it with its parties, signatories and
coverage, and its lifecycle (sign, follow the dates, terminate, renew, amend).

Every function is keyword-only and atomic: a refusal raises a ValidationError
with a message in the user's language and leaves the database as it was.
"""

from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import (
    AGREEMENT_TRANSITIONS,
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Signatory,
    SignatoryRole,
)
from regions.models import Regency, Village

# Statuses whose dates decide between signed, active and expired.
DATED_STATUSES = (AgreementStatus.SIGNED, AgreementStatus.ACTIVE)


def _refuse_transition(agreement, target, message):
    """Refuse a step the lifecycle does not allow; `message` names the current status as %(status)s."""
    if AgreementStatus(target) in AGREEMENT_TRANSITIONS[AgreementStatus(agreement.status)]:
        return
    raise ValidationError(message % {"status": agreement.get_status_display()})


def _locked(agreement):
    """The agreement re-read under a row lock, so two concurrent steps cannot both pass the check.

    The lifecycle functions act on (and return) this fresh row, not on the caller's copy.
    """
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _status_by_date(agreement, today=None):
    """The status the dates give a signed or active agreement, when the lifecycle allows the step."""
    target = agreement.status_by_date(today)
    if target is None or target == agreement.status:
        return agreement.status
    allowed = AGREEMENT_TRANSITIONS[AgreementStatus(agreement.status)]
    return target if target in allowed else agreement.status


def _sync_parties(agreement, parties):
    """Make the agreement's parties exactly `parties` ([{organisation, position}]), keeping the rows
    of organisations that stay (their commitments point to them)."""
    organisations = Counter(p["organisation"].pk for p in parties)
    positions = Counter(p["position"] for p in parties)
    errors = []
    if any(count > 1 for count in organisations.values()):
        errors.append(_("Satu instansi hanya dapat menjadi satu pihak dalam perjanjian."))
    if any(count > 1 for count in positions.values()):
        errors.append(_("Setiap kedudukan pihak (pihak pertama, kedua, …) hanya dapat diisi satu instansi."))
    if any(not p["position"] or p["position"] < 1 for p in parties):
        errors.append(_("Kedudukan pihak dimulai dari 1 (pihak pertama)."))
    if errors:
        raise ValidationError({"parties": errors})
    existing = {party.organisation_id: party for party in agreement.parties.select_related("organisation")}
    wanted = {p["organisation"].pk: p["position"] for p in parties}
    removed = [party for org, party in existing.items() if org not in wanted]
    owing = [party for party in removed if party.commitments.exists()]
    if owing:
        raise ValidationError(
            {
                "parties": _(
                    "%(names)s masih memiliki komitmen dalam perjanjian ini; "
                    "hapus atau alihkan komitmennya sebelum menghapus pihak tersebut."
                )
                % {"names": ", ".join(str(p.organisation) for p in owing)}
            }
        )
    for party in removed:
        party.delete()
    moved = [party for org, party in existing.items() if org in wanted and party.position != wanted[org]]
    # Out of the way first, so two parties can swap places without meeting the unique constraint.
    AgreementParty.objects.filter(pk__in=[p.pk for p in moved]).update(position=F("position") + 10000)
    for party in moved:
        party.position = wanted[party.organisation_id]
        party.save(update_fields=["position"])
    for entry in parties:
        if entry["organisation"].pk not in existing:
            party = AgreementParty(agreement=agreement, organisation=entry["organisation"], position=entry["position"])
            party.full_clean()
            party.save()


SIGNATORY_FIELDS = ("role", "name", "position", "organisation")


def _sync_signatories(agreement, signatories):
    """Make the signatories and witnesses exactly `signatories` ([{pk?, role, name, position,
    organisation}]), in the order given; rows named by pk are updated, others added, the rest removed."""
    existing = {s.pk: s for s in agreement.signatories.all()}
    kept = set()
    for order, entry in enumerate(signatories):
        signatory = existing.get(entry.get("pk")) or Signatory(agreement=agreement)
        for name in SIGNATORY_FIELDS:
            setattr(signatory, name, entry.get(name) or ("" if name != "organisation" else None))
        signatory.role = signatory.role or SignatoryRole.SIGNATORY
        signatory.order = order
        signatory.full_clean()
        signatory.save()
        kept.add(signatory.pk)
    agreement.signatories.exclude(pk__in=kept).delete()


def _coverage_regencies(regencies, villages, areas):
    """The regencies named, plus those of the covered villages and programme areas."""
    codes = {r.pk for r in regencies}
    codes |= {v.district.regency_id for v in villages}
    codes |= {a.regency_id for a in areas}
    return Regency.objects.filter(code__in=codes)


def agreement_save(*, agreement, parties, signatories, regencies=(), villages=(), areas=(), user=None):
    """Create or update an agreement with its parties, signatories and witnesses, and coverage.

    `parties` is a list of {"organisation", "position"}; `signatories` a list of
    {"pk" (of a row kept), "role", "name", "position", "organisation"}. The
    regencies of covered villages and areas are covered too. A user whose scope
    is not national must leave the agreement covering a region (else they could
    no longer see it). A signed or active agreement whose dates changed follows
    them at once. When it is refused, the `agreement` object is left as it was
    given (no pk for a new one, the version it was read at), so the form can be
    shown again and resubmitted.
    """
    state = (agreement.pk, agreement.version, agreement.status, agreement._state.adding)
    try:
        return _agreement_save(
            agreement=agreement,
            parties=parties,
            signatories=signatories,
            regencies=list(regencies),
            villages=list(villages),
            areas=list(areas),
            user=user,
        )
    except Exception:
        agreement.pk, agreement.version, agreement.status, agreement._state.adding = state
        raise


@transaction.atomic
def _agreement_save(*, agreement, parties, signatories, regencies, villages, areas, user):
    villages = list(Village.objects.filter(pk__in=[v.pk for v in villages]).select_related("district"))
    if not parties:
        raise ValidationError({"parties": _("Tambahkan minimal satu pihak.")})
    if user is not None and user.scope_regency_codes is not None and not (regencies or villages or areas):
        raise ValidationError(
            {"regencies": _("Pilih minimal satu kabupaten/kota, desa atau kawasan yang dicakup perjanjian ini.")}
        )
    if agreement.pk and agreement.status in DATED_STATUSES:
        agreement.status = _status_by_date(agreement)
    agreement.full_clean()
    agreement.save()
    _sync_parties(agreement, parties)
    _sync_signatories(agreement, signatories)
    agreement.regencies.set(_coverage_regencies(regencies, villages, areas))
    agreement.villages.set(villages)
    agreement.areas.set(areas)
    return agreement


@transaction.atomic
def agreement_sign(*, agreement, signed_on=None, signed_place=None, user=None, today=None):
    """Draft → signed: needs the signing date (not in the future), two parties and a signatory.

    Once signed the dates decide at once whether it is already in force (or over).
    """
    fresh = _locked(agreement)
    _refuse_transition(
        fresh,
        AgreementStatus.SIGNED,
        _("Perjanjian berstatus “%(status)s” tidak dapat ditandatangani; hanya draf yang dapat ditandatangani."),
    )
    today = today or timezone.localdate()
    fresh.signed_on = signed_on or fresh.signed_on
    if signed_place is not None:
        fresh.signed_place = signed_place.strip()
    errors = {}
    if fresh.signed_on is None:
        errors["signed_on"] = _("Isi tanggal penandatanganan.")
    elif fresh.signed_on > today:
        errors["signed_on"] = _("Tanggal penandatanganan tidak boleh di masa depan.")
    if fresh.parties.count() < 2:
        errors[NON_FIELD_ERRORS] = [_("Perjanjian memerlukan minimal dua pihak sebelum ditandatangani.")]
    if not fresh.signatories.filter(role=SignatoryRole.SIGNATORY).exists():
        errors.setdefault(NON_FIELD_ERRORS, []).append(_("Catat minimal satu penandatangan sebelum menandatangani."))
    if errors:
        raise ValidationError(errors)
    fresh.status = AgreementStatus.SIGNED
    fresh.status = _status_by_date(fresh, today)
    fresh.full_clean()
    fresh.save()
    return fresh


def agreements_refresh_statuses(today=None):
    """Move signed and active agreements to what their dates say (active, expired); returns how many moved.

    Run daily. Each group moves in one UPDATE that also bumps the version, so an
    edit form opened before the move is refused rather than putting the old
    status back.
    """
    today = today or timezone.localdate()
    moves = {}
    candidates = Agreement.objects.filter(status__in=DATED_STATUSES).only(
        "pk", "status", "effective_from", "effective_to"
    )
    for agreement in candidates:
        target = _status_by_date(agreement, today)
        if target != agreement.status:
            moves.setdefault((agreement.status, target), []).append(agreement.pk)
    moved = 0
    with transaction.atomic():
        for (current, target), pks in moves.items():
            moved += Agreement.objects.filter(pk__in=pks, status=current).update(
                status=target, version=F("version") + 1
            )
    return moved


@transaction.atomic
def agreement_terminate(*, agreement, terminated_on, reason, user=None):
    """Signed or active → terminated, with the date and the reason (both required)."""
    fresh = _locked(agreement)
    _refuse_transition(
        fresh,
        AgreementStatus.TERMINATED,
        _(
            "Perjanjian berstatus “%(status)s” tidak dapat diakhiri; "
            "hanya perjanjian yang sudah ditandatangani atau sedang berlaku yang dapat diakhiri."
        ),
    )
    errors = {}
    if not terminated_on:
        errors["terminated_on"] = _("Isi tanggal pengakhiran.")
    elif fresh.signed_on and terminated_on < fresh.signed_on:
        errors["terminated_on"] = _("Tanggal pengakhiran tidak boleh sebelum tanggal penandatanganan.")
    if not (reason or "").strip():
        errors["termination_reason"] = _("Tuliskan alasan pengakhiran.")
    if errors:
        raise ValidationError(errors)
    fresh.status = AgreementStatus.TERMINATED
    fresh.terminated_on = terminated_on
    fresh.termination_reason = reason.strip()
    fresh.full_clean()
    fresh.save()
    return fresh


def _copy_parties_and_coverage(source, target):
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=target, organisation_id=p.organisation_id, position=p.position)
        for p in source.parties.all()
    )
    target.regencies.set(source.regencies.all())
    target.villages.set(source.villages.all())
    target.areas.set(source.areas.all())


RENEWABLE = (AgreementStatus.SIGNED, AgreementStatus.ACTIVE, AgreementStatus.EXPIRED)


@transaction.atomic
def agreement_renew(*, agreement, number, title=None, user=None):
    """A renewal: a new draft agreement linked to this one (renewal_of), with its kind, issuer,
    title, subject, MoU it implements, parties and coverage; signatories and dates are the new one's."""
    fresh = _locked(agreement)
    if fresh.status not in RENEWABLE:
        raise ValidationError(
            _(
                "Perjanjian berstatus “%(status)s” tidak dapat diperpanjang; "
                "hanya perjanjian yang sudah ditandatangani, berlaku atau berakhir yang dapat diperpanjang."
            )
            % {"status": fresh.get_status_display()}
        )
    renewal = Agreement(
        kind=fresh.kind,
        number=(number or "").strip(),
        issuer_id=fresh.issuer_id,
        title=(title or fresh.title).strip(),
        subject=fresh.subject,
        amends_id=fresh.amends_id,
        implements_id=fresh.implements_id,
        renewal_of=fresh,
        status=AgreementStatus.DRAFT,
    )
    renewal.full_clean()
    renewal.save()
    _copy_parties_and_coverage(fresh, renewal)
    return renewal


AMENDABLE = (AgreementStatus.SIGNED, AgreementStatus.ACTIVE)


@transaction.atomic
def agreement_add_addendum(*, agreement, number, title, subject="", user=None):
    """A new draft addendum amending this agreement, with its issuer, parties and coverage."""
    fresh = _locked(agreement)
    if fresh.status not in AMENDABLE:
        raise ValidationError(
            _(
                "Perjanjian berstatus “%(status)s” tidak dapat diubah dengan adendum; "
                "hanya perjanjian yang sudah ditandatangani atau sedang berlaku yang dapat diadendum."
            )
            % {"status": fresh.get_status_display()}
        )
    addendum = Agreement(
        kind=AgreementKind.ADDENDUM,
        number=(number or "").strip(),
        issuer_id=fresh.issuer_id,
        title=(title or "").strip(),
        subject=(subject or "").strip(),
        amends=fresh,
        status=AgreementStatus.DRAFT,
    )
    addendum.full_clean()
    addendum.save()
    _copy_parties_and_coverage(fresh, addendum)
    return addendum


def agreement_actions(agreement):
    """The lifecycle steps open to the agreement now (the pages offer only these)."""
    status = agreement.status
    steps = {
        "sign": AgreementStatus.SIGNED in AGREEMENT_TRANSITIONS[AgreementStatus(status)],
        "terminate": AgreementStatus.TERMINATED in AGREEMENT_TRANSITIONS[AgreementStatus(status)],
        "renew": status in RENEWABLE,
        "addendum": status in AMENDABLE,
    }
    return {name for name, open_ in steps.items() if open_}
