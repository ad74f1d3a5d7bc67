from __future__ import annotations

import pytest
from django.test import RequestFactory

from meridian.core.redirects import next_url, safe_url

DEFAULT = "/home/"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/programs/x/", "/programs/x/"),
        ("/runs/1/?page=2&q=ann", "/runs/1/?page=2&q=ann"),
        ("http://testserver/profile/", "http://testserver/profile/"),
        ("", DEFAULT),
        ("https://evil.example/", DEFAULT),
        ("//evil.example/", DEFAULT),
        ("///evil.example/", DEFAULT),
        ("javascript:alert(1)", DEFAULT),
    ],
)
def test_it_follows_next_only_within_the_site(target, expected):
    posted = RequestFactory().post("/", {"next": target})
    asked = RequestFactory().get("/", {"next": target})
    assert next_url(posted, DEFAULT) == expected
    assert next_url(asked, DEFAULT) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/runs/1/", "/runs/1/"),
        ("/runs/1/?page=3", "/runs/1/?page=3"),
        ("/runs/2/", "/runs/1/"),
        ("/runs/1/swaps/", "/runs/1/"),
        ("/runs/1//evil.example", "/runs/1/"),
        (None, "/runs/1/"),
    ],
)
def test_it_keeps_next_under_a_page_when_asked(target, expected):
    request = RequestFactory().get("/")
    assert safe_url(request, target, "/runs/1/", under="/runs/1/") == expected


def test_it_prefers_the_posted_next_to_the_query():
    request = RequestFactory().post("/?next=/b/", {"next": "/a/"})
    assert next_url(request, DEFAULT) == "/a/"
