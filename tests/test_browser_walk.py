"""Each role's main pages in a real browser, on the demo data, at phone and laptop width: no
console error (a CSP violation, a failed request or a script error is one) and no serious or
critical accessibility violation (axe-core, WCAG 2.1 A and AA rules)."""

from __future__ import annotations

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse

from coach.management.commands.demo import PASSWORD
from sessions.models import Session, SessionLog
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}


def _session(title: str) -> Session:
    return Session.objects.get(title=title)


def _url(name: str, *args) -> str:
    return reverse(name if ":" in name else f"training:{name}", args=args)


def pages_for(role: str) -> list[str]:
    """The pages each role lives on, with every kind of session the demo holds."""
    reps = _session("Threshold-plus 400s & mile-pace 200s")
    easy = _session("Long run")
    lactate = _session("Lactate-guided threshold")
    logged = SessionLog.objects.get(session=reps, athlete__user__username="tom")
    athlete = _url("athletes:detail", logged.athlete_id)
    if role == "coach":
        return [
            _url("coach-home"), _url("block", reps.block_id), _url("session", reps.pk),
            _url("session", easy.pk), _url("session", lactate.pk), _url("session-edit", reps.pk),
            _url("session-edit", easy.pk), _url("session-new", reps.block_id),
            _url("session-print", reps.pk), _url("logs"), _url("log-summary", logged.pk),
            _url("templates"), athlete, _url("athletes:availability", logged.athlete_id),
            _url("calendar"),
        ]
    if role == "tom":
        return [
            _url("today"), _url("history"), _url("log", reps.pk), _url("log", easy.pk),
            _url("log", lactate.pk), _url("log-summary", logged.pk), _url("session", reps.pk),
            athlete, _url("athletes:availability", logged.athlete_id), _url("calendar"),
        ]
    return [_url("athletes:roster"), _url("athletes:import"), athlete, "/admin/"]


@pytest.fixture
def demo(transactional_db):
    call_command("demo", stdout=io.StringIO())


@pytest.mark.parametrize("role", ["coach", "tom", "admin"])
def test_main_pages_have_no_console_error_and_no_serious_axe_violation(
    page, live_server, demo, role
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    login(page, live_server, role, PASSWORD)
    axe = Axe()
    problems: list[str] = []
    for path in pages_for(role):
        for width, size in WIDTHS.items():
            page.set_viewport_size(size)
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.ok, f"{path}: {response and response.status}"
            if path.startswith("/admin/"):
                continue  # Django's own admin: console errors count, its markup is Django's
            for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
                if violation["impact"] in BLOCKING:
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    problems.append(f"{width} {path}: {violation['id']} ({violation['impact']})"
                                    f" {violation['help']} at {targets}")
    assert not errors, "\n".join(errors)
    assert not problems, "\n".join(problems)
