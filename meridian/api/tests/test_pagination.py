"""Paging parameters are whole numbers from 1, as the schema says; anything else is a
400 naming the parameter (found by schemathesis: a bad page was an undocumented 404,
a bad page size was silently ignored)."""

from __future__ import annotations

import pytest

from meridian.api.tests.conftest import error_of

LISTS = ["/api/v1/programs/", "/api/v1/cohorts/", "/api/v1/enrollments/", "/api/v1/mentorships/"]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=last",
        "page=AAA",
        "page=1&page=2",
        "page_size=",
        "page_size=null",
        "page_size=0",
        "page_size=1e3",
        "page_size=%D9%A3",
        "page=9999999999",
    ],
)
def test_it_refuses_a_bad_page_naming_the_parameter(client, world, url, query):
    client.force_login(world.admin)
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400, response.content
    assert set(error_of(response)["fields"]) == {query.split("=")[0]}


@pytest.mark.parametrize("url", LISTS)
def test_it_still_pages(client, world, url):
    client.force_login(world.admin)
    response = client.get(f"{url}?page=1&page_size=1")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 1
    assert client.get(f"{url}?page_size=100000").status_code == 200  # capped, not refused


@pytest.mark.parametrize("url", LISTS)
def test_it_answers_an_empty_page_past_the_last(client, world, url):
    client.force_login(world.admin)
    last = client.get(f"{url}?page_size=1").json()["count"]
    body = client.get(f"{url}?page={last + 5}&page_size=1").json()
    assert body["results"] == []
    assert body["count"] == last
    assert body["next"] is None
    assert (body["previous"] is None) == (last == 0)
    if last > 1:
        assert f"page={last}" in body["previous"]


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/cohorts/?program=",
        "/api/v1/enrollments/?cohort=",
        "/api/v1/mentorships/?program=",
        "/api/v1/match-runs/?cohort=",
        "/api/v1/meetings/?since=",
        "/api/v1/meetings/?mentorship=",
    ],
)
def test_it_refuses_an_empty_id_or_date_filter(client, world, query):
    client.force_login(world.admin)
    response = client.get(query)
    assert response.status_code == 400, response.content
    assert set(error_of(response)["fields"]) == {query.rsplit("?", 1)[1].rstrip("=")}


def test_it_takes_an_empty_choice_as_no_filter(client, world):
    client.force_login(world.admin)
    assert client.get("/api/v1/enrollments/?status=&role=&q=").status_code == 200
