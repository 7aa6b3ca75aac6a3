"""Appendices that other apps add to the register export: the breach register (breaches/) is
part of what the FG audits, but processing cannot import it, because breaches imports
processing (an activity is linked to a breach). So the dependency is turned around: an app
registers a provider here in its AppConfig.ready, and the export asks every provider for its
appendix. A provider gets the exporter's access, so it shows only what they may see.

An appendix is data, like the register's own sheets (register_sheets.py): a sheet layout and its
rows. The spreadsheet writes it as one more sheet, the PDF as one more "Bijlage".
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from privacyregister.access import BoardAccess
from processing.register_sheets import Sheet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Appendix:
    sheet: Sheet
    about: "StrOrPromise"  # one line on the sheet "Over dit bestand"
    rows: list[dict[str, Any]]  # by column key, values as register_xlsx.Value


# Gets the exporter's access and the export's filters (ExportFilterForm.cleaned_data); None when
# the exporter may not see what it would list.
Provider = Callable[[BoardAccess, dict], Appendix | None]
PROVIDERS: list[Provider] = []


def register_provider(provider: Provider) -> None:
    if provider not in PROVIDERS:  # ready() can run twice in tests
        PROVIDERS.append(provider)


def register_appendices(access: BoardAccess, cleaned: dict) -> list[Appendix]:
    return [
        appendix for provider in PROVIDERS if (appendix := provider(access, cleaned)) is not None
    ]
