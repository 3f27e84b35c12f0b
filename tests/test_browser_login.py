"""Each role logs in through the real login form, in Debian's chromium, and sees its home."""

import pytest

from tests import factories as f
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role,heading", [
    ("coach", "Planning"), ("athlete", "Today"), ("admin", "Roster"),
])
def test_each_role_logs_in_and_sees_its_home(page, live_server, role, heading):
    if role == "coach":
        f.make_coach(username="coach")
    elif role == "athlete":
        f.make_athlete(name="Ada Miler", user=f.make_user(username="athlete"))
    else:
        f.make_user(username="admin", is_staff=True)
    login(page, live_server, role)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.get_by_role("link", name=heading if role != "coach" else "Plan").count() >= 1


def test_a_wrong_password_is_refused_in_the_page(page, live_server):
    f.make_coach(username="coach")
    login(page, live_server, "coach", password="wrong")
    assert page.get_by_role("alert").count() >= 1
    assert page.get_by_label("Username").input_value() == "coach"
