"""The roster in a real browser: an admin adds an athlete to a squad, gives the squad a coach,
and that coach finds the athlete on their home; managing a row in place, its forms loaded
when "Manage" is opened (or, without JavaScript, on a page of their own)."""

import re

import pytest
from playwright.sync_api import expect

from athletes.models import Athlete
from tests import factories as f
from tests.conftest import close_and_settle, hold_script, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch_console(page) -> list[str]:
    """Script errors, Content-Security-Policy refusals and failed requests (/favicon.ico
    included: the project serves it)."""
    problems = []

    def console(message):
        if message.type == "error" and "Failed to load resource" not in message.text:
            problems.append(message.text)

    def response(r):
        if r.status >= 400:
            problems.append(f"{r.status} {r.url}")

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", response)
    return problems


def test_an_admin_adds_an_athlete_and_a_squad_coach_who_then_sees_them(page, live_server):
    f.make_user(username="admin", is_staff=True)
    f.make_coach(username="carla", first_name="Carla", last_name="Coach")
    f.make_squad(name="Milers")
    problems = _watch_console(page)
    login(page, live_server, "admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Roster")

    page.get_by_text("Add an athlete").click()
    adding = page.locator("#athlete-form")
    adding.get_by_label("Name").fill("Ivy Newcomer")
    adding.get_by_label("Email").fill("ivy@example.org")
    adding.get_by_label("Main event").select_option(label="5000 m")
    adding.get_by_label("Squad").select_option(label="Milers")
    adding.get_by_role("button", name="Add athlete").click()
    expect(adding.get_by_text("Ivy Newcomer is on the roster.")).to_be_visible()
    link = page.get_by_label("Set-password link").input_value()
    assert re.match(rf"{live_server.url}/accounts/reset/\w+/[\w-]+/$", link)
    adding.get_by_role("button", name="Copy").click()
    expect(adding.get_by_role("button", name=re.compile("Copied|Press Ctrl"))).to_be_visible()

    milers = page.locator(".squad-card", has_text="Milers")
    expect(milers.get_by_role("heading", name="Athletes 1")).to_be_visible()  # refreshed
    milers.get_by_text("Show", exact=True).click()  # the card's athletes load when opened
    expect(milers.get_by_role("link", name="Ivy Newcomer")).to_be_visible()
    expect(milers.get_by_text("Hide", exact=True)).to_be_visible()  # the toggle says what it does
    expect(milers.get_by_text("Show", exact=True)).to_be_hidden()
    results = page.locator("#athlete-results")
    expect(results.get_by_role("link", name="Ivy Newcomer")).to_be_visible()

    milers.get_by_label("Coach to add to Milers").select_option(label="Carla Coach")
    milers.get_by_role("button", name="Add coach").click()
    expect(milers.get_by_text("Carla Coach coaches Milers now.")).to_be_visible()
    ivy_row = page.locator(".roster-row", has_text="Ivy Newcomer")
    expect(ivy_row.get_by_text("Carla Coach (squad)")).to_be_visible()  # the list followed
    assert page.url.endswith("/roster/")  # all in place, no page load
    assert not problems, problems

    page.context.clear_cookies()
    login(page, live_server, "carla")
    expect(page.get_by_role("heading", level=1)).to_have_text("Planning")
    expect(page.get_by_role("link", name="Ivy Newcomer")).to_be_visible()


def test_an_admin_manages_an_athletes_row_in_place(page, live_server):
    f.make_user(username="admin", is_staff=True)
    coach = f.make_coach(username="otto", first_name="Otto", last_name="Other")
    f.make_squad(name="Milers")
    athlete = f.make_athlete(name="Ada Miler")
    problems = _watch_console(page)
    login(page, live_server, "admin")

    row = page.locator(f"#athlete-row-{athlete.pk}")
    row.get_by_text("Manage").click()
    row.get_by_label("Squad").select_option(label="Milers")
    row.get_by_role("button", name="Move").click()
    expect(row.get_by_text("Ada Miler: Moved to Milers.")).to_be_visible()
    row.get_by_label("Coach").select_option(label="Otto Other")
    row.get_by_role("button", name="Assign").click()
    expect(row.get_by_text("Otto Other coaches Ada Miler now.")).to_be_visible()

    page.once("dialog", lambda dialog: dialog.accept())  # data-confirm asks first
    row.get_by_role("button", name="Mark as left…").click()
    expect(row.get_by_text("Ada Miler has left; their history is kept.")).to_be_visible()
    expect(row.locator(".pill.alt")).to_have_text("left")
    row.get_by_role("button", name="Reactivate").click()
    expect(row.get_by_text("Ada Miler is back.")).to_be_visible()

    athlete = Athlete.objects.select_related("user", "squad").get(pk=athlete.pk)
    assert athlete.squad.name == "Milers" and athlete.user.is_active
    assert list(athlete.coaches.all()) == [coach]

    page.get_by_label("Search").fill("nobody-matches")
    expect(page.locator("#athlete-results")).to_contain_text("No athlete matches.")
    page.get_by_label("Search").fill("ada")
    expect(page.locator("#athlete-results")).to_contain_text("1 athlete matches")
    assert "q=ada" in page.url  # the filter is in the address, so a reload keeps it
    assert not problems, problems


def test_manage_loads_a_rows_forms_once_from_the_keyboard(page, live_server):
    f.make_user(username="admin", is_staff=True)
    f.make_squad(name="Milers")
    athlete = f.make_athlete(name="Ada Miler")
    problems = _watch_console(page)
    loads = []
    page.on("request", lambda r: loads.append(r.url) if "/manage/" in r.url else None)
    login(page, live_server, "admin")

    row = page.locator(f"#athlete-row-{athlete.pk}")
    expect(row.get_by_label("Squad")).to_have_count(0)  # the page came without the forms
    summary = row.locator("summary")
    assert summary.bounding_box()["height"] >= 44  # a finger's target
    summary.focus()
    page.keyboard.press("Enter")
    expect(row.get_by_label("Squad")).to_be_visible()
    page.keyboard.press("Tab")  # from "Manage" to the first form's field
    expect(row.get_by_label("Squad")).to_be_focused()
    summary.click()  # closed, opened again: the forms stay, not fetched again
    summary.click()
    expect(row.get_by_role("button", name="Move")).to_be_visible()
    assert len(loads) == 1, loads
    assert not problems, problems


def test_without_javascript_manage_leads_to_the_rows_forms(browser, live_server):
    f.make_user(username="admin", is_staff=True)
    f.make_squad(name="Milers")
    athlete = f.make_athlete(name="Ada Miler")
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, live_server, "admin")
        row = page.locator(f"#athlete-row-{athlete.pk}")
        row.get_by_text("Manage").click()
        row.get_by_role("link", name="Squad, coaches and account of Ada Miler").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Manage Ada Miler")
        page.get_by_label("Squad").select_option(label="Milers")
        page.get_by_role("button", name="Move").click()
        expect(page.get_by_text("Ada Miler: Moved to Milers.")).to_be_visible()
        assert page.url.endswith(f"/roster/athletes/{athlete.pk}/manage/")  # back on its page
        expect(page.get_by_label("Squad")).to_have_value(str(Athlete.objects.get(
            pk=athlete.pk).squad_id))  # the forms, drawn again
    finally:
        close_and_settle(context)
    assert Athlete.objects.get(pk=athlete.pk).squad.name == "Milers"


def test_a_csv_import_with_a_bad_row_writes_nothing_in_the_browser(page, live_server, tmp_path):
    f.make_user(username="admin", is_staff=True)
    csv_file = tmp_path / "roster.csv"
    csv_file.write_text("name,email,main event,squad,coach email\n"
                        "Ivy Newcomer,ivy@example.org,5k,Milers,\n"
                        "Lee Bad,not-an-email,10k,,\n")
    login(page, live_server, "admin")
    page.get_by_role("link", name="Import CSV").click()
    page.wait_for_load_state("load")  # htmx set up: the preview comes in place
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Row 3: “not-an-email” is not an email address.")
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    assert not Athlete.objects.exists()

    csv_file.write_text("name,email,main event,squad,coach email\n"
                        "Ivy Newcomer,ivy@example.org,5k,Milers,\n")
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Import 1 row").click()
    expect(page.get_by_role("heading", name="Imported 1 row")).to_be_visible()
    assert Athlete.objects.get().squad.name == "Milers"


PHONE = {"width": 390, "height": 844}
CSV_ROWS = "name,email,main event,squad,coach email\n" + "\n".join(
    f"Alexandria Verylongname{i},alexandria.verylongname{i}@example-university-athletics.org,"
    f"1500 m,Distance Squad {i}," for i in range(3))


def test_the_import_page_fits_a_phone_before_and_after_the_preview(page, live_server):
    f.make_user(username="admin", is_staff=True)
    page.set_viewport_size(PHONE)
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/roster/import/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Or paste the rows").fill(CSV_ROWS)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview: 3 rows")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_admin_pages_load_without_a_failed_request(page, live_server):
    f.make_user(username="admin", is_staff=True, is_superuser=True)
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(f.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto(f"{live_server.url}/admin/athletes/raceresult/")
    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.ok and "svg" in icon.headers["content-type"]
    assert not failed, failed


def test_a_search_typed_before_the_page_s_scripts_arrived_filters_the_list(page, live_server):
    """A slow signal: the roster shows while its scripts are on their way (htmx sets the page
    up only after them) and the admin types a name in Search; when they arrive the list
    follows what the box says, without another keystroke."""
    f.make_user(username="admin", is_staff=True)
    f.make_athlete(name="Ada Miler")
    f.make_athlete(name="Ben Runner")
    login(page, live_server, "admin")
    release = hold_script(page, "roster.js")
    page.goto(f"{live_server.url}/roster/", wait_until="commit")
    page.get_by_label("Search").fill("ada")
    release()
    results = page.locator("#athlete-results")
    expect(results).to_contain_text("1 athlete matches")
    expect(results.get_by_role("link", name="Ada Miler")).to_be_visible()
    expect(results.get_by_role("link", name="Ben Runner")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"q=ada"))


def test_manage_and_show_opened_before_the_page_s_scripts_arrived_load_when_they_do(
        page, live_server):
    """A slow signal: the admin opens a row's "Manage" and a squad's "Show" while the scripts
    are on their way (htmx sets the page up only after them, so it never sees those toggles);
    when they arrive, both load into their open <details>."""
    f.make_user(username="admin", is_staff=True)
    squad = f.make_squad(name="Milers")
    athlete = f.make_athlete(name="Ada Miler", squad=squad)
    problems = _watch_console(page)
    login(page, live_server, "admin")
    release = hold_script(page, "roster.js")
    page.goto(f"{live_server.url}/roster/", wait_until="commit")
    row = page.locator(f"#athlete-row-{athlete.pk}")
    row.get_by_text("Manage").click()
    milers = page.locator(".squad-card", has_text="Milers")
    milers.get_by_text("Show", exact=True).click()
    expect(row.locator("details")).to_have_attribute("open", "")
    release()
    expect(row.get_by_label("Squad")).to_be_visible()
    expect(milers.get_by_role("link", name="Ada Miler")).to_be_visible()
    assert not problems, problems


def test_a_failed_load_is_tried_again_on_the_next_opening(page, live_server):
    """A row's forms (a server error) and a card's athletes (no signal) that fail to load
    are fetched again when opened again, and only until they have loaded."""
    f.make_user(username="admin", is_staff=True)
    squad = f.make_squad(name="Milers")
    athlete = f.make_athlete(name="Ada Miler", squad=squad)
    login(page, live_server, "admin")
    loads = []

    def fail_first(route):
        loads.append(route.request.url)
        if len([u for u in loads if u == route.request.url]) > 1:
            route.continue_()
        elif "/manage/" in route.request.url:
            route.fulfill(status=500, body="boom")
        else:
            route.abort()

    page.route(re.compile(r".*/roster/(athletes/\d+/manage|squads/\d+/athletes)/$"), fail_first)
    page.goto(f"{live_server.url}/roster/")

    row = page.locator(f"#athlete-row-{athlete.pk}")
    summary = row.locator("summary")
    summary.click()
    expect(page.get_by_text("The server had a problem (error 500)")).to_be_visible()
    fallback = row.get_by_role("link", name="Squad, coaches and account of Ada Miler")
    expect(fallback).to_be_visible()  # still there, and still leads to the forms
    summary.click()
    summary.click()
    expect(row.get_by_label("Squad")).to_be_visible()
    summary.click()
    summary.click()  # loaded: not fetched a third time
    expect(row.get_by_role("button", name="Move")).to_be_visible()

    milers = page.locator(".squad-card", has_text="Milers")
    show = milers.locator("summary")
    show.click()
    expect(page.get_by_text("No connection to the server")).to_be_visible()
    fallback = milers.get_by_role("link", name="The athletes of Milers in the list below")
    expect(fallback).to_be_visible()
    show.click()
    show.click()
    expect(milers.get_by_role("link", name="Ada Miler")).to_be_visible()
    show.click()
    show.click()
    expect(milers.get_by_role("link", name="Ada Miler")).to_be_visible()
    assert len(loads) == 4, loads  # each failed once, then loaded once
