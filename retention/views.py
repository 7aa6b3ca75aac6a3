"""Retention schedule, rules, calculator and destruction calendar."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from privacyregister.access import BoardRequest, board_view
from privacyregister.documents import render_document, write_sheet
from privacyregister.forms import row_counts_are_sound
from privacyregister.permissions import Capability
from privacyregister.views import rows_refused
from retention.forms import (
    EXCEPTIONS_PREFIX,
    CalculatorForm,
    CalendarForm,
    ExceptionFormSet,
    RetentionRuleForm,
)
from retention.models import RetentionRule, period_text
from retention.services import (
    calculate,
    duties,
    missing_defaults,
    month_range,
    retention_rule_adopt,
    schedule,
    school_year,
)


def _school(request: BoardRequest):
    slug = request.GET.get("school")
    return get_object_or_404(request.board.schools, slug=slug) if slug else None


@board_view(Capability.VIEW_REGISTER)
def schedule_page(request: BoardRequest) -> HttpResponse:
    school = _school(request)
    return render(
        request,
        "retention/schedule.html",
        {
            "school": school,
            "rules": schedule(request.board, school),
            "schools": request.board.schools.all(),
            "can_manage": request.access.allowed["manage_retention"],
            "missing_defaults": [
                (default, period_text(default["period_amount"], default["period_unit"]))
                for default in missing_defaults(request.board)
            ],
        },
    )


@require_POST
@board_view(Capability.MANAGE_RETENTION)
def rule_adopt(request: BoardRequest) -> HttpResponse:
    try:
        rule = retention_rule_adopt(
            board=request.board, reference_key=request.POST.get("standaard", "")
        )
    except ValueError:
        messages.error(request, _("Deze standaardregel bestaat niet of heeft u al."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De standaardregel %(name)s is overgenomen.") % {"name": rule})
    return redirect("retention_schedule", board=request.board.slug)


def _schedule_rows(rules):
    return [
        [
            rule.name,
            str(rule.subject_group or ""),
            ", ".join(str(category) for category in rule.data_categories.all()),
            rule.period_display,
            rule.get_start_event_display(),
            rule.get_action_display(),
            "; ".join(str(e) for e in rule.exceptions.all()),
            rule.legal_source,
        ]
        for rule in rules
    ]


SCHEDULE_HEADINGS = [
    gettext_lazy("Wat"),
    gettext_lazy("Van wie"),
    gettext_lazy("Gegevens"),
    gettext_lazy("Termijn"),
    gettext_lazy("Begint bij"),
    gettext_lazy("Daarna"),
    gettext_lazy("Uitzonderingen"),
    gettext_lazy("Bron"),
]


@board_view(Capability.VIEW_REGISTER)
def schedule_download(request: BoardRequest, format: str) -> HttpResponse:
    school = _school(request)
    rules = schedule(request.board, school)
    name = f"bewaartermijnen-{school.slug if school else request.board.slug}"
    if format == "xlsx":
        workbook = Workbook()
        sheet = workbook.worksheets[0]  # the one a new workbook starts with
        sheet.title = _("Bewaartermijnen")
        write_sheet(sheet, SCHEDULE_HEADINGS, _schedule_rows(rules))
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = render_document(
            "retention/schedule_pdf.html",
            {
                "board": request.board,
                "school": school,
                "rules": rules,
                "today": timezone.localdate(),
            },
        )
        content_type = "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{format}"'
    return response


def _edit(request: BoardRequest, rule) -> HttpResponse:
    request.access.require(Capability.MANAGE_RETENTION)
    data = request.POST if request.method == "POST" else None
    if data is not None and not row_counts_are_sound(data, [EXCEPTIONS_PREFIX]):
        return rows_refused(request)  # before a single row is built from the tampered counts
    form = RetentionRuleForm(data, instance=rule, board=request.board)
    exceptions = ExceptionFormSet(data, instance=rule, prefix=EXCEPTIONS_PREFIX)
    if data is not None and form.is_valid() and exceptions.is_valid():
        saved = form.save()
        exceptions.instance = saved
        exceptions.save()
        messages.success(request, _("De bewaartermijn %(name)s is opgeslagen.") % {"name": saved})
        return redirect("retention_schedule", board=request.board.slug)
    return render(
        request, "retention/rule_form.html", {"form": form, "exceptions": exceptions, "rule": rule}
    )


@require_http_methods(["GET", "POST"])
@board_view(Capability.MANAGE_RETENTION, per_object=True)
def rule_create(request: BoardRequest) -> HttpResponse:
    return _edit(request, RetentionRule(board=request.board))


@require_http_methods(["GET", "POST"])
@board_view(Capability.MANAGE_RETENTION, per_object=True)
def rule_edit(request: BoardRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(request.board.retention_rules, pk=pk))


@require_http_methods(["GET", "POST"])
@board_view(Capability.MANAGE_RETENTION, per_object=True)
def rule_delete(request: BoardRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(request.board.retention_rules, pk=pk)
    request.access.require(Capability.MANAGE_RETENTION)
    users = rule.activities.order_by("name")
    if request.method == "POST":
        if users.exists():
            messages.error(
                request, _("%(name)s is nog in gebruik en is niet verwijderd.") % {"name": rule}
            )
        else:
            rule.delete()
            messages.success(request, _("%(name)s is verwijderd.") % {"name": rule})
            return redirect("retention_schedule", board=request.board.slug)
    return render(request, "retention/rule_delete.html", {"rule": rule, "users": users})


@board_view(Capability.VIEW_REGISTER)
def calculator(request: BoardRequest) -> HttpResponse:
    form = CalculatorForm(request.GET or None)
    results = []
    if form.is_valid():
        results = calculate(schedule(request.board), form.cleaned_data["start"])
    return render(request, "retention/calculator.html", {"form": form, "results": results})


@board_view(Capability.VIEW_REGISTER)
def destruction_calendar(request: BoardRequest) -> HttpResponse:
    form = CalendarForm(request.GET or None, board=request.board)
    due = standing = period = None
    invalid = []
    if form.is_valid():
        data = form.cleaned_data
        if data["school_year"]:
            period = school_year(data["school_year"])
        else:
            today = timezone.localdate()
            period = month_range(data["month"] or f"{today:%Y-%m}")
        rules = list(schedule(request.board, data["school"]))
        due, standing = duties(rules, *period)
        invalid = [rule for rule in rules if not rule.period_is_valid]
    return render(
        request,
        "retention/calendar.html",
        {"form": form, "due": due, "standing": standing, "period": period, "invalid": invalid},
    )
