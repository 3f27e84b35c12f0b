"""The admin's tables written in Python (coach/admin_tables.py, docs/perf-admin.md): a
changelist's rows are Django's byte for byte, read-only inlines show what the admin showed,
escaped, and saving a parent page leaves its read-only rows alone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import reverse

from coach.admin_tables import QUICK_CHANGE_LIST
from sessions.logbook import save_rep, start_log
from sessions.models import RepResult
from tests import factories as f

pytestmark = pytest.mark.django_db

BIG = "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD"


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.fixture
def logged(block, athlete):
    session = f.planned(block, BIG, title="Tempo <b>& friends</b>")
    log = start_log(session, athlete)
    for rep in log.reps.all()[:5]:
        save_rep(rep, {"actual_s": 65.0, "avg_hr": 170})
    return log


@pytest.mark.parametrize("query", ["", "?o=-2.1", "?q=a", "?o=3&p=0", "?_popup=1&_to_field=id"])
def test_every_changelist_writes_the_same_rows_as_djangos(admin_client_, logged, coach,
                                                           query, monkeypatch):
    f.make_squad(name="Milers <i>", coaches=(coach,))
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        if "q=" in query and not model_admin.search_fields:
            continue
        monkeypatch.setattr(model_admin, "change_list_template", None)
        djangos = _page(admin_client_, url + query)
        monkeypatch.setattr(model_admin, "change_list_template", QUICK_CHANGE_LIST)
        assert _page(admin_client_, url + query) == djangos, url + query


def test_the_big_tables_use_the_quick_changelist():
    for name in ("block", "session", "sessionlog", "represult", "plannedtarget"):
        model_admin = next(a for m, a in admin.site._registry.items()
                           if m._meta.model_name == name)
        assert model_admin.change_list_template == QUICK_CHANGE_LIST


def test_a_logs_reps_are_a_table_linking_to_each_rep_and_to_their_list(admin_client_, logged):
    rep = logged.reps.get(position=1)
    rep.note = "felt <script>x</script>\nstrong"
    rep.save()
    html = _page(admin_client_, reverse("admin:training_sessionlog_change", args=[logged.pk]))
    assert 'name="reps-TOTAL_FORMS" value="0"' in html and 'name="reps-0-' not in html
    assert f'href="{reverse("admin:training_represult_change", args=[rep.pk])}"' in html
    assert f"Rep 1 of log {logged.pk}" in html
    assert "felt &lt;script&gt;x&lt;/script&gt;<br>strong" in html and "<script>x" not in html
    listed = f'{reverse("admin:training_represult_changelist")}?log__id__exact={logged.pk}'
    assert f'href="{listed}"' in html
    rows = _page(admin_client_, listed)
    assert rows.count('class="action-select"') == logged.reps.count()


def test_saving_a_log_in_the_admin_leaves_its_reps_alone(admin_client_, logged):
    before = list(RepResult.objects.filter(log=logged).values_list("pk", "actual_s"))
    url = reverse("admin:training_sessionlog_change", args=[logged.pk])
    data = {"session": logged.session_id, "athlete": logged.athlete_id,
            "date_done": logged.date_done.isoformat(), "rpe": "6", "notes": "",
            "completed": "on"}
    for prefix in ("reps", "comments"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    logged.refresh_from_db()
    assert logged.rpe == 6
    assert list(RepResult.objects.filter(log=logged).values_list("pk", "actual_s")) == before


def test_a_sessions_steps_and_a_blocks_sessions_are_escaped_text(admin_client_, logged, block):
    html = _page(admin_client_, reverse("admin:training_block_change", args=[block.pk]))
    assert "Tempo &lt;b&gt;&amp; friends&lt;/b&gt;" in html and "<b>& friends" not in html
    assert 'class="inlinechangelink">Change</a>' in html and "View on site</a>" in html
    html = _page(admin_client_,
                 reverse("admin:training_session_change", args=[logged.session_id]))
    assert 'name="steps-TOTAL_FORMS" value="0"' in html
    assert '<td class="field-kind"><p>Warm-up</p></td>' in html
    assert '<td class="field-target_text"><p>T+</p></td>' in html


@pytest.mark.parametrize("path", ["/admin/athletes/user/", "/admin/training/session/",
                                  "/admin/athletes/athlete/add/"])
def test_the_sidebar_is_djangos_app_list(admin_client_, path):
    response = admin_client_.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<nav class="sticky" id="nav-sidebar"')
    ours = html[start:html.index("</nav>", start)]
    djangos = render_to_string("admin/app_list.html", {
        "app_list": response.context["available_apps"], "show_changelinks": False,
        "request": response.wsgi_request})

    def squeeze(text: str) -> str:
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", text)).strip()
    assert squeeze(djangos) in squeeze(ours)
    assert ours.count("current-model") == 1  # the page's model, as Django marks it


def test_a_sessions_versions_cost_the_same_queries_for_one_athlete_or_three(
        admin_client_, coach, block):
    """A version's name is its session's and athlete's: the table gives each row its session
    (the parent) as the formset did, rather than a query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sessions import versions
    from sessions.planning import plan_session

    athletes = [f.make_athlete(name=f"Vera {n}", coach=coach) for n in range(3)]
    block.athletes.add(*athletes)
    counts = []
    for size in (1, 3):
        session = f.planned(block, "6x400 @ T (200 jog)", title=f"With {size}",
                            date=block.start_date + dt.timedelta(days=size))
        versions.save_versions(session, {a.pk: "4x400 @ T (200 jog)" for a in athletes[:size]})
        plan_session(session)
        url = reverse("admin:training_session_change", args=[session.pk])
        _page(admin_client_, url)  # the content types are cached after a first page
        with CaptureQueriesContext(connection) as captured:
            page = _page(admin_client_, url)
        assert page.count("s version<") == size  # each version's row, named
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


SAMPLES = [None, "", 0, 1, -5, 7, 1234567, 0.1, 1234.5, -0.25, 1e20, 1e-7, 64.2, True, False,
           dt.date(2026, 1, 1), dt.date(2025, 5, 31), dt.date(1999, 12, 9), "easy", "a<b>"]


@pytest.mark.parametrize("language", ["en-gb", "de", "fr"])
@pytest.mark.parametrize("thousands", [False, True])
def test_a_columns_display_is_display_for_field(logged, language, thousands, settings):
    """``field_display`` writes what ``display_for_field`` writes, for every field of every
    registered model, stored values and samples of every kind, in several languages."""
    from django.contrib.admin.utils import display_for_field
    from django.db import models
    from django.utils import translation

    from coach.admin_tables import field_display

    settings.USE_THOUSAND_SEPARATOR = thousands
    checked = 0
    with translation.override(language):
        for model in admin.site._registry:
            rows = list(model._default_manager.all()[:20])
            for field in model._meta.concrete_fields:
                if isinstance(field, models.ForeignKey):
                    continue
                for avoid_link in (False, True):
                    shown = field_display(field, "-", avoid_link)
                    values = [getattr(row, field.attname) for row in rows] + [
                        v for v in SAMPLES if _fits(field, v)]
                    for value in values:
                        assert _outcome(shown, value) == _outcome(
                            display_for_field, value, field, "-", avoid_link=avoid_link), (
                            field, value)
                        checked += 1
    assert checked > 1000


def _outcome(function, *args, **kwargs):
    """What ``function`` returns, or the kind of error it raises."""
    try:
        return function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 (both sides must fail the same way)
        return type(exc)


def _fits(field, value) -> bool:
    """Whether ``value`` is one the field could hold (or an empty one)."""
    from django.db import models

    if value is None or value == "":
        return True
    if isinstance(field, models.DateTimeField):
        return False
    if isinstance(field, models.DateField):
        return isinstance(value, dt.date)
    if isinstance(field, models.BooleanField):
        return isinstance(value, bool)
    if isinstance(field, (models.IntegerField, models.FloatField, models.DecimalField)):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(field, (models.CharField, models.TextField)):
        return isinstance(value, str)
    return False


def test_the_block_list_filters_by_the_coaches_of_blocks(admin_client_, block, coach,
                                                          other_coach):
    """The coach filter lists who coaches a block, not every account, and still filters."""
    f.make_block(coach=other_coach)
    other = f.make_coach(username="nobody-coaches")
    url = reverse("admin:training_block_changelist")
    page = _page(admin_client_, url)
    assert f"?coach__id__exact={coach.pk}" in page
    assert f"?coach__id__exact={other_coach.pk}" in page
    assert f"?coach__id__exact={other.pk}" not in page
    filtered = _page(admin_client_, f"{url}?coach__id__exact={coach.pk}")
    assert block.title in filtered


def test_a_blocks_athletes_are_offered_and_saved(admin_client_, block, athlete, coach):
    """The block's page offers every athlete (read for their names) and saves the choice."""
    other = f.make_athlete(name="Zed <Other>", coach=coach)
    url = reverse("admin:training_block_change", args=[block.pk])
    page = _page(admin_client_, url)
    assert f'<option value="{athlete.pk}" selected>Ada Miler</option>' in page
    assert f'<option value="{other.pk}">Zed &lt;Other&gt;</option>' in page
    from django.forms.models import model_to_dict

    data = {name: value for name, value in model_to_dict(block).items()
            if value is not None and name != "athletes"}
    data.update({"athletes": [athlete.pk, other.pk], "coach": coach.pk,
                 "sessions-TOTAL_FORMS": 0, "sessions-INITIAL_FORMS": 0})
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(block.athletes.values_list("pk", flat=True)) == {athlete.pk, other.pk}


def test_the_block_forms_athletes_are_djangos_choices_in_one_query(
        block, athlete, coach, rf, admin_user, django_assert_num_queries):
    """The athletes' options are read with one plain query: the same values and names, in
    the same order, as Django's iterator gives."""
    from django.forms.models import ModelChoiceIterator

    from sessions.admin import ListedChoices

    for i in range(5):
        f.make_athlete(name=f"Zed {i} <x>", coach=coach)
    request = rf.get("/")
    request.user = admin_user
    form = admin.site._registry[type(block)].get_form(request, block)(instance=block)
    field = form.fields["athletes"]
    assert isinstance(field.choices, ListedChoices)
    with django_assert_num_queries(1):
        ours = [(str(value), label) for value, label in field.choices]
    djangos = [(str(value), label) for value, label in ModelChoiceIterator(field)]
    assert ours == djangos and len(ours) == 6


@pytest.mark.parametrize("template", ["django/forms/errors/list/ul.html",
                                      "django/forms/errors/list/default.html"])
@pytest.mark.parametrize("errors", [[], ["Too <fast> & wrong"], ["One.", "Two."]])
@pytest.mark.parametrize("field_id", [None, "id_actual_s"])
def test_an_empty_error_list_is_written_as_djangos_templates_write_it(template, errors,
                                                                       field_id):
    """FormRenderer writes an empty error list in Python (nothing): the admin draws one per
    field twice; a list with errors is Django's template's, the same bytes either way."""
    from django import forms
    from django.forms.utils import ErrorList

    from coach import fields

    renderer = fields.FormRenderer()
    listed = ErrorList(errors, renderer=renderer, field_id=field_id)
    fast = listed.render(template)
    slow = forms.renderers.TemplatesSetting.render(renderer, template, listed.get_context())
    assert fast == slow
    assert renderer._django_own(template) and renderer._django_own(fields.ERROR_UL)
    if not errors:
        assert fast == ""
    else:
        assert fast.count("<li>") == len(errors)
        assert "<fast>" not in fast  # escaped


def _djangos_fieldset(context, fieldset, heading_level, prefix, id_prefix, id_suffix):
    """Django's own ``admin/includes/fieldset.html`` rendered in the include's context."""
    from pathlib import Path

    import django.contrib.admin
    from django.template import engines
    from django.utils.safestring import mark_safe

    source = (Path(django.contrib.admin.__file__).parent
              / "templates/admin/includes/fieldset.html").read_text()
    engine = engines["django"].engine
    with context.push(fieldset=fieldset, heading_level=heading_level, prefix=prefix,
                      id_prefix=id_prefix, id_suffix=id_suffix):
        written = engine.from_string(source).render(context)
    assert written.endswith("</fieldset>\n")
    return mark_safe(written.removesuffix("\n"))  # Django's template's markup


def _both_ways(client, monkeypatch, method: str, url: str, data=None) -> tuple[str, str]:
    from coach.templatetags import admin_forms

    def page():
        response = client.post(url, data) if method == "post" else client.get(url)
        if response.status_code == 403:  # a model without an add page (axes' records)
            return ""
        assert response.status_code == 200, url
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "",
                      response.content.decode())
    with monkeypatch.context() as patched:
        _one_instant(patched)
        ours = page()
        patched.setattr(admin_forms, "fieldset_html", _djangos_fieldset)
        djangos = page()
    return ours, djangos


def _one_instant(monkeypatch) -> None:
    """Fields that default to the clock (a comment's or a watch file's ``created``) show "now"
    on an add page, to the second: both renderings show one instant. (Two requests a second
    boundary apart differed by a second, "04:35:15" against "04:35:16", in a loaded run.)"""
    from django.apps import apps
    from django.utils import timezone

    now = timezone.now()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.default is timezone.now:
                monkeypatch.setattr(field, "default", lambda: now)


def test_every_change_and_add_form_writes_djangos_fieldsets(admin_client_, logged, coach,
                                                           monkeypatch):
    """Every registered model's add page, change page and add page sent back with errors:
    the fieldsets written in Python are Django's template's, byte for byte."""
    f.make_squad(name="Milers <i>", coaches=(coach,))
    checked = 0
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [("get", reverse(f"{info}_add")), ("post", reverse(f"{info}_add"))]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(("get", reverse(f"{info}_change", args=[first.pk])))
        for method, url in urls:
            ours, djangos = _both_ways(admin_client_, monkeypatch, method, url, data={})
            assert ours == djangos, (method, url)
            if ours:
                assert '<fieldset class="module aligned' in ours
                checked += 1
    assert checked > 30


def test_named_collapsed_described_and_multi_field_fieldsets_are_djangos(
        admin_client_, block, monkeypatch):
    """Fieldsets the project's admins do not use today (named and collapsed with a
    description, several fields on a line, read-only fields, a checkbox, help text), shown
    and sent back with errors, are Django's template's too."""
    block_admin = admin.site._registry[type(block)]
    monkeypatch.setattr(block_admin, "fieldsets", [
        (None, {"fields": [("title", "coach"), "start_date", ("end_date", "archived")]}),
        ("Where <& when>", {"classes": ["collapse", "wide"], "description": "<b>Camp</b>",
                            "fields": [("place", "altitude_m", "version"), "notes",
                                       "athletes", "time_zone"]}),
        ("Goal", {"fields": ["goal_race_name", ("goal_race_date", "goal_distance_m")]}),
    ])
    monkeypatch.setattr(block_admin, "readonly_fields", ["version", "time_zone"])
    change = reverse("admin:training_block_change", args=[block.pk])
    add = reverse("admin:training_block_add")
    for method, url, data in (("get", change, None), ("get", add, None),
                              ("post", add, {"title": "", "altitude_m": "high",
                                             "archived": "on"})):
        ours, djangos = _both_ways(admin_client_, monkeypatch, method, url, data)
        assert ours == djangos, (method, url)
    assert "<details><summary>" in ours and "errorlist" in ours and 'class="readonly"' in ours


def _both_renderings(widget, name, value, attrs=None) -> tuple[str, str]:
    """A widget drawn through FormRenderer (its Python path) and through the templates."""
    from django import forms

    from coach import fields

    renderer = fields.FormRenderer()
    context = widget.get_context(name, value, attrs or {"id": f"id_{name}"})
    fast = widget._render(widget.template_name, context, renderer)
    slow = forms.renderers.TemplatesSetting.render(renderer, widget.template_name, context)
    assert renderer._django_own(widget.template_name)
    return fast, slow


@pytest.mark.parametrize("value", [None, "", "Easy 400s <b>&</b> 'strides'\n\nthen home",
                                   "\nstarts with a line break", 7])
@pytest.mark.parametrize("attrs", [None, {"id": "id_notes", "rows": 3, "disabled": True,
                                          "placeholder": 'say "hi"'}])
def test_a_textarea_is_written_as_djangos_template_writes_it(value, attrs):
    from django import forms
    from django.contrib.admin.widgets import AdminTextareaWidget

    from coach import fields

    for widget in (forms.Textarea(), AdminTextareaWidget()):
        fast, slow = _both_renderings(widget, "notes", value, attrs)
        assert fast == slow
        if not isinstance(value, int):  # a number is left to the template (it localizes)
            assert fast == fields.textarea_html(widget.get_context(
                "notes", value, attrs or {"id": "id_notes"})["widget"])


@pytest.mark.parametrize("value", [None, "", dt.date(2026, 11, 2), "not a <date>"])
def test_the_admins_date_box_is_written_as_djangos_templates_write_it(value):
    from django.contrib.admin.widgets import AdminDateWidget

    fast, slow = _both_renderings(AdminDateWidget(), "start_date", value,
                                  {"id": "id_start_date", "required": True})
    assert fast == slow
    assert fast.startswith('<p class="date">')


def test_the_admins_raw_id_box_is_written_as_djangos_templates_write_it(logged):
    """With the chosen object (its name linking to its page), without one, with an id that
    names nothing, and for a model the admin does not register (no lookup link)."""
    from django.contrib.admin.widgets import ForeignKeyRawIdWidget

    from sessions.models import DeviceImport, RepResult

    log_rel = RepResult._meta.get_field("log").remote_field
    step_rel = RepResult._meta.get_field("step").remote_field
    user_rel = DeviceImport._meta.get_field("uploaded_by").remote_field
    cases = [(log_rel, logged.pk), (log_rel, None), (log_rel, 10**9), (log_rel, "x<y"),
             (step_rel, logged.session.steps.first().pk), (user_rel, logged.athlete.user_id)]
    written = []
    for rel, value in cases:
        fast, slow = _both_renderings(ForeignKeyRawIdWidget(rel, admin.site), "field", value,
                                      {"id": "id_field", "required": True})
        assert fast == slow, (rel, value)
        written.append(fast)
    assert "related-lookup" in written[0] and "<strong><a href=" in written[0]
