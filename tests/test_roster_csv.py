"""Roster CSV: a preview of every row, all rows written in one transaction or none; export."""

import csv
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from athletes import actions
from athletes.models import Athlete, Squad, User
from athletes.roster_csv import CSVFormatError, plan_rows, read_rows
from tests import factories as f

IMPORT = reverse("athletes:import")
HEADER = "name,email,main event,squad,coach email\n"


def _upload(text: str, name: str = "roster.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _preview(client, text: str, **extra):
    return client.post(IMPORT, {"file": _upload(text), "send_links": "on", **extra})


def _confirm(client, text: str, **extra):
    """Confirm what a preview showed (the digest ties the confirm to that preview)."""
    preview = client.post(IMPORT, {"text": text, **extra}).content.decode()
    match = re.search(r'name="digest" value="([0-9a-f]+)"', preview)
    digest = match.group(1) if match else ""
    return client.post(IMPORT, {"text": text, "confirm": "1", "digest": digest, **extra})


def _counts():
    return User.objects.count(), Athlete.objects.count(), Squad.objects.count()


@pytest.fixture
def good_csv(coach, other_coach):
    return HEADER + (
        "Ivy Newcomer,ivy@example.org,5k,Milers,coach@example.org\n"
        "Jon Snow,JON@example.org,1500 m,Milers,\n"
        "Kim Park,kim@example.org,,Hills,coach@example.org othercoach@example.org\n"
    )


def test_the_preview_lists_every_row_with_what_will_happen_and_writes_nothing(
        admin_client_, good_csv):
    before = _counts()
    response = _preview(admin_client_, good_csv)
    html = response.content.decode()
    assert response.status_code == 200
    assert _counts() == before
    assert "Preview: 3 rows" in html
    for row in (2, 3, 4):
        assert f'id="import-row-{row}"' in html
    assert "Creates an account for Ivy Newcomer." in html
    assert "Creates the squad Milers." in html and "Creates the squad Hills." in html
    assert "Coached by Carla Coach." in html and "Coached by Otto Other." in html
    assert "Import 3 rows" in html


def test_confirming_writes_every_row_and_emails_the_links(admin_client_, good_csv,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _confirm(admin_client_, good_csv, send_links="on")
    assert "Imported 3 rows" in response.content.decode()
    ivy = Athlete.objects.get(user__email="ivy@example.org")
    assert (ivy.display_name, ivy.main_event, ivy.squad.name) == ("Ivy Newcomer", "5k", "Milers")
    assert [c.username for c in ivy.coaches.all()] == ["coach"]
    jon = Athlete.objects.get(user__username="jon@example.org")
    assert jon.squad == ivy.squad and jon.main_event == "1500"
    kim = Athlete.objects.get(display_name="Kim Park")
    assert kim.squad.name == "Hills" and kim.coaches.count() == 2
    assert Squad.objects.filter(name="Milers").count() == 1
    assert not ivy.user.has_usable_password()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ivy@example.org", "jon@example.org", "kim@example.org"]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_confirming_without_links_sends_no_email(admin_client_, good_csv,
                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(admin_client_, good_csv)
    assert Athlete.objects.count() == 3
    assert not mail.outbox


def test_one_bad_row_writes_nothing_and_names_the_row_and_the_problem(admin_client_, coach):
    text = HEADER + (
        "Ivy Newcomer,ivy@example.org,5k,Milers,coach@example.org\n"
        "Lee Bad,not-an-email,10k,,\n"
        "Kim Park,kim@example.org,,Hills,\n"
    )
    before = _counts()
    for response in (_preview(admin_client_, text), _confirm(admin_client_, text)):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Nothing will be imported: 1 row has problems." in html
        assert "Row 3: “not-an-email” is not an email address." in html
        assert "Import 3 rows" not in html
    assert _counts() == before
    assert not mail.outbox


@pytest.mark.parametrize("row,problem", [
    (",ivy@example.org,,,", "The name is missing."),
    ("Ivy,,,,", "The email is missing."),
    ("Ivy,ivy@example.org,2 miles,,", "Unknown main event “2 miles”"),
    ("Ivy,ivy@example.org,,,nobody@example.org", "No coach has the email nobody@example.org."),
    ("Ivy,ivy@example.org,,,plain@example.org",
     "Pat Plain (plain@example.org) is not an active coach."),
    ("Ivy,ivy@example.org,," + "S" * 101, "The squad name is longer than 100 characters."),
    ("I" * 101 + ",ivy@example.org,,,", "The name is longer than 100 characters."),
])
def test_each_kind_of_bad_row_is_named(admin_client_, row, problem):
    f.make_user(username="plain", first_name="Pat", last_name="Plain")
    html = _preview(admin_client_, HEADER + row + "\n").content.decode()
    assert f"Row 2: {problem}" in html
    assert not Athlete.objects.exists()


def test_an_email_twice_in_the_file_is_an_error_on_the_second_row(admin_client_):
    text = HEADER + "Ivy,ivy@example.org,,,\n\nIvy Again,IVY@example.org,,,\n"
    html = _preview(admin_client_, text).content.decode()
    assert "Row 4: The email ivy@example.org is also on row 2." in html  # blank row 3 counted


def test_a_row_for_someone_on_the_roster_updates_them(admin_client_, athlete, other_coach):
    text = HEADER + f"Ada Miler,{athlete.user.email},mile,Milers,othercoach@example.org\n"
    html = _preview(admin_client_, text).content.decode()
    assert "Main event becomes Mile." in html
    assert "Moves to Milers." in html and "Coached by Otto Other." in html
    _confirm(admin_client_, text)
    athlete.refresh_from_db()
    assert (athlete.main_event, athlete.squad.name) == ("mile", "Milers")
    assert set(athlete.coaches.all()) == {athlete.coaches.get(username="coach"), other_coach}
    assert User.objects.filter(email=athlete.user.email).count() == 1


def test_a_coach_in_the_file_gets_an_athlete_profile(admin_client_, coach):
    text = HEADER + f"Carla Racing,{coach.email},5k,,\n"
    assert "Adds an athlete profile to Carla Coach" in _preview(
        admin_client_, text).content.decode()
    _confirm(admin_client_, text)
    assert Athlete.objects.get(user=coach).display_name == "Carla Racing"


def test_an_export_imports_again_without_changes(admin_client_, athlete, other_athlete, coach):
    squad = f.make_squad(name="Milers", coaches=(coach,))
    athlete.squad = squad
    athlete.save()
    exported = admin_client_.get(reverse("athletes:export")).content.decode("utf-8")
    html = _preview(admin_client_, exported).content.decode()
    assert html.count("Already on the roster: no change.") == 2
    assert "error-box" not in html


def test_the_whole_file_is_refused_when_it_cannot_be_read(admin_client_):
    html = _preview(admin_client_, "full name,mail\nIvy,ivy@example.org\n").content.decode()
    assert "missing: name, email" in html
    response = admin_client_.post(IMPORT, {"file": SimpleUploadedFile(
        "r.csv", "name,email\nZoë,zoe@example.org\n".encode("latin-1"))})
    assert "The file is not UTF-8 text" in response.content.decode()
    response = admin_client_.post(IMPORT, {"text": "  "})
    assert "Choose a CSV file or paste the rows." in response.content.decode()
    assert not Athlete.objects.exists()


def test_pasted_rows_separated_by_semicolons_with_a_bom_are_read(admin_client_):
    text = "\ufeffName;E-mail;Main_Event\nIvy Newcomer;ivy@example.org;5000 m\n"
    with pytest.raises(CSVFormatError):  # "e-mail" is not a column we know
        read_rows(text)
    text = text.replace("E-mail", "Email")
    ((number, row),) = read_rows(text)
    assert number == 2
    assert row == {"name": "Ivy Newcomer", "email": "ivy@example.org", "main event": "5000 m"}
    _confirm(admin_client_, text)
    assert Athlete.objects.get().main_event == "5k"


def test_the_import_answers_htmx_with_its_panel(admin_client_, good_csv, htmx):
    response = admin_client_.post(IMPORT, {"file": _upload(good_csv)}, **htmx)
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="import-panel">')


def test_the_import_writes_all_rows_in_one_transaction(db, coach, admin_user):
    plans = plan_rows(read_rows(HEADER + "Ivy,ivy@example.org,,Milers,\nJon,jon@example.org,,,\n"),
                      actor=admin_user)
    f.make_user(username="jon@example.org")  # appears after the preview was made
    with pytest.raises(IntegrityError):
        actions.import_roster(plans)
    assert not Athlete.objects.exists()
    assert not Squad.objects.exists()
    assert not User.objects.filter(username="ivy@example.org").exists()


def test_import_roster_refuses_rows_with_errors(db, admin_user):
    plans = plan_rows(read_rows(HEADER + "Ivy,bad,,,\n"), actor=admin_user)
    with pytest.raises(ValueError, match="errors"):
        actions.import_roster(plans)


def test_a_confirm_writes_nothing_when_the_roster_changed_since_the_preview(admin_client_,
                                                                           good_csv):
    preview = _preview(admin_client_, good_csv).content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview).group(1)
    f.make_athlete(name="Ivy Early",
                   user=User.objects.create_user(username="ivy", email="ivy@example.org"))
    html = admin_client_.post(IMPORT, {"text": good_csv, "confirm": "1",
                                       "digest": digest}).content.decode()
    assert "The roster changed since the preview, so nothing was imported." in html
    assert "Moves to Milers." in html  # Ivy's row is an update now, and the preview says so
    assert Athlete.objects.count() == 1


def test_a_confirm_without_a_preview_writes_nothing(admin_client_, good_csv):
    admin_client_.post(IMPORT, {"text": good_csv, "confirm": "1"})
    assert not Athlete.objects.exists()


# --- export -------------------------------------------------------------------------------

def test_the_export_has_the_import_columns_and_marks_who_left(admin_client_, athlete,
                                                              other_athlete):
    other_athlete.user.is_active = False
    other_athlete.user.save()
    response = admin_client_.get(reverse("athletes:export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="roster-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["name", "email", "main event", "squad", "coach email", "active"]
    assert rows[1] == ["Ada Miler", athlete.user.email, "1500 m", "", "coach@example.org", "yes"]
    assert rows[2][0] == "Bea Other" and rows[2][-1] == "no"


def test_the_export_keeps_spreadsheets_from_running_formulas(admin_client_):
    f.make_athlete(name="=HYPERLINK(evil)")
    text = admin_client_.get(reverse("athletes:export")).content.decode("utf-8-sig")
    assert "'=HYPERLINK(evil)" in text


def test_the_export_query_count_does_not_grow(admin_client_, coach,
                                              django_assert_max_num_queries):
    for _ in range(30):
        f.make_athlete(coach=coach, squad=f.make_squad())
    with django_assert_max_num_queries(6):
        admin_client_.get(reverse("athletes:export"))
