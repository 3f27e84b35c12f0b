"""Create the demo club: an admin, a coach, two milers, a Flagstaff altitude block with one log,
and the sea-level block before it, where Tom ran the same 400s and 200s twice (spelled
differently), so the log shows "This workout before"."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from athletes.models import Absence, Athlete, RaceResult, Reason, Squad, User
from coach import formats
from sessions.conversation import post_comment
from sessions.logbook import finish_log, save_rep, start_log, update_log
from sessions.models import AthleteGoal, Block, Session, SessionLog, Slot
from sessions.planning import plan_session
from sessions.versions import save_versions

# Not a secret (bandit exception): published on purpose; DEBUG off -> random ones
PASSWORD = "demo-training-2026"  # nosec B105
BLOCK_TITLE = "Flagstaff altitude block"
TZ = "America/Phoenix"

PEOPLE = [
    # username, first, last, staff, coach
    ("admin", "Alex", "Admin", True, False),
    ("coach", "Carla", "Reyes", False, True),
    ("tom", "Tom", "Keane", False, False),
    ("sam", "Sam", "Okafor", False, False),
]
ATHLETES = {
    "tom": ("Tom Keane", "mile", [(5000, "13:32.4", 160, "Payton Jordan 5000"),
                                   (1609.344, "3:56.8", 95, "Night of 10,000 PBs")]),
    "sam": ("Sam Okafor", "1500", [(5000, "14:05.0", 150, "Stanford 5000"),
                                    (1500, "3:41.5", 110, "BMC Grand Prix")]),
}
# Each athlete's goal for the block's goal race, the Bowerman Mile: their own, not the squad's.
GOALS = {"tom": "3:55.0", "sam": "4:02.0"}

# (day offset from the block's start, slot, title, notation)
FIRST_WEEK = [
    (0, Slot.AM, "Easy run", "50min easy"),
    (1, Slot.AM, "Threshold-plus 400s & mile-pace 200s",
     "2mi WU; 12x400 @ T+ (200 jog) & 10x200 @ mile (200 jog); 2mi CD"),
    (1, Slot.PM, "Shakeout", "30min easy"),
    (2, Slot.AM, "Easy run & strides", "45min easy; 6x100 @ R (100 walk)"),
    (3, Slot.AM, "Lactate-guided threshold", "2k WU; 5x6min @ 2.5 mmol (1min); 2k CD"),
    (3, Slot.PM, "Threshold 1000s", "2k WU; 10x1000 @ 3.0-3.5 mmol (60s); 2k CD"),
    (4, Slot.AM, "Easy run", "60min easy"),
    (5, Slot.AM, "Threshold & speed", "2mi WU; 6x1k @ T 60s; 5' jog; 4x200 @ R (200 jog); 2mi CD"),
    (6, Slot.AM, "Long run", "90min easy"),
]
LOGGED = 1  # the index in FIRST_WEEK of the session Tom has logged
INJURED = (2, 4)  # Tom's days out (offsets from the block's start, both included)
# Sam's own, shorter version of that session (the squad's is Tom's): fewer reps, same targets.
SAM_VERSION = "2mi WU; 10x400 @ T+ (200 jog) & 8x200 @ mile (200 jog); 2mi CD"
TOM_SPLITS = [  # 12x400 at T+ (altitude-adjusted) then 10x200 at mile pace: (time, HR, lactate)
    ("70.2", 171, None), ("69.8", 174, None), ("69.9", 176, 3.1), ("69.5", 177, None),
    ("69.6", 178, None), ("69.9", 178, 3.6), ("69.3", 179, None), ("69.7", 180, None),
    ("69.4", 180, 3.9), ("70.0", 181, None), ("69.2", 181, None), ("68.6", 183, 4.4),
    ("29.6", 172, None), ("29.3", 175, None), ("29.4", 176, None), ("29.2", 177, None),
    ("29.5", 178, None), ("29.3", 178, None), ("30.1", 179, None), ("29.4", 180, None),
    ("29.1", 181, None), ("28.8", 183, 6.8),
]
# The block before, at sea level: the same workout twice, written another way each time
# (docs/notation.md, "The same workout"), logged by Tom; (day offset, title, notation, 400s,
# 200s, RPE). Targets differ from the altitude block's: the key leaves them out.
EARLIER_TITLE = "Winter base block"
EARLIER_WEEKS = 6
EARLIER = [
    (8, "400s and 200s", "3k WU; 12 x 400m @ 66 (200m jog); 10 x 200m @ 30 (200m jog); 3k CD",
     [66.4, 66.1, 66.0, 65.8, 66.2, 65.9, 66.0, 65.7, 65.9, 65.6, 65.8, 65.2],
     [30.2, 30.0, 29.9, 30.1, 29.8, 29.9, 29.7, 29.8, 29.6, 29.3], 7),
    (29, "400s and 200s, faster",
     "2mi WU; 12x400 @ 65 (200 jog) & 10x200 @ 29.5 (200 jog); 2mi CD",
     [65.4, 65.2, 65.0, 65.1, 64.9, 65.0, 64.8, 64.9, 64.7, 64.8, 64.6, 64.1],
     [29.6, 29.4, 29.5, 29.3, 29.4, 29.2, 29.3, 29.1, 29.2, 28.9], 8),
]


class Command(BaseCommand):
    help = (
        "Create the demo club (admin, coach, two athletes in a squad, a 4-week Flagstaff "
        "altitude block with a full first week, one logged session, Sam's own version of it and "
        "three days Tom is out injured, and a sea-level block before it with two logged runs of "
        "the same workout) and print the logins. "
        "Idempotent: an existing demo is left as it is. With DEBUG off (a server others can "
        "reach) the accounts get random passwords, printed this once, instead of the published "
        "demo password: the admin is a superuser."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/",
                            help="where the server answers, for the last line "
                                 "(make run passes its HOST and PORT)")

    def handle(self, *args, url: str, **options) -> None:
        published = settings.DEBUG or settings.TESTING
        self.passwords: dict[str, str] = {}
        with transaction.atomic():
            created = self.create(published=published)
        self.stdout.write(
            self.style.SUCCESS("Demo data created.") if created else "Demo data already present."
        )
        if published:
            self.stdout.write(f"\nDemo logins (password for all: {PASSWORD})")
        elif self.passwords:
            self.stdout.write("\nDemo logins (DEBUG is off, so each account has its own random "
                              "password, shown only this once):")
        else:
            self.stdout.write("\nDemo logins (their passwords were printed when they were "
                              "created; an admin can make a set-password link):")
        for username, first, last, staff, coach in PEOPLE:
            role = "admin" if staff else "coach" if coach else "athlete"
            password = self.passwords.get(username, "")
            self.stdout.write(f"  {role:8} {username:6} {first} {last}  {password}".rstrip())
        self.stdout.write(f"Open {url} and log in.\n")

    def create(self, *, published: bool = True) -> bool:
        if Block.objects.filter(title=BLOCK_TITLE, coach__username="coach").exists():
            return False
        users = {}
        for username, first, last, staff, coach in PEOPLE:
            user, made = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "is_staff": staff,
                          "is_superuser": staff, "is_coach": coach,
                          "email": f"{username}@example.org"},
            )
            if made:
                password = PASSWORD if published else secrets.token_urlsafe(12)
                if not published:
                    self.passwords[username] = password
                user.set_password(password)
                user.save()
            users[username] = user
        squad, _ = Squad.objects.get_or_create(name="Milers")
        squad.coaches.add(users["coach"])
        athletes = []
        for username, (name, event, races) in ATHLETES.items():
            athlete, made = Athlete.objects.get_or_create(
                user=users[username],
                defaults={"display_name": name, "main_event": event, "squad": squad},
            )
            if made:
                today = dt.date.today()
                # on the club's books before the history below (the coach's figures count an
                # athlete's sessions from the day they joined: sessions/training_load.py)
                Athlete.objects.filter(pk=athlete.pk).update(
                    created=timezone.now() - dt.timedelta(weeks=EARLIER_WEEKS + 4))
                for distance, time, days_ago, race_name in races:
                    RaceResult.objects.create(
                        athlete=athlete, distance_m=distance, time_s=formats.parse_time(time),
                        date=today - dt.timedelta(days=days_ago), race_name=race_name,
                    )
            athletes.append(athlete)

        # Today falls in the block's first week, so the athletes' home shows a session.
        local_today = timezone.now().astimezone(zoneinfo.ZoneInfo(TZ)).date()
        start = local_today - dt.timedelta(days=3)
        end = start + dt.timedelta(days=27)
        block = Block.objects.create(
            coach=users["coach"], title=BLOCK_TITLE, start_date=start, end_date=end,
            place="Flagstaff, Arizona", altitude_m=2100, time_zone=TZ,
            goal_race_name="Bowerman Mile", goal_race_date=end, goal_distance_m=formats.MILE,
            notes="Four weeks at 2,100 m. Threshold by lactate, speed kept at sea-level pace "
                  "with longer recoveries. Race week at the end.",
        )
        block.athletes.set(athletes)
        AthleteGoal.objects.bulk_create(
            AthleteGoal(block=block, athlete=athlete, time_s=formats.parse_time(GOALS[username]))
            for username, athlete in zip(ATHLETES, athletes, strict=True)
        )
        sessions = []
        for offset, slot, title, text in FIRST_WEEK:
            session = Session.objects.create(
                block=block, date=start + dt.timedelta(days=offset), slot=slot, title=title,
                notation=text,
            )
            plan_session(session)
            sessions.append(session)
        save_versions(sessions[LOGGED], {athletes[1].pk: SAM_VERSION})
        plan_session(sessions[LOGGED])
        self.log_earlier(users["coach"], athletes, before=start)
        log = self.log_session(sessions[LOGGED], athletes[0])
        self.talk_about(log, coach=users["coach"])
        # Tom is injured for three days after the session he logged (yesterday to tomorrow):
        # those sessions are unavailable for him, not missed.
        Absence.objects.create(
            athlete=athletes[0], start=start + dt.timedelta(days=INJURED[0]),
            end=start + dt.timedelta(days=INJURED[1]), reason=Reason.INJURED,
            note="Sore Achilles: physio, then back on the track", created_by=users["coach"],
        )
        return True

    def log_earlier(self, coach: User, athletes: list[Athlete], *, before: dt.date) -> None:
        """The sea-level block that ended before the altitude block, and Tom's two logs of the
        workout he runs again at altitude."""
        start = before - dt.timedelta(weeks=EARLIER_WEEKS)
        block = Block.objects.create(
            coach=coach, title=EARLIER_TITLE, start_date=start,
            end_date=before - dt.timedelta(days=1), place="Home track", time_zone=TZ,
            notes="Base work at sea level before Flagstaff.",
        )
        block.athletes.set(athletes)
        for offset, title, text, fours, twos, rpe in EARLIER:
            session = Session.objects.create(
                block=block, date=start + dt.timedelta(days=offset), title=title, notation=text)
            plan_session(session)
            log = start_log(session, athletes[0])
            for rep, seconds in zip(log.reps.order_by("position"), fours + twos, strict=True):
                save_rep(rep, {"actual_s": seconds})
            update_log(log, {"rpe": rpe})
            finish_log(log)

    def log_session(self, session: Session, athlete: Athlete) -> SessionLog:
        """Tom's log, written through the same functions as the log form."""
        log = start_log(session, athlete)
        for rep, (time, hr, lactate) in zip(
            log.reps.order_by("position"), TOM_SPLITS, strict=True
        ):
            save_rep(rep, {"actual_s": formats.parse_time(time), "avg_hr": hr, "lactate": lactate})
        update_log(log, {
            "rpe": 8, "duration_s": 95 * 60, "feeling": "Strong; last 200s felt quick",
            "notes": "Windy on the back straight. Lactate taken every third 400.",
        })
        finish_log(log)
        return log

    def talk_about(self, log: SessionLog, *, coach: User) -> None:
        """A short thread under Tom's log: his note, a remark on rep 5, the coach's private
        note and her reply (which Tom has not read yet)."""
        tom = log.athlete.user
        post_comment(log, author=tom, body="Controlled through the 400s. The 200s felt "
                                           "quicker than the watch says.")
        post_comment(log, author=tom, body="Felt the wind on the back straight.",
                     rep=log.reps.get(position=5))
        post_comment(log, author=coach, private=True,
                     body="Lactate 4.4 after the last 400: watch his recovery this week.")
        post_comment(log, author=coach, body="Great control: all twelve within a second. "
                                             "Next time hold the first 200 back a touch.")
