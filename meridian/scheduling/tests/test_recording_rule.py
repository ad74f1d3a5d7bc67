"""The recording rule is written once (selectors.recording_allowed): the meeting page and
the consent service ask the same function."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from meridian.scheduling.selectors import recording_allowed


def _member(user_id: int, current: bool = True) -> SimpleNamespace:
    return SimpleNamespace(user_id=user_id, is_current=current)


def _consent(user_id: int, consents: bool = True) -> SimpleNamespace:
    return SimpleNamespace(user_id=user_id, consents=consents)


@pytest.mark.parametrize(
    ("members", "consents", "allowed"),
    [
        ([], [], False),  # nobody to agree: never
        ([_member(1), _member(2)], [_consent(1), _consent(2)], True),
        ([_member(1), _member(2)], [_consent(1)], False),
        ([_member(1), _member(2)], [_consent(1), _consent(2, consents=False)], False),
        ([_member(1), _member(2, current=False)], [_consent(1)], True),  # who left is not asked
        ([_member(1)], [_consent(1), _consent(9)], True),  # an outsider's row changes nothing
    ],
)
def test_a_meeting_may_be_recorded_only_when_every_current_member_consented(members, consents, allowed):
    assert recording_allowed(members, consents) is allowed
