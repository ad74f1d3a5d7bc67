from __future__ import annotations

import pytest

from meridian.core.links import absolute_url


@pytest.mark.parametrize("site", ["https://mentoring.example.org", "https://mentoring.example.org/"])
def test_an_address_leaving_the_site_is_site_url_and_the_pages_path(settings, site):
    settings.SITE_URL = site
    assert absolute_url("scheduling:precall") == "https://mentoring.example.org/meetings/check/"
    token = "abc123"
    assert absolute_url("programs:invitation", token).startswith("https://mentoring.example.org/")
    assert absolute_url("programs:invitation", token).endswith(f"/{token}/")
