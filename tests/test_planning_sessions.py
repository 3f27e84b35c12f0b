"""Coach planning, sessions: typing a workout with a live preview, saving, editing, the session
page, the printable card, templates."""

import datetime as dt

import pytest
from django.urls import reverse

from coach import formats, pace
from coach.pace import vdot
from sessions.models import PlannedStep, PlannedTarget, Session, SessionTemplate
from sessions.planning import plan_session
from tests import factories as f

MILE = 1609.344
TEXT = "12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog)"


@pytest.fixture
def block(block, second):
    """The shared block (tests/conftest.py), with ``second`` too."""
    block.athletes.add(second)
    return block


def new_url(block):
    return reverse("training:session-new", args=[block.pk])


def preview_url(block):
    return reverse("training:session-preview", args=[block.pk])


def session_data(**overrides):
    data = {"date": "2026-11-03", "slot": "AM", "title": "", "notation": TEXT, "notes": "",
            "tolerance_pct": "1.5"}
    data.update(overrides)
    return data


# --- the live preview -----------------------------------------------------------------------

def test_the_preview_shows_22_reps_with_each_athletes_targets(coach_client, block, htmx):
    response = coach_client.post(preview_url(block), {"notation": TEXT}, **htmx)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="preview"' in html
    preview = response.context["preview"]
    assert preview.workout.rep_count == 22
    assert preview.workout.work_distance_m == 6800
    assert "<b>22</b><span>reps</span>" in html
    assert "6.8 km" in html and "4.2 km" in html  # work, recovery
    assert "21 × 200 m jog" in html
    assert [a.display_name for a in preview.athletes] == ["Ada Miler", "Ben Runner"]
    first, second_group = [row for row in preview.rows if row.kind == "work"]
    assert (first.count, first.reps_label, first.title) == (12, "1–12", "12 × 400 m")
    assert (second_group.count, second_group.reps_label) == (10, "13–22")
    ada, ben = first.cells
    assert ada.text == "61.4–64.0"  # docs/paces.md: T+ for the 12:48 runner is 61.4-64.0 per 400
    assert ben.text != ada.text
    assert ada.text in html and ben.text in html
    assert second_group.cells[0].text != second_group.cells[1].text  # mile pace differs too
    assert "estimated time" in html and "min" in preview.duration_label
    assert 'hx-swap-oob="true"' in html  # clears an earlier error


def test_the_preview_adjusts_targets_for_altitude_and_shows_sea_level_beside_them(
        coach_client, coach, athlete, htmx):
    block = f.make_block(coach=coach, athletes=(athlete,), altitude_m=2100)
    response = coach_client.post(preview_url(block), {"notation": "6x1k @ T 60s; 4x200 @ R"},
                                 **htmx)
    threshold, reps = [row for row in response.context["preview"].rows if row.kind == "work"]
    assert threshold.cells[0].sea_text  # T slows at altitude: both are shown
    assert float(threshold.cells[0].text.replace(":", "")) > float(
        threshold.cells[0].sea_text.replace(":", ""))
    assert reps.cells[0].sea_text == ""  # R keeps its sea-level speed
    assert "sea level" in response.content.decode()


def test_explicit_targets_are_used_as_written(coach_client, block, htmx):
    response = coach_client.post(preview_url(block), {"notation": "8x400 @ 64 (200 jog)"},
                                 **htmx)
    row = next(r for r in response.context["preview"].rows if r.kind == "work")
    assert [c.text for c in row.cells] == ["64.0", "64.0"]


def test_a_timed_rep_shows_each_athletes_pace_per_km(coach_client, block, htmx):
    response = coach_client.post(preview_url(block), {"notation": "4x5min @ T (1min)"}, **htmx)
    row = next(r for r in response.context["preview"].rows if r.kind == "work")
    assert all(c.text.endswith("/km") for c in row.cells)


def test_a_parse_error_goes_to_its_own_box_so_the_last_preview_stays(coach_client, block, htmx):
    response = coach_client.post(preview_url(block), {"notation": "12x40O"}, **htmx)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#preview-error"
    assert response["HX-Reswap"] == "outerHTML"
    assert 'id="preview-error"' in html and 'id="preview"' not in html
    assert "column 6: expected a distance or duration after &#x27;x&#x27;" in html
    assert "12x40<mark>O</mark>" in html


def test_an_empty_box_previews_nothing(coach_client, block, htmx):
    response = coach_client.post(preview_url(block), {"notation": "  "}, **htmx)
    assert "Type a workout" in response.content.decode()


def test_the_preview_is_post_only_and_for_the_blocks_coach(coach_client, client, block,
                                                           other_coach):
    assert coach_client.get(preview_url(block)).status_code == 405
    client.force_login(other_coach)
    assert client.post(preview_url(block), {"notation": TEXT}).status_code == 404


def test_the_preview_costs_the_same_queries_however_many_athletes(
        coach_client, coach, block, htmx, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as two:
        coach_client.post(preview_url(block), {"notation": TEXT}, **htmx)
    for i in range(6):
        athlete = f.make_athlete(coach=coach, race=(5000, 800 + 10 * i))
        f.make_race(athlete, distance_m=1500, time_s=220 + i)
        block.athletes.add(athlete)
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = coach_client.post(preview_url(block), {"notation": TEXT}, **htmx)
    assert len(response.context["preview"].athletes) == 8


# --- adding and editing ---------------------------------------------------------------------

def test_the_new_session_form_starts_on_the_day_and_time_clicked(coach_client, block):
    response = coach_client.get(new_url(block) + "?date=2026-11-05&slot=PM")
    form = response.context["form"]
    assert str(form["date"].value()) == "2026-11-05" and form["slot"].value() == "PM"
    html = response.content.decode()
    assert f'hx-post="{preview_url(block)}"' in html
    assert 'hx-trigger="input changed delay:300ms"' in html


def test_saving_a_session_stores_its_text_steps_and_every_athletes_targets(
        coach_client, block, athlete, second):
    response = coach_client.post(new_url(block), session_data())
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == block.get_absolute_url()
    assert session.notation == TEXT
    assert session.title == "12x400 @ T+ (200 jog); 10x200 @ mile pace (200 jog)"
    assert (session.rep_count, session.work_distance_m) == (22, 6800)
    assert session.steps.filter(kind="work").count() == 22
    assert PlannedTarget.objects.filter(step__session=session, athlete=athlete).count() == 22
    assert PlannedTarget.objects.filter(step__session=session, athlete=second).count() == 22


def test_a_workout_that_does_not_parse_keeps_what_was_typed_and_saves_nothing(coach_client,
                                                                             block):
    response = coach_client.post(new_url(block), session_data(notation="12x40O",
                                                              title="Broken"))
    html = response.content.decode()
    assert response.status_code == 200
    assert not Session.objects.exists()
    assert "column 6: expected a distance or duration" in response.context["form"].errors[
        "notation"][0]
    field = html[html.index('id="field-notation"'):]
    assert field.index("column 6") < field.index('id="preview"')
    assert ">12x40O</textarea>" in html and 'value="Broken"' in html


@pytest.mark.parametrize("changes,field,message", [
    ({"date": "2026-12-25"}, "date", "Pick a day in the block"),
    ({"notation": ""}, "notation", "Write the workout"),
    ({"tolerance_pct": "0"}, "tolerance_pct", "between 0.1 and 20"),
    ({"slot": "XX"}, "slot", "Select a valid choice"),
])
def test_bad_session_input_is_explained_next_to_its_field(coach_client, block, changes, field,
                                                          message):
    response = coach_client.post(new_url(block), session_data(**changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not Session.objects.exists()


def test_a_taken_day_and_time_is_refused_with_the_session_named(coach_client, block):
    f.make_session(block=block, date=dt.date(2026, 11, 3), slot="AM", title="Easy run")
    response = coach_client.post(new_url(block), session_data())
    assert "Tue 3 Nov AM already has “Easy run”" in response.context["form"].errors["slot"][0]
    assert Session.objects.count() == 1


def test_checking_the_workout_without_javascript_previews_without_saving(coach_client, block):
    response = coach_client.post(new_url(block), session_data(action="preview"))
    assert response.status_code == 200
    assert not Session.objects.exists()
    assert response.context["preview"].workout.rep_count == 22
    assert ">12x400 @ T+ (200 jog) &amp; 10x200 @ mile (200 jog)</textarea>" in (
        response.content.decode())


def test_editing_a_session_re_parses_and_re_plans_it(coach_client, block):
    session = f.make_session(block=block, notation=TEXT, title="Mixed")
    plan_session(session)
    old_steps = set(session.steps.values_list("pk", flat=True))
    url = reverse("training:session-edit", args=[session.pk])
    page = coach_client.get(url)
    assert page.context["preview"].workout.rep_count == 22  # the saved workout, previewed
    response = coach_client.post(url, session_data(date="2026-11-02", title="Mixed",
                                                   notation="6x1k @ T 60s", next="session"))
    assert response["Location"] == session.get_absolute_url()
    session.refresh_from_db()
    assert (session.notation, session.rep_count, session.work_distance_m) == (
        "6x1k @ T 60s", 6, 6000)
    assert not old_steps & set(session.steps.values_list("pk", flat=True))


def test_editing_a_logged_session_warns_that_logs_keep_their_targets(coach_client, block,
                                                                     athlete):
    session = f.make_session(block=block, notation="6x1k @ T 60s")
    plan_session(session)
    f.make_log(session=session, athlete=athlete)
    html = coach_client.get(reverse("training:session-edit", args=[session.pk])).content.decode()
    assert "1 athlete logged this session" in html


def test_templates_fill_the_new_session_form(coach_client, coach, block):
    template = SessionTemplate.objects.create(coach=coach, title="Tuesday 400s",
                                              notation="12x400 @ T+ (200 jog)")
    page = coach_client.get(new_url(block))
    assert f'data-template-notation="{template.notation}"' in page.content.decode()
    response = coach_client.get(new_url(block) + f"?template={template.pk}&date=2026-11-04")
    form = response.context["form"]
    assert form["notation"].value() == template.notation
    assert form["title"].value() == "Tuesday 400s"
    assert response.context["preview"].workout.rep_count == 12


def test_another_coachs_template_cannot_be_inserted(coach_client, block, other_coach):
    theirs = SessionTemplate.objects.create(coach=other_coach, title="Secret",
                                            notation="10x1k @ T")
    response = coach_client.get(new_url(block) + f"?template={theirs.pk}")
    assert response.context["form"]["notation"].value() in (None, "")
    assert "Secret" not in response.content.decode()


# --- the session page and the card ----------------------------------------------------------

@pytest.fixture
def planned(block):
    return f.planned(block, TEXT, date=dt.date(2026, 11, 3), title="400s and 200s")


def test_the_session_page_shows_grouped_reps_with_each_athletes_targets(coach_client, planned):
    response = coach_client.get(reverse("training:session", args=[planned.pk]))
    html = response.content.decode()
    work = [row for row in response.context["rows"] if row.kind == "work"]
    assert [(r.count, r.first.target_text) for r in work] == [(12, "T+"), (10, "mile pace")]
    assert work[0].cells[0].text == "61.4–64.0"
    assert "Ada Miler" in html and "Ben Runner" in html
    for name in ("session-edit", "session-print", "session-save-template", "session-move"):
        assert reverse(f"training:{name}", args=[planned.pk]) in html


def test_the_session_page_says_where_each_athletes_targets_came_from(coach_client, coach,
                                                                    athlete, second):
    block = f.make_block(coach=coach, athletes=(athlete, second), altitude_m=2100,
                         goal_distance_m=MILE, goals={second: 242.0})
    session = f.make_session(block=block, notation=TEXT)
    plan_session(session)
    response = coach_client.get(reverse("training:session", args=[session.pk]))
    assert response.context["sources"] == [
        ("Ada Miler", "T+: VDOT 83.6 from 5000 m 12:48, +4.7 % for 2100 m altitude · "
                      "mile pace: VDOT 83.6 from 5000 m 12:48, sea-level speed at 2100 m"),
        ("Ben Runner", f"T+: VDOT {pace.format_vdot(vdot(MILE, 236))} from mile 3:56, +4.7 % "
                       "for 2100 m altitude · mile pace: goal 4:02 for the mile, sea-level "
                       "speed at 2100 m"),
    ]
    html = response.content.decode()
    sources = html[html.index('class="target-sources"'):html.index("</ul>",
                                                                    html.index("target-sources"))]
    assert "<b>Ben Runner</b> · T+: VDOT" in sources and "goal 4:02 for the mile" in sources
    assert html.count("goal 4:02") == 1  # one line per athlete, not a note in every cell


def test_an_athlete_sees_only_their_own_targets_and_no_planning_tools(athlete_client, planned):
    response = athlete_client.get(reverse("training:session", args=[planned.pk]))
    html = response.content.decode()
    assert [a.display_name for a in response.context["athletes"]] == ["Ada Miler"]
    assert "Ben Runner" not in html
    assert reverse("training:session-edit", args=[planned.pk]) not in html


def test_the_session_pages_cost_the_same_queries_however_many_athletes_and_reps(
        coach_client, coach, block, planned, django_assert_max_num_queries):
    url = reverse("training:session", args=[planned.pk])
    with django_assert_max_num_queries(12) as few:
        coach_client.get(url)
    for i in range(5):
        block.athletes.add(f.make_athlete(coach=coach, race=(5000, 800 + 10 * i)))
    planned.notation = "3x(8x400 @ T (60s)) [60s & 3min]; 20x200 @ R (200 jog)"
    planned.save()
    plan_session(planned)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coach_client.get(url)
    assert len(response.context["athletes"]) == 7
    # the card shows neither the logs nor the watch files: the logs are not read
    with django_assert_max_num_queries(len(few.captured_queries) - 1):
        coach_client.get(reverse("training:session-print", args=[planned.pk]))


def test_the_session_pages_lists_of_logs_and_watch_files_escape_names_as_django_does(
        coach_client, coach, block, planned, athlete, second):
    """The lists of logs and watch files and the delete warning's names (Jinja2 fragments and
    a joined text) write a name as Django's templates escape it, and a log's day as
    ``|date:"D j M"``."""
    from django.template.defaultfilters import date as date_filter

    from sessions.step_rows import short_day_label

    second.display_name = "Ben <b>\"O'Hara\"</b> & co"
    second.save()
    first = f.make_log(session=planned, athlete=athlete, rpe=7, completed=True)
    f.make_log(session=planned, athlete=second, rpe=5, date_done=dt.date(2026, 11, 5))
    html = coach_client.get(reverse("training:session", args=[planned.pk])).content.decode()
    escaped = "Ben &lt;b&gt;&quot;O&#x27;Hara&quot;&lt;/b&gt; &amp; co"
    assert f'<a href="{first.get_absolute_url()}">Ada Miler</a> <span class="muted num">' \
           f'Tue 3 Nov · RPE 7</span> <span class="pill ok">complete</span>' in html
    assert f'{escaped}</a> <span class="muted num">Thu 5 Nov · RPE 5</span> ' \
           '<span class="pill">in progress</span>' in html
    assert f"{escaped}’s workout (.fit)" in html
    assert f"Ada Miler and {escaped} logged results" in html
    assert "<b>\"O" not in html
    for offset in range(0, 400, 13):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=offset)
        assert short_day_label(day) == date_filter(day, "D j M")


def test_the_print_card_has_the_workout_and_every_athletes_targets(coach_client, planned):
    response = coach_client.get(reverse("training:session-print", args=[planned.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="print-card"' in html and "print.css" in html
    assert planned.notation.replace("&", "&amp;") in html
    assert "61.4–64.0" in html and "Ben Runner" in html
    assert "data-print" in html


def test_another_coach_cannot_reach_a_session(client, other_coach, planned):
    client.force_login(other_coach)
    for name in ("training:session", "training:session-edit", "training:session-print"):
        assert client.get(reverse(name, args=[planned.pk])).status_code == 404
    for name in ("training:session-edit", "training:session-delete", "training:session-move",
                 "training:session-copy", "training:session-save-template"):
        assert client.post(reverse(name, args=[planned.pk]), {}).status_code == 404
    assert Session.objects.filter(pk=planned.pk).exists()


def test_an_athlete_cannot_change_a_session(athlete_client, planned):
    assert athlete_client.get(reverse("training:session-edit", args=[planned.pk])).status_code \
        == 404
    assert athlete_client.post(reverse("training:session-delete", args=[planned.pk])).status_code \
        == 404


def test_deleting_a_session_removes_it_and_its_plan(coach_client, planned, block):
    url = reverse("training:session-delete", args=[planned.pk])
    assert coach_client.get(url).status_code == 405
    response = coach_client.post(url)
    assert response["Location"] == block.get_absolute_url()
    assert not Session.objects.exists() and not PlannedStep.objects.exists()


def test_a_session_with_results_is_not_deleted_without_asking(coach_client, planned, athlete):
    f.make_log(session=planned, athlete=athlete, rpe=7)
    response = coach_client.post(reverse("training:session-delete", args=[planned.pk]))
    assert response.status_code == 200
    assert "has results logged by Ada Miler" in response.content.decode()
    assert Session.objects.filter(pk=planned.pk).exists()


# --- templates ------------------------------------------------------------------------------

def test_a_session_is_saved_as_a_template(coach_client, coach, planned):
    url = reverse("training:session-save-template", args=[planned.pk])
    response = coach_client.post(url, {"title": "Tuesday 400s"})
    assert response["Location"] == planned.get_absolute_url()
    template = SessionTemplate.objects.get()
    assert (template.coach, template.title, template.notation) == (coach, "Tuesday 400s", TEXT)


def test_a_template_title_already_taken_asks_before_replacing(coach_client, coach, planned):
    SessionTemplate.objects.create(coach=coach, title="Tuesday 400s", notation="6x1k @ T")
    url = reverse("training:session-save-template", args=[planned.pk])
    response = coach_client.post(url, {"title": "tuesday 400s"})
    assert response.status_code == 200
    assert "You already have a template called “Tuesday 400s”" in response.content.decode()
    assert 'name="replace"' in response.content.decode()
    assert SessionTemplate.objects.get().notation == "6x1k @ T"
    coach_client.post(url, {"title": "Tuesday 400s", "replace": "on"})
    assert SessionTemplate.objects.get().notation == TEXT


def test_the_templates_page_lists_creates_edits_and_deletes_templates(coach_client, coach,
                                                                      other_coach, block):
    SessionTemplate.objects.create(coach=other_coach, title="Not mine", notation="10x1k @ T")
    url = reverse("training:templates")
    response = coach_client.post(url, {"title": "Hills", "notation": "10x1min @ I (90s jog)"})
    assert response["Location"] == url
    template = SessionTemplate.objects.get(coach=coach)
    html = coach_client.get(url).content.decode()
    assert "Hills" in html and "Not mine" not in html
    assert f"{new_url(block)}?template={template.pk}" in html
    bad = coach_client.post(url, {"title": "Broken", "notation": "10x"})
    assert "column" in bad.context["form"].errors["notation"][0]
    edit = reverse("training:template-edit", args=[template.pk])
    coach_client.post(edit, {"title": "Long hills", "notation": "8x2min @ I (2min jog)"})
    template.refresh_from_db()
    assert template.title == "Long hills"
    assert coach_client.get(reverse("training:template-delete", args=[template.pk])) \
        .status_code == 405
    coach_client.post(reverse("training:template-delete", args=[template.pk]))
    assert not SessionTemplate.objects.filter(coach=coach).exists()


def test_another_coachs_template_is_not_found(coach_client, other_coach):
    theirs = SessionTemplate.objects.create(coach=other_coach, title="Theirs", notation="6x1k")
    assert coach_client.get(reverse("training:template-edit", args=[theirs.pk])).status_code \
        == 404
    assert coach_client.post(reverse("training:template-delete", args=[theirs.pk])) \
        .status_code == 404
    assert SessionTemplate.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("target", ["goal", "mile", "race"])
def test_goal_and_race_pace_are_each_athletes_own(coach_client, coach, athlete, second, htmx,
                                                  target):
    """Ada's goal is a 3:55 mile; Ben has none, so his mile comes from his VDOT (a 3:56 mile:
    the equations put his mile at 3:56.0, 29.3 per 200)."""
    block = f.make_block(coach=coach, athletes=(athlete, second), goal_distance_m=MILE,
                         goals={athlete: 235.0})
    response = coach_client.post(preview_url(block), {"notation": f"8x200 @ {target} (200 jog)"},
                                 **htmx)
    row = next(r for r in response.context["preview"].rows if r.kind == "work")
    assert [c.text for c in row.cells] == ["29.2", "29.3"]
    sources = dict(response.context["preview"].sources)
    assert sources["Ada Miler"] == f"{target} pace: goal 3:55 for the mile"
    ben = pace.format_vdot(vdot(MILE, 236))
    assert sources["Ben Runner"] == f"{target} pace: VDOT {ben} from mile 3:56"
    html = response.content.decode()
    assert f"<b>Ben Runner</b> · {target} pace: VDOT {ben}" in html


def test_another_races_pace_comes_from_the_vdot_whatever_the_goal(coach_client, coach, athlete,
                                                                  htmx):
    block = f.make_block(coach=coach, athletes=(athlete,), goal_distance_m=MILE,
                         goals={athlete: 235.0})
    response = coach_client.post(preview_url(block), {"notation": "4x400 @ 1500 (200 jog)"},
                                 **htmx)
    row = next(r for r in response.context["preview"].rows if r.kind == "work")
    assert row.cells[0].text == formats.format_split(
        pace.race_time(vdot(5000, 768), 1500) * 400 / 1500, 400)
    assert response.context["preview"].sources == [
        ("Ada Miler", "1500 pace: VDOT 83.6 from 5000 m 12:48")]


def test_a_coachs_pace_override_wins_over_the_race_results(coach_client, block, athlete, htmx):
    athlete.pace_overrides.create(zone="T", fast_s_per_km=170.0, slow_s_per_km=175.0)
    response = coach_client.post(preview_url(block), {"notation": "5x1k @ T (60s)"}, **htmx)
    row = next(r for r in response.context["preview"].rows if r.kind == "work")
    assert row.cells[0].text == "2:50–2:55"


def test_a_block_without_athletes_still_previews_the_structure(coach_client, coach, htmx):
    block = f.make_block(coach=coach)
    response = coach_client.post(preview_url(block), {"notation": TEXT}, **htmx)
    html = response.content.decode()
    assert response.context["preview"].workout.rep_count == 22
    assert "No athletes in this block yet" in html


def test_a_workout_with_am_and_pm_parts_is_refused_with_a_plain_message(coach_client, coach,
                                                                        athlete):
    from django.urls import reverse

    from sessions.models import Session
    from tests import factories as f

    block = f.make_block(coach=coach, athletes=(athlete,))
    text = "AM: 10x1000 @ 3.0-3.5 mmol (60s); PM: 30min easy"
    response = coach_client.post(reverse("training:session-new", args=[block.pk]), {
        "date": block.start_date, "slot": "AM", "notation": text, "title": "",
        "notes": "", "tolerance_pct": "1.5"})
    assert response.status_code == 200
    assert "save the AM part in the AM slot" in response.content.decode()
    assert text in response.content.decode()
    assert not Session.objects.filter(block=block).exists()
