"""{% notification_state breach access as notify %}: what breaches/includes/notify.html shows,
decided here rather than in the template (the outcome, what may be done, the forms)."""

import datetime
from dataclasses import dataclass

from django import template
from django.utils import timezone

from breaches.access import breach_reach, follows_up
from breaches.models import Breach
from breaches.notification_forms import ApNotificationForm, SubjectsInformedForm
from breaches.notifications import ProcessorNote, processor_note
from privacyregister.access import BoardAccess
from privacyregister.dates import dutch_moment
from privacyregister.permissions import Capability

register = template.Library()


@dataclass
class NotificationState:
    outcome: str
    deadline: str
    can_handle: bool
    can_read_draft: bool
    show_letter: bool
    processor_note: ProcessorNote | None
    ap_form: ApNotificationForm | None
    subjects_form: SubjectsInformedForm | None


def _now_minute() -> datetime.datetime:
    # The picker shows minutes: a value with seconds would not fit its step.
    return timezone.localtime().replace(second=0, microsecond=0)


@register.simple_tag(takes_context=True)
def notification_state(context, breach: Breach, access: BoardAccess) -> NotificationState:
    """A refused recording comes back with its bound form in the context (ap_bound,
    subjects_bound), so that what was typed and the errors stay."""
    reach = breach_reach(breach)
    can_handle = access.can(Capability.HANDLE_BREACHES, **reach)
    # The forms for who handles an open breach whose decision asks for the notification.
    open_handler = can_handle and breach.is_open
    ap_form = context.get("ap_bound") or (
        ApNotificationForm(
            breach=breach,
            initial={
                "notified_at": breach.ap_notified_at or _now_minute(),
                "reference": breach.ap_reference,
                "late_reason": breach.ap_late_reason,
            },
            prefix="ap",
        )
        if open_handler and breach.must_notify_ap
        else None
    )
    subjects_form = context.get("subjects_bound") or (
        # No moment filled in: who records an exception of art. 34(3) leaves it empty.
        SubjectsInformedForm(
            initial={"informed_at": breach.subjects_informed_at}, prefix="betrokkenen"
        )
        if open_handler and breach.must_inform_subjects
        else None
    )
    return NotificationState(
        outcome=str(breach.decision_outcome),
        deadline=dutch_moment(breach.deadline),
        can_handle=can_handle,
        can_read_draft=follows_up(access, breach),
        show_letter=can_handle and bool(breach.must_inform_subjects),
        processor_note=processor_note(breach),
        ap_form=ap_form,
        subjects_form=subjects_form,
    )
