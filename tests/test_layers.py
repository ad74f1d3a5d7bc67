"""No foreign key points up the layers. import-linter checks the imports, but a foreign key
written as a string (``"scheduling.Meeting"``) imports nothing, so it is invisible there: this
walks every model's relations against the same layer order, read from pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def layer_order() -> list[set[str]]:
    """The layers contract, top first: each layer the set of its apps (``meridian.x``),
    optional apps (in parentheses) included."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers" and c["name"].startswith("Layers")]
    return [{name.strip().strip("()") for name in layer.split("|")} for layer in contract["layers"]]


def app_of(model: type[models.Model]) -> str | None:
    """``meridian.x`` for a model of ours, None for Django's and libraries' models."""
    parts = model.__module__.split(".")
    return ".".join(parts[:2]) if parts[0] == "meridian" else None


def upward_links(order: list[set[str]]) -> list[str]:
    """Every relation from a model of ours to a model in a higher layer, or to a sibling
    app of the same layer (siblings are independent)."""
    rank = {app: i for i, layer in enumerate(order) for app in layer}
    found = []
    for model in apps.get_models():
        source = app_of(model)
        if source is None:
            continue
        for field in model._meta.get_fields():
            target_model: Any = field.related_model
            if not field.is_relation or field.auto_created or not isinstance(target_model, type):
                continue
            target = app_of(target_model)
            if target is None or target == source:
                continue
            if rank[target] <= rank[source]:
                found.append(
                    f"{model.__name__}.{field.name} ({source}) -> {target_model.__name__} ({target})"
                )
    return found


def test_every_app_of_ours_is_in_a_layer() -> None:
    layered = set().union(*layer_order())
    ours = {config.name for config in apps.get_app_configs() if config.name.startswith("meridian.")}
    assert ours, "no app of ours installed"
    assert ours <= layered, f"apps missing from the layers in pyproject.toml: {sorted(ours - layered)}"


def test_no_foreign_key_points_up_the_layers() -> None:
    assert upward_links(layer_order()) == []


def test_a_foreign_key_up_the_layers_is_found() -> None:
    """The check can fail: with the layers upside down, a mentorship's program points up."""
    found = upward_links(list(reversed(layer_order())))
    assert "Mentorship.program (meridian.mentorships) -> Program (meridian.programs)" in found
    assert any(link.endswith("-> User (meridian.accounts)") for link in found)
