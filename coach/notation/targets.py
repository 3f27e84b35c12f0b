"""Reading targets: ``@ T+``, ``@ 64-65``, ``@ 3:05/km``, ``@ 10k/5k/3k pace``, ``@ 2.5 mmol``,
``@ 150 bpm``, ``@ RPE 7`` and a bare rep time in brackets, ``(64)``.
"""

from __future__ import annotations

from coach.formats import parse_time
from coach.notation.errors import NotationError
from coach.notation.lexer import _Cursor, _Token
from coach.notation.model import Amount, Target
from coach.notation.words import (
    _KEYWORDS,
    _PACE_UNIT_WORDS,
    _RACE_KS,
    _RACE_METRES,
    _RACE_WORDS,
    _SECONDS_WORDS,
    _TARGET_HELP,
    RACE_NAMES,
    TargetKind,
)
from coach.pace import ZONES


class _TargetReader(_Cursor):
    """The rules for targets, which ``_Parser`` builds on."""

    def targets(
        self, works: tuple[Amount, ...] | None, count: int | None
    ) -> tuple[tuple[Target, ...], tuple[Target, ...], _Token | None]:
        """``@ tgt, tgt`` or ``(64)``: (targets, race-pace series, first target token)."""
        token = self.peek()
        if token.sym("@") or token.word() == "at":
            self.take()
            first = self.peek()
            targets: list[Target] = []
            series: tuple[Target, ...] = ()
            while True:
                start = self.peek()
                target = self.target()
                if isinstance(target, tuple):
                    if series:
                        raise self.fail(start, "only one list of race paces per part")
                    if count is not None and len(target) != count:
                        raise self.fail(
                            start,
                            f"{len(target)} race paces for {count} reps: give one per rep",
                        )
                    series = target
                else:
                    if (
                        target.kind == "time"
                        and works is not None
                        and any(w.duration_s is not None for w in works)
                    ):
                        raise self.fail(
                            start,
                            "a rep time needs a distance: give a timed rep a pace (3:05/km), "
                            "a zone or a race pace",
                        )
                    targets.append(target)
                if self.peek().sym(",") and self.target_follows():
                    self.take()
                    continue
                return tuple(targets), series, first
        if token.word() == "in" and self.peek(1).kind in ("num", "time"):  # 6 x 800 in 2:20
            self.take()
            start = self.peek()
            time = self.time_range()
            if time.kind == "time" and works is not None and any(
                w.duration_s is not None for w in works
            ):
                raise self.fail(start, "a time 'in' needs a distance rep, as in 6 x 800 in 2:20")
            return (time,), (), start
        if token.sym("(") and self.paren_time():
            self.take()
            start = self.peek()
            time = self.time_range()
            self.take()  # ")"
            if works is not None and any(w.duration_s is not None for w in works):
                raise self.fail(start, "a rep time in brackets needs a distance rep")
            return (time,), (), start
        return (), (), None

    def paren_time(self) -> bool:
        """Whether ``(`` starts a bare rep time: ``(64)``, ``(56")``, ``(1:04-1:05)``."""
        if self.peek(1).kind not in ("num", "time"):
            return False
        if self.peek(2).sym(")"):
            return True
        return (
            self.peek(2).sym("-") and self.peek(3).kind in ("num", "time") and self.peek(4).sym(")")
        )

    def target_follows(self) -> bool:
        """After a comma: does a target follow (else the comma separates parts)?"""
        saved = self.i
        self.take()
        try:
            self.target()
        except NotationError:
            return False
        else:
            after = self.peek()
            return (
                after.kind in ("end", "num", "time")
                or after.sym(",", "(", "[", ")", "]", "&", "+", ";")
                or after.word() in ("w/", "with", "r", "equal", "then")
            )
        finally:
            self.i = saved

    def target(self) -> Target | tuple[Target, ...]:
        token = self.peek()
        word = token.word()
        if token.kind == "word":
            if token.text in ZONES:
                self.take()
                if self.peek().word() == "pace":
                    self.take()
                return Target("zone", name=token.text)
            if word in _RACE_WORDS:
                return self.races()
            if word == "rpe":
                self.take()
                lo, hi = self.number_range("RPE")
                return self.make_target(token, "rpe", lo, hi)
            if token.text.upper() in ZONES:
                raise self.fail(token, f"zones are written in capitals: {token.text.upper()}")
            raise self.fail(token, f"unknown target '{token.text}': expected {_TARGET_HELP}")
        if token.kind == "num":
            unit = self.peek(1)
            if unit.word() in ("k", "km") and token.text in _RACE_KS:
                return self.races()
            if unit.word() == "m" and token.text in _RACE_METRES:  # 800m pace, 5000m
                return self.races()
            if unit.word() in ("mmol", "bpm"):
                return self.measured()
            if token.text in ("800", "1500") and not (
                unit.sym("-")
                or (unit.sym("/") and self.peek(2).word() in ("km", "k", "mi"))
                or (unit.sym("/") and self.peek(2).text == "400")
            ):
                return self.races()
            if unit.sym("-") and self.peek(3).word() in ("mmol", "bpm"):
                return self.measured()
        if token.kind in ("num", "time"):
            return self.time_range()
        raise self.fail(token, f"expected a target after '@': {_TARGET_HELP}")

    def number_range(self, what: str) -> tuple[float, float]:
        token = self.peek()
        if token.kind != "num":
            raise self.fail(token, f"expected a number after {what}")
        self.take()
        lo = hi = token.value
        if self.peek().sym("-"):
            self.take()
            second = self.peek()
            if second.kind != "num":
                raise self.fail(second, f"expected a number after '-' in {what}")
            self.take()
            hi = second.value
        return min(lo, hi), max(lo, hi)

    def measured(self) -> Target:
        token = self.peek()
        lo, hi = self.number_range("a lactate or heart-rate range")
        unit = self.take().word()
        if unit == "mmol" and self.peek().sym("/") and self.peek(1).word() == "l":
            self.i += 2
        return self.make_target(token, "lactate" if unit == "mmol" else "hr", lo, hi)

    def make_target(
        self, token: _Token, kind: TargetKind, lo: float, hi: float, unit: str | None = None
    ) -> Target:
        try:
            return Target(kind, lo, hi, unit)
        except ValueError as error:
            raise self.fail(token, str(error)) from None

    def time_range(self) -> Target:
        """``64``, ``64-65``, ``64s``, ``3:05/km``, ``3:00-3:05/km``, ``72/400``."""
        token = self.take()
        lo = hi = self.time_value(token)
        if self.peek().sym("-"):
            self.take()
            second = self.peek()
            if second.kind not in ("num", "time"):
                raise self.fail(second, "expected a time after '-'")
            self.take()
            hi = self.time_value(second)
        lo, hi = min(lo, hi), max(lo, hi)
        if self.peek().sym("/"):
            self.take()
            unit_token = self.take()
            unit = _PACE_UNIT_WORDS.get(unit_token.word())
            if unit is None and unit_token.text == "400":
                unit = "400"
                if self.peek().word() == "m" and self.peek().glued:
                    self.take()
            if unit is None:
                raise self.fail(unit_token, "expected km, mi or 400 after '/' in a pace")
            if self.peek().word() == "pace":
                self.take()
            return self.make_target(token, "pace", lo, hi, unit)
        if self.peek().word() in _SECONDS_WORDS and token.kind == "num":
            self.take()
        return self.make_target(token, "time", lo, hi)

    def time_value(self, token: _Token) -> float:
        after = self.peek()
        if after.glued and (
            (after.kind == "word" and after.word() not in _KEYWORDS | _SECONDS_WORDS)
            or after.kind in ("num", "time")
            or after.sym(".", ":")
        ):
            raise self.fail(token, f'"{self.run(token)}" is not a time')
        if token.kind == "time":
            return token.value
        try:
            return parse_time(token.text)
        except ValueError as error:
            raise self.fail(token, str(error)) from None

    def race_name(self) -> str:
        token = self.peek()
        word = token.word()
        if word in _RACE_WORDS:
            self.take()
            return _RACE_WORDS[word]
        if token.kind == "num":
            if token.text in _RACE_METRES and self.peek(1).word() == "m":
                self.i += 2
                return _RACE_METRES[token.text]
            if token.text in ("800", "1500"):
                self.take()
                return token.text
            if token.text in _RACE_KS and self.peek(1).word() in ("k", "km"):
                self.i += 2
                return _RACE_KS[token.text]
        raise self.fail(
            token,
            f"expected a race: {', '.join(RACE_NAMES)}; found {token.quoted()}",
        )

    def races(self) -> Target | tuple[Target, ...]:
        """``mile``, ``5k pace``, ``10k/5k/3k/mile pace`` (a list: one per rep)."""
        names = [self.race_name()]
        while self.peek().sym("/"):
            self.take()
            names.append(self.race_name())
        if self.peek().word() == "pace":
            self.take()
        targets = tuple(Target("race", name=name) for name in names)
        return targets[0] if len(targets) == 1 else targets
