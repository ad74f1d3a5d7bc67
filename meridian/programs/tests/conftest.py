"""Fixtures the programs tests share: a manager and an open cohort of their program."""

from __future__ import annotations

import pytest

from tests.factories import CohortFactory, ProgramFactory, UserFactory


@pytest.fixture
def manager():
    return UserFactory(name="Mia Manager")


@pytest.fixture
def cohort(manager):
    return CohortFactory(program=ProgramFactory(managers=[manager]), status="open")
