"""Runs only in the PostgreSQL pass of `make test`; proves that pass really used PostgreSQL."""

import pytest
from django.db import IntegrityError, connection, transaction

from privacyregister.models import Membership
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_suite_runs_on_a_real_postgresql_server():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("show server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


def test_partial_unique_indexes_hold_on_postgresql():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=membership.user, board=membership.board, role=membership.role
        )
