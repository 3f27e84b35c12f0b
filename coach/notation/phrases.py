"""Amounts and the everyday phrasings around the formal grammar.

``8 x 150m strides``, ``8x60s hill (jog down)``, ``10 x 1min on / 1min off``, ``20x 30/30``,
``... 5min between sets``, ``1-2-3-2-1 min``, ``1600, 1200, 800, 400``, ``WU 2mi``: the rules
``_Parser`` builds on (docs/notation.md, "Everyday phrasings").
"""

from __future__ import annotations

from coach.notation.errors import NotationError
from coach.notation.lexer import _Token
from coach.notation.model import Amount, Recovery
from coach.notation.targets import _TargetReader
from coach.notation.units import _num
from coach.notation.words import (
    _DISTANCE_UNITS,
    _DURATION_UNITS,
    _EASY_PAIRS,
    _EASY_WORDS,
    _KEYWORDS,
    _MODE_WORDS,
    _NOISE_WORDS,
    _ONE_UNIT_WORDS,
    _STYLE_WORDS,
    MAX_REPS,
    EasyKind,
)

# A unit written once at the end of a ladder is for every rung when that reads plausibly.
_LONGEST_RUNG = {False: 42_195.0, True: 3 * 3600.0}  # metres, seconds
_SHORTEST_METRES = 50.0  # a bare rung shorter than this is not metres
_ON_OFF_SECONDS = (10.0, 100.0)  # bare seconds on / off outside this are ambiguous


class _PhraseReader(_TargetReader):
    """Amounts, and the phrasings coaches write around the formal grammar."""

    bare = False  # the last amount read was a number without a unit
    unit = ""  # the unit word of the last amount read, if any
    between: _Token | None = None  # 'between sets' in the part being read

    # amounts

    def amount(self, after: str, *, unit_alone: bool = False) -> Amount:
        """A distance or duration: ``400``, ``1k``, ``2mi``, ``6min``, ``60s``, ``3'``, ``4:00``;
        with ``unit_alone`` also ``mile`` or ``km`` for one of them (``4 x mile``)."""
        token = self.peek()
        self.bare, self.unit = False, ""
        expected = f"expected a distance or duration{' ' + after if after else ''}"
        if token.kind == "time":
            self.take()
            return self.make_amount(token, None, token.value)
        if unit_alone and token.word() in _ONE_UNIT_WORDS:
            self.take()
            return self.make_amount(token, _DISTANCE_UNITS[token.word()], None)
        if token.kind != "num":
            raise self.fail(token, f"{expected}, found {token.quoted()}")
        self.take()
        unit = self.peek()
        word = "" if unit.newline or self.peek(1).sym(":") else unit.word()
        if word and unit.text == "M":
            raise self.fail(unit, "write m for metres, min for minutes or mi for miles")
        if word in _DISTANCE_UNITS:
            self.take()
            self.unit = word
            return self.make_amount(token, token.value * _DISTANCE_UNITS[word], None)
        if word in _DURATION_UNITS:
            self.take()
            self.unit = word
            return self.make_amount(token, None, token.value * _DURATION_UNITS[word])
        if unit.kind == "word" and unit.glued and word not in _KEYWORDS:
            raise self.fail(unit, expected)
        self.bare = True
        return self.make_amount(token, token.value, None)

    def make_amount(self, token: _Token, distance: float | None, duration: float | None) -> Amount:
        try:
            return Amount(distance, duration)
        except ValueError as error:
            reason = str(error).partition(": ")[2]
            raise self.fail(token, f"{token.text}: {reason}") from None

    def mode(self) -> str:
        mode = _MODE_WORDS[self.take().word()]
        if self.peek().word() in _NOISE_WORDS and mode != "rest":
            self.take()
        return mode

    def down_follows(self) -> bool:
        """``jog down``, ``walk down``, ``down``: the way back down a hill."""
        token = self.peek()
        return token.word() == "down" or (
            token.word() in ("jog", "walk", "float") and self.peek(1).word() == "down"
        )

    def down(self) -> Recovery:
        mode = None if self.peek().word() == "down" else self.mode()
        self.take()  # "down"
        return Recovery(down=True, mode=mode)

    # leading words: WU 2mi, warm up 15 min, cool down 2 miles

    def leading_easy(self) -> EasyKind | None:
        """The warm-up or cool-down word written before its amount, taken; else None."""
        token = self.peek()
        pair = _EASY_PAIRS.get((token.word(), self.peek(1).word()))
        words = 2 if pair else 1
        kind = pair or _EASY_WORDS.get(token.word())
        if kind is None or self.peek(words).kind not in ("num", "time"):
            return None
        self.i += words
        return kind

    # rungs of a ladder: 400-800-400, 1-2-3-2-1 min, 1600, 1200, 800, 400

    def rungs(self, first: Amount, start: _Token) -> tuple[Amount, ...]:
        """The rungs after the first, joined by '-' or by commas, with a unit written once at
        the end applied to every bare rung when that reads plausibly."""
        rungs = [(start, first, self.bare)]
        comma = self.peek().sym(",")
        while (self.peek().sym("-") and not comma and self.peek(1).kind in ("num", "time")) or (
            comma and self.peek().sym(",") and self.comma_rep_follows()
        ):
            self.take()
            token = self.peek()
            rungs.append((token, self.amount("after '-'"), self.bare))
            if len(rungs) > MAX_REPS:
                raise self.fail(token, f"a ladder has at most {MAX_REPS} rungs")
        if self.unit in ("", "m") or not any(is_bare for _, _, is_bare in rungs[:-1]):
            return tuple(amount for _, amount, _ in rungs)
        return self.unit_for_every_rung(rungs)

    def comma_rep_follows(self) -> bool:
        """After a comma: is the next part one more bare rep of a list (``1600, 1200``)?"""
        saved, bare, unit = self.i, self.bare, self.unit
        self.take()
        try:
            if self.peek().kind not in ("num", "time"):
                return False
            self.amount("")
            after = self.peek()
            return not (
                after.word() in _KEYWORDS - {"with", "w/", "r", "at", "in", "equal", "then"}
                or after.sym("-", "*", "/", ":")
            )
        except NotationError:
            return False
        finally:
            self.i, self.bare, self.unit = saved, bare, unit

    def unit_for_every_rung(self, rungs: list[tuple[_Token, Amount, bool]]) -> tuple[Amount, ...]:
        unit = self.unit
        timed = unit in _DURATION_UNITS
        scale = _DURATION_UNITS[unit] if timed else _DISTANCE_UNITS[unit]
        bare = [token.value for token, _, is_bare in rungs[:-1] if is_bare]
        if max(bare) * scale <= _LONGEST_RUNG[timed]:  # 1-2-3-2-1 min
            return tuple(
                Amount(*((None, token.value * scale) if timed else (token.value * scale, None)))
                if is_bare and index < len(rungs) - 1
                else amount
                for index, (token, amount, is_bare) in enumerate(rungs)
            )
        if min(bare) >= _SHORTEST_METRES:  # 200-400-1k: metres, then a kilometre
            return tuple(amount for _, amount, _ in rungs)
        last = rungs[-1][1].text
        every = "-".join(
            [f"{t.text}{unit}" if b else a.text for t, a, b in rungs[:-1]] + [last]
        )
        only = "-".join([f"{t.text}m" if b else a.text for t, a, b in rungs[:-1]] + [last])
        raise self.fail(
            rungs[0][0],
            f"is the '{unit}' at the end for every rung ({every}) or only for the last "
            f"({only})? Neither reads as a session: give each rung its unit",
        )

    # kinds of reps: strides, hills, tempo

    def style_words(self) -> tuple[str | None, bool, _Token | None]:
        """(style, tempo, the word's token) after a rep's amount: ``strides``, ``hills``,
        ``tempo``."""
        token = self.peek()
        word = token.word()
        if word in _STYLE_WORDS:
            self.take()
            return _STYLE_WORDS[word], False, token
        if word == "tempo":
            self.take()
            if self.peek().word() == "run":
                self.take()
            return None, True, token
        return None, False, None

    # on/off: 10 x 1min on / 1min off, 20x 30/30, 10x45s/15s

    def on_off(self, work: Amount, start: _Token, counts: str) -> tuple[Amount, Recovery] | None:
        """The work and the recovery of an on/off rep, or None when there is none."""
        token = self.peek()
        words = token.word() == "on"
        if not (words or (token.sym("/") and self.peek(1).kind in ("num", "time"))):
            return None
        work_bare = self.bare
        self.take()
        if words and self.peek().sym("/", ","):
            self.take()
        off_token = self.peek()
        off = self.amount("for the time off, as in 10 x 1min on / 1min off")
        off_bare = self.bare
        if words:
            if self.peek().word() != "off":
                raise self.fail(
                    self.peek(),
                    f"expected 'off' after the time off, as in {counts}1min on / 1min off",
                )
            self.take()
        bare = [(t, v) for t, v, b in ((start, work, work_bare), (off_token, off, off_bare)) if b]
        if bare:
            low, high = _ON_OFF_SECONDS
            values = [t.value for t, _ in bare]
            on, off_text = start.text, off_token.text
            written = f"'{on} on {off_text} off'" if words else f"'{on}/{off_text}'"
            if min(values) < low:
                raise self.fail(
                    start,
                    f"{written}: bare numbers on and off are seconds, and {_num(min(values))} s "
                    f"is very short: for minutes write {counts}{on}min/{off_text}min, for "
                    f"seconds {counts}{on}s/{off_text}s",
                )
            if max(values) >= high:
                raise self.fail(
                    start,
                    f"{written}: bare numbers on and off are seconds, and {_num(max(values))} s "
                    f"is long for that: for metres write {counts}{on} ({off_text}m), for "
                    f"seconds {counts}{on}s/{off_text}s",
                )
            if work_bare:
                work = Amount(duration_s=start.value)
            if off_bare:
                off = Amount(duration_s=off_token.value)
        return work, Recovery(off.distance_m, off.duration_s)

    # sets in words: 3 sets of 5 x 200 ... 5min between sets

    def between_follows(self) -> bool:
        """``between sets``, ``between each set``: next, not taken."""
        if self.peek().word() != "between":
            return False
        ahead = 2 if self.peek(1).word() == "each" else 1
        return self.peek(ahead).word() in ("sets", "set")

    def take_between(self) -> None:
        self.between = self.peek()
        self.i += 3 if self.peek(1).word() == "each" else 2
