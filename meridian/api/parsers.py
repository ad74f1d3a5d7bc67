"""The API's JSON parser: DRF's, except that
- JSON nested deeper than Python's recursion limit is a 400 in words, not a
  RecursionError (a 500) on every endpoint;
- a lone surrogate (``"\\ud800"``: valid JSON, but no character) is a 400 naming the
  field, before it reaches an error message that cannot be encoded as UTF-8 or a
  database that refuses it (both were 500s)."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

NOT_TEXT = "This is not text: it holds a lone surrogate (an escape such as \\ud800 that is no character)."


class JSONParserWithDepthLimit(JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("The JSON is nested too deeply.") from None
        where = lone_surrogate_at(data)
        if where is not None:
            raise ValidationError({where or "non_field_errors": [NOT_TEXT]})
        return data


def lone_surrogate_at(data: Any) -> str | None:
    """The dotted path (``starts.0``) of the first string in ``data`` that holds a lone
    surrogate (the enclosing path for a key, ``""`` for the document itself); ``None``
    when there is none. A loop, not recursion: the JSON may be nested nearly as deep as
    the recursion limit."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _has_surrogate(value):
                return path
            continue
        if isinstance(value, dict):
            if any(_has_surrogate(key) for key in value):
                return path
            items: list[tuple[Any, Any]] = list(value.items())
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            continue
        stack.extend((f"{path}.{key}" if path else str(key), item) for key, item in reversed(items))
    return None


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
