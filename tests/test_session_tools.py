"""The session page's tools for the coach (``{% session_tools %}``, a Jinja2 fragment): byte for
byte the Django markup they replace (tests/old_templates/session_tools.html), with the page's
own CSRF token."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse

from sessions.forms import SlotForm, TemplateForm
from sessions.models import SessionTemplate
from tests import factories as f

pytestmark = pytest.mark.filterwarnings("ignore:Calling format_html")  # Django's NOTPROVIDED
OLD = (Path(__file__).parent / "old_templates" / "session_tools.html").read_text()
NEW = "{% load plan_tags %}{% if can_plan %}\n{% session_tools %}\n{% endif %}\n"


@pytest.mark.parametrize("title", ["Tuesday 400s", "<b>Hills</b> & 'strides' \"fast\""])
@pytest.mark.parametrize("case", ["plain", "logs", "errors", "existing"])
@pytest.mark.parametrize("token", ["tok&<en>", "NOTPROVIDED", ""])
def test_the_tools_are_written_as_the_django_template_wrote_them(coach, block, title, case,
                                                                  token):
    session = f.make_session(block=block, notation="6x1k @ T 60s", slot="PM")
    session.title = title
    slot_form = SlotForm(block=block, initial={"date": session.date, "slot": session.slot})
    template_form = TemplateForm(coach=coach, initial={"title": title})
    if case in ("errors", "existing"):
        if case == "existing":
            SessionTemplate.objects.create(coach=coach, title=title, notation="5x1k")
        template_form = TemplateForm({"title": "" if case == "errors" else title,
                                      "notation": ""}, coach=coach)
        assert not template_form.is_valid()
    logs = ["a log"] if case == "logs" else []
    context = {"can_plan": True, "session": session, "slot_form": slot_form,
               "template_form": template_form, "logs": logs,
               "logged_names": "Ada <A> & Ben" if logs else "", "csrf_token": token}
    want = engines["django"].from_string(OLD).render(context)
    got = engines["django"].from_string(NEW).render(context)
    assert got == want
    hidden = {**context, "can_plan": False}
    assert engines["django"].from_string(NEW).render(hidden) == "\n"
    assert engines["django"].from_string(OLD).render(hidden) == "\n"


def test_the_page_writes_one_csrf_token_everywhere(coach_client, block):
    session = f.make_session(block=block, notation="6x1k @ T 60s", title="A <b> & 'c'")
    html = coach_client.get(reverse("training:session", args=[session.pk])).content.decode()
    tokens = set(re.findall(r'csrfmiddlewaretoken" value="([^"]+)"', html))
    header = re.search(r'"x-csrftoken": "([^"]+)"', html).group(1)
    assert tokens == {header}
    assert "Delete “A &lt;b&gt; &amp; &#x27;c&#x27;”" in html
