"""Generate a synthetic school sector for benchmarks: boards, schools, registers, history.

Bulk inserts (with their history records), so the default sector of 1,300 boards is a matter of
minutes. Meant for a throwaway PostgreSQL database, never for production data.
"""

import random
import sys
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from privacyregister.models import Board, School
from privacyregister.reference import read_fixture
from processing import models as register
from processing.services import VOCABULARIES
from retention.models import RetentionRule

SECTORS = ["PO", "PO", "PO", "SO", "VO"]
LEGAL_BASES = ["c", "e", "e", "b", "a", "f"]


class Command(BaseCommand):
    help = "Maakt een synthetische sector (besturen, scholen, verwerkingen) voor benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--boards", type=int, default=1300)
        parser.add_argument("--schools-per-board", type=int, default=5)
        parser.add_argument("--activities-per-board", type=int, default=150)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--prefix", default="sector", help="Voor de korte namen van besturen.")

    def handle(
        self, *args, boards, schools_per_board, activities_per_board, seed, prefix, **options
    ):
        rng = random.Random(seed)
        vocabularies = read_fixture("reference/vocabularies.json")
        rules = read_fixture("reference/retention_rules.json")
        started = time.perf_counter()
        for number in range(1, boards + 1):
            with transaction.atomic():
                self._board(
                    rng,
                    f"{prefix}-{number}",
                    number,
                    schools_per_board,
                    activities_per_board,
                    vocabularies,
                    rules,
                )
            if number % 10 == 0 or number == boards:
                elapsed = time.perf_counter() - started
                sys.stdout.write(f"\r{number}/{boards} besturen, {elapsed:.0f} s")
                sys.stdout.flush()
        sys.stdout.write("\n")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Klaar: {boards} besturen, {boards * schools_per_board} scholen, "
            f"{boards * activities_per_board} verwerkingen in {elapsed:.1f} s."
        )

    def _board(
        self, rng, slug, number, schools_per_board, activities_per_board, vocabularies, rules
    ):
        board = Board.objects.create(
            name=f"Stichting Sector {number}",
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
        terms = {}
        for key, model in VOCABULARIES.items():
            objs = [model(board=board, **item) for item in vocabularies[key]]
            if model is register.Recipient:
                for obj in objs:
                    obj.dpa_status = "getekend" if obj.kind == "verwerker" else ""
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
        now = timezone.now()
        bulk_create_with_history(
            [
                register.ProcessingActivity(
                    board=board,
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
        bulk_create_with_history(
            [
                register.Purpose(
                    activity=a,
                    description=f"Doel {i} van {a.name}",
                    legal_basis=rng.choice(LEGAL_BASES),
                    legal_basis_detail="Wet op het primair onderwijs",
                )
                for a in activities
                for i in range(2)
            ],
            register.Purpose,
        )
        categories = [c for c in terms["data_categories"] if c.kind == "gewoon"]
        bulk_create_with_history(
            [
                register.ActivityDataCategory(
                    activity=a, category=category, subject_group=terms["subject_groups"][0]
                )
                for a in activities
                for category in rng.sample(categories, 3)
            ],
            register.ActivityDataCategory,
        )
        processors = [r for r in terms["recipients"] if r.kind == "verwerker"] or terms[
            "recipients"
        ]
        Through = register.ProcessingActivity
        Through.subject_groups.through.objects.bulk_create(
            Through.subject_groups.through(
                processingactivity=a, datasubjectgroup=terms["subject_groups"][0]
            )
            for a in activities
        )
        Through.security_measures.through.objects.bulk_create(
            Through.security_measures.through(processingactivity=a, securitymeasure=m)
            for a in activities
            for m in terms["security_measures"][:2]
        )
        Through.processors.through.objects.bulk_create(
            Through.processors.through(processingactivity=a, recipient=rng.choice(processors))
            for a in activities
        )
        RetentionRule.activities.through.objects.bulk_create(
            RetentionRule.activities.through(
                retentionrule=rng.choice(retention), processingactivity=a
            )
            for a in activities
        )
