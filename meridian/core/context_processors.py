from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

# The first part of a route names the nav item it belongs to. A program's pages (its
# suggested goals, pairs, guide, agreement template) sit under programs/ and cohorts/, so a
# manager's page highlights "Programs"; the pair's pages (hub, messages, goals, files,
# agreement, close, meetings) sit under mentorships/, goals/, files/, meetings/, actions/.
NAV_SECTIONS = {
    "programs": "programs",
    "cohorts": "programs",
    "enrollments": "programs",
    "imports": "programs",
    "invitations": "programs",
    "runs": "programs",
    "rematch": "programs",
    "mentorships": "mentorships",
    "goals": "mentorships",
    "files": "mentorships",
    "meetings": "mentorships",
    "actions": "mentorships",
    "requests": "mentorships",
}


def nav_section(request: HttpRequest) -> str:
    """'programs', 'mentorships' or '' for the page being shown."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    return NAV_SECTIONS.get(match.route.split("/", 1)[0], "")


def site(request: HttpRequest) -> dict[str, object]:
    return {"site_name": settings.SITE_NAME, "nav_section": nav_section(request)}
