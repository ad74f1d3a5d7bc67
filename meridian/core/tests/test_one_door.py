"""One door per object: every page and API endpoint reads what it shows or changes
through its app's ``selectors.get_<thing>_for_user(user, public_id, *, write=False)``,
which asks a rule of ``core/permissions.py``. These tests read the code itself, so a
new view that grows its own access helper, or an address that takes a raw string id,
fails here before it can drift."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
MERIDIAN = ROOT / "meridian"
# A private helper in a view module that decides access itself: _member_meeting,
# _member_mentorship, _staged_for and the like.
OWN_HELPER = re.compile(r"^_(member_\w+|\w+_for)$")
# An address whose id is a free string or a database integer, not a UUID.
RAW_ID = re.compile(r"<str:[a-z_]*(public_id|_id)>|<int:pk>")
DOOR = re.compile(r"^get_\w+_for_user$")


def _sources(paths: list[Path]) -> list[Path]:
    return sorted(p for p in paths if "tests" not in p.parts and "migrations" not in p.parts)


def view_modules() -> list[Path]:
    """Pages (``views.py`` and ``views/``) and the API's modules."""
    found = [*MERIDIAN.glob("*/views.py"), *MERIDIAN.glob("*/views/*.py"), *(MERIDIAN / "api").rglob("*.py")]
    return _sources(found)


def url_modules() -> list[Path]:
    return _sources([*MERIDIAN.rglob("*urls.py"), *(ROOT / "config").glob("*urls.py")])


def selector_modules() -> list[Path]:
    return _sources(list(MERIDIAN.glob("*/selectors.py")))


def _functions(path: Path) -> list[ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]


def test_the_code_is_where_these_tests_look():
    # Guards the globs: an empty list would make every test below pass vacuously.
    assert len(view_modules()) > 10
    assert len(url_modules()) > 5
    names = {p.parent.name for p in selector_modules()}
    assert {"programs", "mentorships", "matching", "scheduling", "api"} <= names


@pytest.mark.parametrize("path", view_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_view_module_has_its_own_access_helper(path):
    own = [f.name for f in _functions(path) if OWN_HELPER.match(f.name)]
    assert not own, (
        f"{path.relative_to(ROOT)} defines {own}: read the object through its app's "
        "selectors.get_<thing>_for_user(user, public_id, write=...) instead"
    )


@pytest.mark.parametrize("path", url_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_addresses_take_uuids(path):
    raw = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if RAW_ID.search(line)]
    assert not raw, f"{path.relative_to(ROOT)}: use <uuid:public_id>, not {raw}"


def _doors() -> list[tuple[Path, ast.FunctionDef]]:
    return [(path, f) for path in selector_modules() for f in _functions(path) if DOOR.match(f.name)]


@pytest.mark.parametrize(
    ("path", "door"), _doors(), ids=lambda x: x.name if isinstance(x, ast.FunctionDef) else x.parent.name
)
def test_each_door_asks_the_access_policy_and_is_typed(path, door):
    where = f"{path.relative_to(ROOT)}:{door.name}"
    body = ast.unparse(door)
    assert re.search(r"\bpermissions\.\w+\(", body) or re.search(r"\bget_\w+_for_user\(", body), (
        f"{where} decides access without asking core/permissions.py"
    )
    arguments = door.args
    assert arguments.args[0].arg == "user", where
    assert ast.unparse(arguments.args[0].annotation or ast.Constant(None)) not in ("Any", "None"), (
        f"{where}: type the person (permissions.Person), not Any"
    )
    assert [a.arg for a in arguments.kwonlyargs][:1] == ["write"], f"{where}: takes *, write=False"


def test_the_doors_cover_every_object_a_page_addresses():
    names = {door.name for _path, door in _doors()}
    expected = {
        "get_program_for_user",
        "get_cohort_for_user",
        "get_enrollment_for_user",
        "get_staged_import_for_user",
        "get_invitation_for_user",
        "get_mentorship_for_user",
        "get_run_for_user",
        "get_proposal_for_user",
        "get_mentee_enrollment_for_user",
        "get_request_for_user",
        "get_meeting_for_user",
        "get_action_item_for_user",
        "get_token_for_user",
    }
    assert expected <= names, expected - names
