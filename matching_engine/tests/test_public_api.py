"""The engine's public surface: every name it exports is its module's own, and importing
the package loads nothing heavy until a name is asked for."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import matching_engine


def test_every_exported_name_is_the_modules_own() -> None:
    assert sorted(matching_engine.__all__) == sorted(matching_engine._WHERE)
    assert len(set(matching_engine.__all__)) == len(matching_engine.__all__)
    for name in matching_engine.__all__:
        module = importlib.import_module(f"matching_engine.{matching_engine._WHERE[name]}")
        assert getattr(matching_engine, name) is getattr(module, name), name
    assert set(matching_engine.__all__) <= set(dir(matching_engine))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'solve_everything'"):
        _ = matching_engine.solve_everything


def test_importing_the_package_loads_neither_numpy_nor_scipy() -> None:
    code = (
        "import sys, matching_engine\n"
        "heavy = sorted(m for m in ('numpy', 'scipy', 'ortools') if m in sys.modules)\n"
        "from matching_engine import parse_availability, Window\n"
        "print(','.join(heavy) or 'none', parse_availability.__module__, Window.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["none", "matching_engine.availability", "matching_engine.model"]
