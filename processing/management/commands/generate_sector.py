"""Generate a synthetic school sector for benchmarks: boards, schools, registers, history,
privacy officers and FGs, and published statements.

Bulk inserts (with their history records), so the default sector of 1,300 boards is a matter of
minutes. Meant for a throwaway PostgreSQL database, never for production data.
"""

import multiprocessing
import os
import random
import sys
import time
from datetime import date

from django.core.management.base import BaseCommand
from django.db import connections, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from privacyregister.models import Board, Membership, School, User
from privacyregister.reference import read_fixture
from privacyregister.roles import Role
from processing import models as register
from processing.findings import findings_refresh
from processing.statements import statement_publish
from processing.vocabularies import VOCABULARIES
from retention.models import RetentionException, RetentionRule

SECTORS = ["PO", "PO", "PO", "SO", "VO"]
LEGAL_BASES = ["c", "e", "e", "b", "a", "f"]
# (name, product, country, in the EEA): the processors a typical board works with.
PROCESSORS = [
    ("Leerlingvolgsysteem B.V.", "Leerlingadministratie en leerlingvolgsysteem", "Nederland", True),
    ("Microsoft Ireland Operations Ltd.", "Microsoft 365", "Ierland", True),
    ("Salarisverwerking B.V.", "Salaris- en personeelsadministratie", "Nederland", True),
    ("Toetsbureau B.V.", "Digitale toetsen", "Nederland", True),
    ("Schoolfotograaf B.V.", "Schoolfoto's", "Nederland", True),
    ("Zoom Video Communications, Inc.", "Videobellen", "Verenigde Staten", False),
]


class Command(BaseCommand):
    help = "Maakt een synthetische sector (besturen, scholen, verwerkingen) voor benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--boards", type=int, default=1300)
        parser.add_argument("--schools-per-board", type=int, default=5)
        parser.add_argument("--activities-per-board", type=int, default=150)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--prefix", default="sector", help="Voor de korte namen van besturen.")
        parser.add_argument(
            "--jobs", type=int, default=os.cpu_count(), help="Zoveel besturen tegelijk."
        )

    def handle(self, *args, **options):
        boards, jobs = options["boards"], max(1, options["jobs"])
        started = time.perf_counter()
        for done in _made(jobs, _tasks(options)):
            if options["verbosity"] and (done % 10 == 0 or done == boards):
                elapsed = time.perf_counter() - started
                bar = "#" * (30 * done // boards)
                sys.stdout.write(f"\r[{bar:<30}] {done}/{boards} besturen, {elapsed:.0f} s")
                sys.stdout.flush()
        elapsed = time.perf_counter() - started
        if options["verbosity"]:
            sys.stdout.write("\n")
        self.stdout.write(
            f"Klaar: {boards} besturen, {boards * options['schools_per_board']} scholen, "
            f"{boards * options['activities_per_board']} verwerkingen in {elapsed:.1f} s."
        )


def _made(jobs: int, tasks):
    """Make the boards, in this process or in `jobs` processes; yields the count so far."""
    if jobs == 1:
        for done, task in enumerate(tasks, 1):
            _make_board(task)
            yield done
        return
    connections.close_all()  # each worker process opens its own connection
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from (done for done, _ in enumerate(pool.imap_unordered(_make_board, tasks), 1))


def _tasks(options):
    keys = ["prefix", "seed", "schools_per_board", "activities_per_board"]
    return ({"number": n, **{k: options[k] for k in keys}} for n in range(1, options["boards"] + 1))


def _make_board(task) -> None:
    """One board with its register and statements; its own random numbers, so the sector is the
    same however many processes make it."""
    rng = random.Random(f"{task['seed']}-{task['number']}")
    with transaction.atomic():
        board = _board(rng, task["prefix"], task["number"], task["schools_per_board"])
        _register(rng, board, task["activities_per_board"])
        # Bulk inserts send no signals: the stored lint findings are worked out here.
        findings_refresh(board.activities.values_list("pk", flat=True))
        _publish(board)


def _board(rng, prefix, number, schools_per_board) -> Board:
    slug = f"{prefix}-{number}"
    board = Board.objects.create(
        name=f"Stichting {prefix.capitalize()} {number}",
        slug=slug,
        privacy_email=f"privacy@{slug}.example",
        fg_name=f"FG {number}",
        fg_email=f"fg@{slug}.example",
    )
    School.objects.bulk_create(
        School(
            board=board,
            name=f"School {number}-{index}",
            slug=f"school-{index}",
            brin=f"{rng.randint(10, 99)}{chr(65 + index % 26)}{chr(65 + number % 26)}",
            sector=rng.choice(SECTORS),
        )
        for index in range(schools_per_board)
    )
    for role, who in [(Role.PRIVACY_OFFICER, "privacy"), (Role.FG, "fg")]:
        user = User.objects.create_user(f"{who}@{slug}.example")  # no password: no login
        Membership.objects.create(user=user, board=board, role=role)  # syncs permissions
    return board


def _register(rng, board, activities_per_board):
    vocabularies = read_fixture("reference/vocabularies.json")
    rules = read_fixture("reference/retention_rules.json")
    terms = {}
    for vocabulary in VOCABULARIES:
        key, model = vocabulary.fixture_key, vocabulary.model
        objs = [model(board=board, **item) for item in vocabularies[key]]
        if model is register.Recipient:
            objs += [
                register.Recipient(
                    board=board,
                    name=name,
                    kind=register.Recipient.Kind.PROCESSOR,
                    product=product,
                    country=country,
                    in_eea=in_eea,
                    dpa_status=register.Recipient.DpaStatus.SIGNED,
                    dpa_signed_on=date(2024, 8, 1),
                )
                for name, product, country, in_eea in PROCESSORS
            ]
        terms[key] = bulk_create_with_history(objs, model)
    groups = {g.name: g for g in terms["subject_groups"]}
    retention = bulk_create_with_history(
        [
            RetentionRule(
                board=board,
                **{k: v for k, v in rule.items() if k not in ("exceptions", "subject_group")},
                subject_group=groups.get(rule.get("subject_group")),
            )
            for rule in rules
        ],
        RetentionRule,
    )
    bulk_create_with_history(
        [
            RetentionException(rule=rule, **exception)
            for rule, fixture in zip(retention, rules, strict=True)
            for exception in fixture.get("exceptions", [])
        ],
        RetentionException,
    )
    now = timezone.now()
    fg = board.memberships.get(role=Role.FG).user
    bulk_create_with_history(
        [
            register.ProcessingActivity(
                board=board,
                number=index + 1,
                name=f"Verwerking {index}",
                description="Een verwerking voor de benchmark, in gewone taal beschreven.",
                status="vastgesteld" if index % 10 else "concept",
                approved_at=now if index % 10 else None,
                next_review_on=now.date().replace(year=now.year + 1),
                consent_how_withdrawn="Bij de directeur of via het ouderportaal.",
            )
            for index in range(activities_per_board)
        ],
        register.ProcessingActivity,
    )
    activities = list(board.activities.order_by("pk"))  # with their primary keys
    _rows(rng, activities, terms, retention, fg)


def _rows(rng, activities, terms, retention, fg):
    """Rows of every kind, about as many as the demo registers have per activity."""
    parts = {model: [] for model in register.ACTIVITY_PARTS}
    categories = [c for c in terms["data_categories"] if c.kind == "gewoon"]
    public = [r for r in terms["recipients"] if r.kind == register.Recipient.Kind.PUBLIC_BODY]
    processors = [r for r in terms["recipients"] if r.kind == register.Recipient.Kind.PROCESSOR]
    links = {name: [] for name in ["subject_groups", "processors", "security_measures"]}
    comments = []
    for a in activities:
        group = rng.choice(terms["subject_groups"])
        links["subject_groups"].append((a, group))
        links["security_measures"] += [(a, m) for m in rng.sample(terms["security_measures"], 3)]
        for i in range(2):
            parts[register.Purpose].append(
                register.Purpose(
                    activity=a,
                    description=f"Doel {i} van {a.name}",
                    legal_basis=rng.choice(LEGAL_BASES),
                    legal_basis_detail="Wet op het primair onderwijs",
                )
            )
        parts[register.ActivityDataCategory] += [
            register.ActivityDataCategory(activity=a, category=c, subject_group=group)
            for c in rng.sample(categories, 3)
        ]
        parts[register.ActivitySource] += [
            register.ActivitySource(activity=a, source=s, subject_group=group)
            for s in rng.sample(terms["data_sources"], 2)
        ]
        parts[register.ActivityRecipient].append(
            register.ActivityRecipient(
                activity=a,
                recipient=rng.choice(public),
                ground="c",
                ground_detail="Wettelijke plicht van de school.",
            )
        )
        parts[register.StaffAccess] += [
            register.StaffAccess(activity=a, staff_role=role, access="lezen")
            for role in rng.sample(terms["staff_roles"], 3)
        ]
        for processor in rng.sample(processors, 2):
            links["processors"].append((a, processor))
            if not processor.in_eea:
                parts[register.Transfer].append(
                    register.Transfer(
                        activity=a,
                        recipient=processor,
                        country=processor.country,
                        safeguard=register.Transfer.Safeguard.DPF,
                    )
                )
        if a.pk % 30 == 0:  # the website
            parts[register.Cookie] += [
                register.Cookie(
                    activity=a,
                    name=name,
                    kind=kind,
                    purpose="De website laten werken en het bezoek meten.",
                    lifetime="1 jaar",
                )
                for name, kind in [("sessionid", "functioneel"), ("_pk_id", "analytisch")]
            ]
        if a.pk % 8 == 0:
            comments.append(
                register.Comment(activity=a, author=fg, text="Graag de bewaartermijn nalopen.")
            )
    for model, rows in parts.items():
        bulk_create_with_history(rows, model)
    register.Comment.objects.bulk_create(comments)
    Through = register.ProcessingActivity
    for name, pairs in links.items():
        field = Through._meta.get_field(name)
        through, target = field.remote_field.through, field.m2m_reverse_field_name()
        through.objects.bulk_create(
            through(processingactivity=a, **{target: term}) for a, term in pairs
        )
    RetentionRule.activities.through.objects.bulk_create(
        RetentionRule.activities.through(retentionrule=rng.choice(retention), processingactivity=a)
        for a in activities
    )


def _publish(board):
    """The board's statement and that of its first school, as the privacy officer would."""
    officer = board.memberships.get(role=Role.PRIVACY_OFFICER).user
    for school in [None, board.schools.order_by("pk").first()]:
        statement_publish(
            actor=officer, board=board, school=school, change_summary="Eerste versie."
        )
