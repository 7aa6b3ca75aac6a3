"""Use cases of the breach register. Each step is validated, written to the breach's timeline and
to the board's security log, in one transaction."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from breaches.limits import (
    FLOOD_ACTION,
    REFUSED_ACTION,
    WINDOW,
    board_load,
    check_public_report,
)
from breaches.models import Breach, BreachEvent, BreachMeasure
from breaches.reminders import schedule_reminders
from breaches.report_mails import notify_ceiling, notify_flood
from privacyregister import audit
from privacyregister.dates import dutch_moment
from privacyregister.models import Board, School, SecurityEvent, User
from privacyregister.throttling import client_ip
from processing.models import ProcessingActivity, Recipient


def _next_number(board: Board) -> int:
    """The board's next breach number; call it with the board's row locked."""
    last = Breach.objects.filter(board=board).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def _event_text(description: str) -> str:
    """A description quotes texts of up to 500 characters (a measure, a motivation) in a column
    of 300, which PostgreSQL refuses; the full text is on the breach itself."""
    limit = BreachEvent._meta.get_field("description").max_length or 300
    return description if len(description) <= limit else description[: limit - 1] + "…"


def _log(breach: Breach, actor: User | None, kind: str, description: str, request=None) -> None:
    BreachEvent.objects.create(
        breach=breach, actor=actor, kind=kind, description=_event_text(description)
    )
    audit.record(
        f"breaches.{kind}",
        actor=actor,
        board=breach.board,
        request=request,
        breach=breach.reference,
    )


def _save(breach: Breach, actor: User | None) -> None:
    breach.full_clean()
    breach._history_user = actor  # type: ignore[attr-defined]  # simple-history's actor
    breach.save()


@transaction.atomic
def breach_report(*, breach: Breach, actor: User | None = None, request=None) -> Breach:
    """Register a new report. The clock starts when the board became aware: for a report from
    the website when it came in; a staff member's knowledge is the board's, so for their report
    when they discovered it; for a processor's report the moment the privacy officer enters.

    The board's row is locked first, so that two reports at once get different numbers and a
    public report is counted against the board's hourly limits after the ones before it
    (PostgreSQL; SQLite writes one at a time anyway). Past a limit ReportRefused is raised and
    nothing is stored; past the board's limit the report is marked as a possible flood without a
    mail of its own, and the first of a flood mails the privacy officers once and gets the
    reminders that stand for the whole flood (reminders.remind). The lock is FOR NO KEY UPDATE:
    it must not hold up the rows that only refer to the board, such as the security log's."""
    Board.objects.select_for_update(no_key=True).only("pk").get(pk=breach.board.pk)
    breach.reported_at = timezone.now()
    load = None
    if breach.source == Breach.Source.PUBLIC:
        if request is not None:  # from the website; the demo and the tests enter them directly
            load = check_public_report(breach.board, client_ip(request), breach.reported_at)
        else:
            load = board_load(breach.board, breach.reported_at)
        breach.flood_suspected = load.flood
    breach.number = _next_number(breach.board)
    if breach.source == Breach.Source.STAFF:
        breach.aware_at = breach.discovered_at
    elif not breach.aware_at:
        breach.aware_at = breach.reported_at
    breach.reported_by = actor
    _save(breach, actor)
    _log(
        breach,
        actor,
        BreachEvent.Kind.REPORTED,
        _("Gemeld (%(source)s); melden bij de AP uiterlijk %(deadline)s.")
        % {"source": breach.get_source_display(), "deadline": dutch_moment(breach.deadline)},
        request,
    )
    first_of_flood = bool(load and load.first_of_flood)
    if first_of_flood:
        audit.record(FLOOD_ACTION, board=breach.board, request=request, breach=breach.reference)
        notify_flood(breach)
    if not breach.flood_suspected or first_of_flood:
        schedule_reminders(breach)
    return breach


def public_report_refused(*, board: Board, request) -> None:
    """Note a public report refused at the board's ceiling in the security log, with the
    client's address (it counts against that client's limit). The first of an hour tells the
    privacy officers: from now on real reports are refused too, and only they can make the
    board reachable (by phone, by its privacy address) until the hour is over."""
    since = timezone.now() - WINDOW
    first = not SecurityEvent.objects.filter(
        board=board, action=REFUSED_ACTION, at__gte=since
    ).exists()
    audit.record(REFUSED_ACTION, board=board, request=request)
    if first:
        notify_ceiling(board)


def _take_on(breach: Breach, actor: User, status: str = Breach.Status.IN_PROGRESS) -> bool:
    """The first step on a report makes it the actor's; a report of a possible flood then gets
    the reminders any other report got when it came in (the cron command also sends them from
    now on: reminders.remind). True when it queued them."""
    scheduled = breach.awaiting_triage
    if scheduled:
        schedule_reminders(breach)
    breach.status = status
    breach.handler = breach.handler or actor
    return scheduled


@transaction.atomic
def breach_start(*, actor: User, breach: Breach) -> Breach:
    if breach.status != Breach.Status.REPORTED:
        raise ValueError(_("Dit datalek is al in behandeling."))
    _take_on(breach, actor)
    _save(breach, actor)
    _log(
        breach,
        actor,
        BreachEvent.Kind.STARTED,
        _("In behandeling genomen door %(who)s.") % {"who": breach.handler},
    )
    return breach


def _require_open(breach: Breach) -> None:
    if not breach.is_open:
        raise ValueError(_("Dit datalek is afgesloten. Heropen het om iets te wijzigen."))


@transaction.atomic
def breach_link(
    *,
    actor: User,
    breach: Breach,
    activities: Iterable[ProcessingActivity],
    processors: Iterable[Recipient],
    schools: Iterable[School],
) -> Breach:
    """Link the activities, systems and schools concerned; only the board's own."""
    _require_open(breach)
    activities, processors, schools = list(activities), list(processors), list(schools)
    boards = {item.board_id for item in activities} | {item.board_id for item in processors}
    if (boards | {school.board_id for school in schools}) - {breach.board_id}:
        raise ValueError(
            _("U kunt alleen verwerkingen, verwerkers en scholen van dit bestuur kiezen.")
        )
    # simple-history writes a version for each many-to-many change: name who made it.
    breach._history_user = actor  # type: ignore[attr-defined]
    breach.activities.set(activities)
    breach.processors.set(processors)
    breach.schools.set(schools)
    if breach.status == Breach.Status.REPORTED:
        _take_on(breach, actor)
    _save(breach, actor)
    _log(
        breach,
        actor,
        BreachEvent.Kind.ASSESSED,
        _("Gekoppeld: %(activities)d verwerkingen, %(processors)d verwerkers, %(schools)d scholen.")
        % {
            "activities": len(activities),
            "processors": len(processors),
            "schools": len(schools),
        },
    )
    return breach


@transaction.atomic
def breach_assess(*, actor: User, breach: Breach) -> Breach:
    """Save the art. 33(5) facts as the form set them on the breach."""
    _require_open(breach)
    scheduled = breach.status == Breach.Status.REPORTED and _take_on(breach, actor)
    was_aware_at = Breach.objects.filter(pk=breach.pk).values_list("aware_at", flat=True).get()
    if breach.aware_at and breach.aware_at.replace(second=0, microsecond=0) == (
        was_aware_at.replace(second=0, microsecond=0)
    ):
        # The form shows minutes: the same minute is the stored moment, seconds and all, and
        # no change of the clock.
        breach.aware_at = was_aware_at
    _save(breach, actor)
    _log(breach, actor, BreachEvent.Kind.ASSESSED, _("Feiten van het lek bijgewerkt."))
    if breach.aware_at != was_aware_at:
        # The 72 hours run from this moment: moving it moves the deadline, so it gets a step of
        # its own on the timeline and in the security log, and reminders at the new moments.
        # Those queued for the old ones find nothing due then (reminders.due_reminder), and
        # each reminder is sent once.
        if not scheduled:  # taking the report on just queued them, for this moment
            schedule_reminders(breach)
        _log(
            breach,
            actor,
            BreachEvent.Kind.ASSESSED,
            _(
                "Bekend bij het bestuur gewijzigd van %(old)s naar %(new)s; melden bij de AP "
                "uiterlijk %(deadline)s."
            )
            % {
                "old": dutch_moment(was_aware_at),
                "new": dutch_moment(breach.aware_at),
                "deadline": dutch_moment(breach.deadline),
            },
        )
    return breach


def _set_decision(
    breach: Breach,
    actor: User,
    now: datetime.datetime,
    *,
    personal_data_involved: bool,
    risk_unlikely: bool | None,
    high_risk: bool | None,
    motivation: str,
) -> None:
    breach.personal_data_involved = personal_data_involved
    # A later question only counts when the earlier answer leads to it.
    breach.risk_unlikely = risk_unlikely if personal_data_involved else None
    breach.high_risk = high_risk if personal_data_involved and risk_unlikely is False else None
    breach.decision_motivation = motivation
    breach.decided_at, breach.decided_by = now, actor


@transaction.atomic
def breach_decide(
    *,
    actor: User,
    breach: Breach,
    personal_data_involved: bool,
    risk_unlikely: bool | None,
    high_risk: bool | None,
    motivation: str,
) -> Breach:
    """Record the answers of the decision aid and the motivation: the decision to notify the AP
    and to inform the people concerned, or not to."""
    _require_open(breach)
    if not motivation.strip():
        raise ValueError(_("Motiveer het besluit om wel of niet te melden."))
    if personal_data_involved and risk_unlikely is None:
        raise ValueError(_("Beantwoord of een risico voor de betrokkenen onwaarschijnlijk is."))
    if personal_data_involved and risk_unlikely is False and high_risk is None:
        raise ValueError(_("Beantwoord of het risico voor de betrokkenen hoog is."))
    _set_decision(
        breach,
        actor,
        timezone.now(),
        personal_data_involved=personal_data_involved,
        risk_unlikely=risk_unlikely,
        high_risk=high_risk,
        motivation=motivation,
    )
    _take_on(breach, actor, Breach.Status.ASSESSED)
    _save(breach, actor)
    _log(
        breach,
        actor,
        BreachEvent.Kind.DECIDED,
        _("Besluit: %(outcome)s") % {"outcome": breach.decision_outcome},
    )
    return breach


@transaction.atomic
def breach_advise(*, actor: User, breach: Breach, advice: str) -> Breach:
    """The FG's advice, kept beside the decision it is about."""
    _require_open(breach)
    if not advice.strip():
        raise ValueError(_("Schrijf uw advies."))
    breach.fg_advice, breach.fg_advised_at = advice, timezone.now()
    _save(breach, actor)
    _log(breach, actor, BreachEvent.Kind.ADVICE, _("Advies van de FG gegeven."))
    return breach


@transaction.atomic
def breach_record_ap_notification(
    *,
    actor: User,
    breach: Breach,
    notified_at: datetime.datetime,
    reference: str,
    late_reason: str = "",
) -> Breach:
    _require_open(breach)
    if notified_at > timezone.now():
        raise ValueError(_("Dit tijdstip ligt in de toekomst."))
    # The form gives whole minutes: a notification in the minute the board learnt of the breach
    # is not before it.
    if notified_at < breach.aware_at.replace(second=0, microsecond=0):
        raise ValueError(_("De melding bij de AP kan niet liggen vóór het lek bekend was."))
    breach.ap_notified_at, breach.ap_reference, breach.ap_late_reason = (
        notified_at,
        reference,
        late_reason,
    )
    _save(breach, actor)
    _log(
        breach,
        actor,
        BreachEvent.Kind.AP_NOTIFIED,
        _("Gemeld bij de AP op %(when)s, meldnummer %(reference)s.")
        % {"when": dutch_moment(notified_at), "reference": reference},
    )
    return breach


@transaction.atomic
def breach_record_subjects_informed(
    *,
    actor: User,
    breach: Breach,
    informed_at: datetime.datetime | None,
    not_informed_reason: str = "",
) -> Breach:
    """The people concerned were informed (art. 34(1)), or an exception of art. 34(3) applies."""
    _require_open(breach)
    if informed_at is None and not not_informed_reason.strip():
        raise ValueError(
            _("Vul in wanneer de betrokkenen zijn geïnformeerd, of waarom dat niet hoeft.")
        )
    if informed_at and informed_at > timezone.now():
        raise ValueError(_("Dit tijdstip ligt in de toekomst."))
    breach.subjects_informed_at, breach.subjects_not_informed_reason = (
        informed_at,
        not_informed_reason,
    )
    _save(breach, actor)
    description = (
        _("Betrokkenen geïnformeerd op %(when)s.") % {"when": dutch_moment(informed_at)}
        if informed_at
        else _("Betrokkenen niet geïnformeerd, met reden.")
    )
    _log(breach, actor, BreachEvent.Kind.SUBJECTS_INFORMED, description)
    return breach


def close_refusals(breach: Breach) -> list[str]:
    """What still stands in the way of closing the breach, in the user's words."""
    refusals = []
    if not breach.is_decided:
        refusals.append(_("Leg eerst het besluit vast: wel of niet melden, met motivering."))
    if breach.must_notify_ap and not breach.ap_notified_at:
        refusals.append(_("Leg eerst vast wanneer het lek bij de AP is gemeld."))
    if (
        breach.must_inform_subjects
        and not breach.subjects_informed_at
        and not breach.subjects_not_informed_reason.strip()
    ):
        refusals.append(_("Leg eerst vast wanneer de betrokkenen zijn geïnformeerd."))
    if breach.measures.filter(done_on=None).exists():
        refusals.append(_("Er staan nog maatregelen open."))
    return refusals


@transaction.atomic
def breach_close(*, actor: User, breach: Breach) -> Breach:
    _require_open(breach)
    refusals = close_refusals(breach)
    if refusals:
        raise ValueError(" ".join(refusals))
    breach.status, breach.closed_at = Breach.Status.CLOSED, timezone.now()
    _save(breach, actor)
    _log(breach, actor, BreachEvent.Kind.CLOSED, _("Afgesloten."))
    return breach


@transaction.atomic
def breach_reopen(*, actor: User, breach: Breach) -> Breach:
    if breach.is_open:
        raise ValueError(_("Dit datalek is niet afgesloten."))
    if breach.anonymised_at:
        raise ValueError(_("Een geanonimiseerd datalek kan niet meer worden heropend."))
    breach.status, breach.closed_at = Breach.Status.ASSESSED, None
    _save(breach, actor)
    _log(breach, actor, BreachEvent.Kind.REOPENED, _("Heropend."))
    return breach


@transaction.atomic
def breach_measure_add(
    *,
    actor: User,
    breach: Breach,
    description: str,
    owner: User | None,
    due_on: datetime.date | None,
) -> BreachMeasure:
    """A measure to end the breach or prevent the next one; its owner must be of the board."""
    _require_open(breach)
    if owner is not None and not breach.board.memberships.filter(user=owner).exists():
        raise ValueError(_("De eigenaar moet een gebruiker van dit bestuur zijn."))
    measure = BreachMeasure(breach=breach, description=description, owner=owner, due_on=due_on)
    measure.full_clean()
    measure._history_user = actor  # type: ignore[attr-defined]  # simple-history's actor
    measure.save()
    _log(
        breach,
        actor,
        BreachEvent.Kind.MEASURE,
        _("Maatregel toegevoegd: %(measure)s.") % {"measure": description},
    )
    return measure


@transaction.atomic
def breach_measure_done(*, actor: User, measure: BreachMeasure, done_on: datetime.date) -> None:
    breach = measure.breach
    _require_open(breach)
    if measure.done_on:
        raise ValueError(_("Deze maatregel is al gedaan."))
    if done_on > timezone.localdate():
        raise ValueError(_("Deze datum ligt in de toekomst."))
    measure.done_on = done_on
    measure._history_user = actor  # type: ignore[attr-defined]  # simple-history's actor
    measure.save()
    _log(
        breach,
        actor,
        BreachEvent.Kind.MEASURE,
        _("Maatregel gedaan: %(measure)s.") % {"measure": measure.description},
    )


# The security log's name for dismissing a flood: one entry for the whole action.
FLOOD_DISMISSED_ACTION = "breaches.flood_dismissed"


@transaction.atomic
def breaches_dismiss_flood(
    *, actor: User, board: Board, breaches: Iterable[Breach], motivation: str, request=None
) -> list[Breach]:
    """Close reports of a possible flood in one step as "no personal data breach", with one
    motivation: the decision breach_decide records for that answer, then closed as breach_close
    closes. Only the board's reports nobody took on yet are closed, and only those closing would
    not refuse (an open measure); the others stay as they are. Each gets one step on its
    timeline; the security log gets one entry for the whole action. Returns the closed ones."""
    if not motivation.strip():
        raise ValueError(_("Motiveer waarom dit geen datalekken zijn."))
    # Read again under a lock: a report someone took on since the list was shown is theirs now.
    candidates = (
        board.breaches.awaiting_triage()
        .filter(pk__in=[breach.pk for breach in breaches])
        .select_for_update()
        .order_by("number")
    )
    now = timezone.now()
    closed = []
    for breach in candidates:
        _set_decision(
            breach,
            actor,
            now,
            personal_data_involved=False,
            risk_unlikely=None,
            high_risk=None,
            motivation=motivation,
        )
        if close_refusals(breach):
            continue
        # Not _take_on: it would queue the reminders of a report that is closed right away.
        breach.handler = breach.handler or actor
        breach.status, breach.closed_at = Breach.Status.CLOSED, now
        _save(breach, actor)
        closed.append(breach)
    # Who closed it is the step's actor, as on every step of the timeline; the motivation is
    # kept whole on each breach.
    description = _event_text(
        _(
            "Afgesloten als geen datalek, als deel van een mogelijke massamelding. Motivering: "
            "%(motivation)s"
        )
        % {"motivation": motivation}
    )
    BreachEvent.objects.bulk_create(
        BreachEvent(
            breach=breach,
            at=now,
            actor=actor,
            kind=BreachEvent.Kind.CLOSED,
            description=description,
        )
        for breach in closed
    )
    if closed:
        audit.record(
            FLOOD_DISMISSED_ACTION,
            actor=actor,
            board=board,
            request=request,
            count=len(closed),
            breaches=[breach.reference for breach in closed],
        )
    return closed
