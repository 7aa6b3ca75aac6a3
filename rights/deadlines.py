"""The answer deadline of a data-subject request: art. 12(3) AVG.

One month after receipt, extendable by two further months (three in all, counted from the
receipt). Months are counted per Regulation (EEC, Euratom) No 1182/71: the term ends on the same
day of the month, or on the last day of the month when that day does not exist. Days on which
the term was paused (waiting for proof of identity, where the board chose so) are added. A term
that ends on a Saturday, Sunday or public holiday of the Algemene termijnenwet ends on the next
working day (art. 1 Algemene termijnenwet); the administrator can add days off.
"""

import datetime

from privacyregister.dates import add_months, next_working_day


def rights_deadline(
    received_on: datetime.date,
    *,
    extended: bool = False,
    paused_days: int = 0,
    extra_holidays=frozenset(),
) -> datetime.date:
    end = add_months(received_on, 3 if extended else 1) + datetime.timedelta(days=paused_days)
    return next_working_day(end, extra_holidays)


def extension_notice_deadline(received_on: datetime.date) -> datetime.date:
    """An extension must be notified within the first month (art. 12(3), second sentence)."""
    return add_months(received_on, 1)
