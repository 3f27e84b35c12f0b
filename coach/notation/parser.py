"""The parser: ``parse(text)`` reads a workout as a coach writes it.

One pass over the tokens with bounded look-ahead. The grammar, and the choices made where a
text could be read two ways, are in docs/notation.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from coach.notation import model as m
from coach.notation.checks import _speed_warnings
from coach.notation.errors import NotationError
from coach.notation.lexer import _Token
from coach.notation.phrases import _PhraseReader
from coach.notation.text import _part_text
from coach.notation.units import _num
from coach.notation.words import (
    _AND_SEPS,
    _EASY_PAIRS,
    _EASY_WORDS,
    _MODE_WORDS,
    _SEP_SYMBOLS,
    _SHAPE_WORDS,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_REPS,
)
from coach.notation.workout import Workout

_PART_HELP = (
    "expected a workout part such as 6x400, 3x(4x400), 400-800-400, 2mi WU or 5' jog, found "
)
_T = m.Target("zone", name="T")


def _tempo_targets(targets: tuple[m.Target, ...]) -> tuple[m.Target, ...]:
    """Tempo is the T zone: first, unless T is written already."""
    return targets if _T in targets else (_T, *targets)


def _is_x(token: _Token) -> bool:
    return token.word() == "x" or token.sym("*")


def _is_sep(token: _Token) -> bool:
    return (token.kind == "sym" and token.text in _SEP_SYMBOLS) or token.word() == "then"


@dataclass
class _Parsed:
    """A part as parsed, with what the sequence needs to know about it."""

    part: m.Part
    col: int
    with_recovery: bool = False


class _Parser(_PhraseReader):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0
        self.warnings: list[str] = []

    # workout and sequences

    def workout(self) -> Workout:
        first = self.peek()
        if first.kind == "end":
            note = ": nothing before the '#' note" if self.note else ""
            raise NotationError(1, f"empty workout{note}")
        parsed = self.sequence(nested=False)
        token = self.peek()
        if token.kind != "end":
            raise self.fail(
                token,
                f"unexpected {token.quoted()}: expected a separator (; & + , then) or the end",
            )
        total = 0
        for item in parsed:
            total += m._rep_total(item.part)
            if total > MAX_REPS:
                raise NotationError(
                    item.col, f"that makes {total} reps: a workout has at most {MAX_REPS}"
                )
        parts = tuple(item.part for item in parsed)
        self.warnings.extend(_speed_warnings(parts))
        return Workout(parts=parts, note=self.note, warnings=tuple(dict.fromkeys(self.warnings)))

    def sequence(self, *, nested: bool) -> list[_Parsed]:
        parsed: list[_Parsed] = []
        seps: list[str] = []
        label: str | None = None
        while True:
            token = self.peek()
            if token.kind == "word" and self.peek(1).sym(":"):
                if nested:
                    raise self.fail(token, "a label (AM:) goes before a part, not inside brackets")
                if not token.text.isalpha():
                    raise self.fail(token, f"a label is one word of letters, not '{token.text}'")
                label = token.text
                self.i += 2
            parsed.append(self.part(label))
            token = self.peek()
            if _is_sep(token):
                self.take()
                seps.append(token.text)
                after = self.peek()
                if after.kind == "end" or (nested and after.sym(")")):
                    break
                continue
            if token.newline and token.kind != "end" and not token.sym(")"):
                seps.append("\n")
                continue
            break
        self.spread_with(parsed, seps)
        return parsed

    def spread_with(self, parsed: list[_Parsed], seps: list[str]) -> None:
        """A ``with`` recovery after &-joined parts without their own applies to all of them."""
        for k, item in enumerate(parsed):
            if not item.with_recovery:
                continue
            source = item.part
            assert isinstance(source, m.RepGroup | m.Ladder)
            j = k - 1
            while (
                j >= 0
                and seps[j] in _AND_SEPS
                and isinstance(parsed[j].part, m.RepGroup | m.Ladder)
                and parsed[j].part.recovery is None  # type: ignore[union-attr]
                and parsed[j].part.label == source.label
            ):
                j -= 1
            if j == k - 1:
                continue
            names = " & ".join(_part_text(p.part) for p in parsed[j + 1 : k])
            for other in parsed[j + 1 : k]:
                other.part = replace(
                    other.part,  # type: ignore[arg-type]
                    recovery=source.recovery,
                    set_recovery=source.set_recovery,
                )
            assert source.recovery is not None
            self.warnings.append(
                f"the recovery 'with {source.recovery.text}' was applied to {names} too: check "
                "that is what you meant"
            )

    # parts

    def part(self, label: str | None) -> _Parsed:
        token = self.peek()
        if token.kind == "word":
            return self.worded_part(token, label)
        if token.kind == "num" and self.peek(1).word() in ("sets", "set"):
            sets = self.count(token)
            self.i += 2
            if self.peek().word() == "of" or _is_x(self.peek()):
                self.take()
            if self.peek().sym("("):
                return _Parsed(self.set_group(sets, label), token.col)
            if not (self.peek().kind == "num" and _is_x(self.peek(1))):
                raise self.fail(
                    self.peek(),
                    f"expected the reps of each set, as in {sets} sets of 5x200 or "
                    f"{sets} sets of (4x400; 800)",
                )
            count, x = self.count(self.peek()), self.peek(1)
            self.i += 2
            return self.counted(token, count, x, sets, label)
        if token.kind == "num" and _is_x(self.peek(1)):
            count = self.count(token)
            x = self.peek(1)
            self.i += 2
            if self.peek().sym("("):
                return _Parsed(self.set_group(count, label), token.col)
            sets = 1
            if self.peek().kind == "num" and _is_x(self.peek(1)):
                sets, count, x = count, self.count(self.peek()), self.peek(1)
                self.i += 2
                if self.peek().sym("("):
                    raise self.fail(self.peek(), "a group of sets takes one count: 3x(4x400)")
            return self.counted(token, count, x, sets, label)
        if token.kind in ("num", "time"):
            work = self.amount("")
            after = self.peek()
            if (after.sym("-") and self.peek(1).kind in ("num", "time")) or (
                after.sym(",") and self.comma_rep_follows()
            ):
                return self.rep_part(token, self.rungs(work, token), 1, 1, label)
            kind = _EASY_WORDS.get(after.word()) or _EASY_PAIRS.get(
                (after.word(), self.peek(1).word())
            )
            if kind is not None:
                self.i += 1 if after.word() in _EASY_WORDS else 2
                return _Parsed(m.EasyRun(work, kind, label=label), token.col)
            if after.word() in _MODE_WORDS and not self.down_follows():
                return _Parsed(m.Rest(work, self.mode(), label=label), token.col)
            if label is not None and label.casefold() in _EASY_WORDS:
                self.warnings.append(
                    f"'{label}: {work.text}' is read as one rep of {work.name}; for easy "
                    f"running write '{work.text} {label}'"
                )
            return self.rep_part(token, (work,), 1, 1, label)
        raise self.fail(token, _PART_HELP + token.quoted())

    def worded_part(self, token: _Token, label: str | None) -> _Parsed:
        """A part led by a word: ``WU 2mi``, ``tempo 5k``, ``ladder 400-800-400``."""
        kind = self.leading_easy()
        if kind is not None:
            return _Parsed(m.EasyRun(self.amount(""), kind, label=label), token.col)
        word = token.word()
        following = self.peek(1)
        if word in _SHAPE_WORDS and following.kind in ("num", "time"):
            self.take()
            parsed = self.part(label)
            if not isinstance(parsed.part, m.Ladder):
                raise self.fail(
                    token,
                    f"'{token.text}' names amounts joined by '-', as in {word} "
                    "400-800-1200-800-400",
                )
            return parsed
        if word == "tempo" and (following.kind in ("num", "time") or following.word() == "run"):
            self.i += 2 if following.word() == "run" else 1
            parsed = self.part(label)
            if not isinstance(parsed.part, m.RepGroup | m.Ladder):
                raise self.fail(token, "tempo is reps or a run at T, as in tempo 5k")
            parsed.part = replace(parsed.part, targets=_tempo_targets(parsed.part.targets))
            return parsed
        raise self.fail(token, _PART_HELP + token.quoted())

    def counted(
        self, start: _Token, count: int, x: _Token, sets: int, label: str | None
    ) -> _Parsed:
        """The amount after ``12 x`` or ``4 x 3 x``, and the rest of the part."""
        work_token = self.peek()
        work = self.amount(f"after '{x.text}'", unit_alone=True)
        if self.peek().sym("-") and self.peek(1).kind in ("num", "time"):
            raise self.fail(
                self.peek(), "a ladder takes no rep count: write 2x(400-800-400) for sets"
            )
        return self.rep_part(start, (work,), count, sets, label, work_token)

    def count(self, token: _Token) -> int:
        if not token.text.isdecimal():
            raise self.fail(token, f"a rep count is a whole number, not {token.text}")
        if len(token.text) > 6 or not 1 <= int(token.text) <= MAX_REPS:
            raise self.fail(token, f"a rep count goes from 1 to {MAX_REPS}, not {token.text}")
        return int(token.text)

    def rep_part(
        self,
        start: _Token,
        works: tuple[m.Amount, ...],
        reps: int,
        sets: int,
        label: str | None,
        work_token: _Token | None = None,
    ) -> _Parsed:
        self.between = None
        style, tempo, style_token = self.style_words()
        if style is not None and len(works) > 1:
            assert style_token is not None
            raise self.fail(style_token, f"{style} are reps of one amount, as in 8 x 150m {style}")
        counts = (f"{sets}x" if sets > 1 else "") + (f"{reps}x" if reps > 1 or sets > 1 else "")
        on_off = self.on_off(works[0], work_token or start, counts) if len(works) == 1 else None
        if on_off is not None:
            works = (on_off[0],)
        targets, series, target_token = self.targets(works, len(works) if len(works) > 1 else reps)
        if tempo:
            targets = _tempo_targets(targets)
        recovery, set_recovery, via_with = self.recovery(has_target=bool(targets or series))
        recovery, set_recovery, via_with = self.between_sets(recovery, set_recovery, via_with)
        if on_off is not None:
            if set_recovery is not None:
                raise self.fail(self.peek(), "the time off is the recovery after each rep")
            recovery, set_recovery = on_off[1], recovery
        if self.between is not None and sets == 1:
            raise self.fail(
                self.between, "a rest between sets needs sets: write how many, as in 3 sets of "
                f"{reps if reps > 1 else 5}x{works[0].text}",
            )
        if recovery is None and set_recovery is not None and len(works) == 1:
            inner = m.RepGroup(works[0], reps, 1, targets, series, style=style)
            return _Parsed(m.SetGroup(sets, (inner,), set_recovery, label=label), start.col)
        try:
            part: m.Part
            if len(works) > 1:
                part = m.Ladder(works, targets, series, recovery, set_recovery, label=label)
            else:
                part = m.RepGroup(works[0], reps, sets, targets, series, recovery, set_recovery,
                                  style, label=label)
        except ValueError as error:  # pragma: no cover - the parser checks first
            raise self.fail(target_token or start, str(error)) from None
        return _Parsed(part, start.col, via_with)

    def set_group(self, sets: int, label: str | None) -> m.SetGroup:
        opening = self.take()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(opening, f"set groups are nested at most {MAX_DEPTH} deep")
        inner = self.sequence(nested=True)
        self.expect_close(opening)
        self.depth -= 1
        for item in inner:
            if isinstance(item.part, m.EasyRun) and item.part.kind != "easy":
                raise NotationError(
                    item.col, "a warm-up or cool-down cannot be repeated inside a set"
                )
        parts = tuple(item.part for item in inner)
        if not any(m._rep_total(p) for p in parts):
            raise self.fail(opening, "a set needs reps, as in 3x(4x400)")
        targets, series, target_token = self.targets(None, None)
        recovery, set_recovery, _ = self.recovery(has_target=bool(targets or series))
        recovery, set_recovery, _ = self.between_sets(recovery, set_recovery, False)
        if set_recovery is None:
            recovery, set_recovery = None, recovery
        try:
            pushed = tuple(_push_down(p, targets, series, recovery) for p in parts)
        except ValueError as error:
            assert target_token is not None
            raise self.fail(target_token, str(error)) from None
        return m.SetGroup(sets, pushed, set_recovery, label=label)

    # recoveries

    def recovery(self, *, has_target: bool) -> tuple[m.Recovery | None, m.Recovery | None, bool]:
        """(rep rest, set rest, written with 'with' or 'w/')."""
        token = self.peek()
        if token.sym("(", "["):
            self.take()
            first = self.rec(has_target)
            second = None
            if self.peek().sym("/", "&"):
                self.take()
                second = self.rec(has_target)
            self.expect_close(token)
            return first, second, False
        word = token.word()
        if word in ("w/", "with") or token.text == "r":
            self.take()
            first, second = self.rec_pair(has_target)
            return first, second, word != "r"
        if (token.kind in ("num", "time") and not token.newline) or word == "equal" or (
            self.down_follows() and not token.newline
        ):
            first, second = self.rec_pair(has_target)
            return first, second, False
        return None, None, False

    def rec_pair(self, has_target: bool) -> tuple[m.Recovery, m.Recovery | None]:
        first = self.rec(has_target)
        if self.peek().sym("/"):
            self.take()
            return first, self.rec(has_target)
        return first, None

    def between_sets(
        self, first: m.Recovery | None, second: m.Recovery | None, via_with: bool
    ) -> tuple[m.Recovery | None, m.Recovery | None, bool]:
        """``5min between sets`` after the rep rest, or the only rest written, is the set rest."""
        if self.between_follows():
            self.take_between()
            return (None, first, False) if second is None else (first, second, False)
        token = self.peek()
        if second is not None or token.newline:
            return first, second, via_with
        saved, warnings = self.i, len(self.warnings)
        if token.word() in ("w/", "with"):
            self.take()
        if self.peek().kind in ("num", "time"):
            try:
                rest = self.rec(has_target=True)
            except NotationError:
                rest = None
            if rest is not None and self.between_follows():
                self.take_between()
                return first, rest, via_with
        self.i = saved
        del self.warnings[warnings:]
        return first, second, via_with

    def rec(self, has_target: bool) -> m.Recovery:
        """``200 jog``, ``60s``, ``3'``, ``equal time jog``, ``jog down``."""
        token = self.peek()
        if self.down_follows():
            return self.down()
        if token.word() == "equal":
            self.take()
            if self.peek().word() == "time":
                self.take()
            mode = self.mode() if self.peek().word() in _MODE_WORDS else None
            return m.Recovery(equal=True, mode=mode)
        if token.kind not in ("num", "time"):
            raise self.fail(
                token,
                f"expected a recovery such as 200 jog, 60s or equal time, found {token.quoted()}",
            )
        amount = self.amount("for the recovery")
        mode = self.mode() if self.peek().word() in _MODE_WORDS else None
        if (
            token.kind == "num"
            and amount.distance_m is not None
            and amount.distance_m < 100
            and self.tokens[self.i - 1] is token
        ):
            self.warnings.append(
                f"the recovery '{token.text}' is read as {_num(amount.distance_m)} m; for "
                f"seconds write {token.text}s"
                + ("" if has_target else f", for a rep time write @ {token.text}")
            )
        return m.Recovery(amount.distance_m, amount.duration_s, mode=mode)


def _push_down(
    part: m.Part,
    targets: tuple[m.Target, ...],
    series: tuple[m.Target, ...],
    recovery: m.Recovery | None,
) -> m.Part:
    """Apply a set group's targets and rep rest to the parts inside it."""
    if isinstance(part, m.SetGroup):
        return replace(
            part, parts=tuple(_push_down(p, targets, series, recovery) for p in part.parts)
        )
    if not isinstance(part, m.RepGroup | m.Ladder):
        return part
    if series and part.series:
        raise ValueError("only one list of race paces per part")
    changes: dict[str, object] = {
        "targets": part.targets + targets,
        "series": part.series or series,
    }
    if part.recovery is None and recovery is not None:
        changes["recovery"] = recovery
    return replace(part, **changes)  # type: ignore[arg-type]


def parse(text: str) -> Workout:
    """Read a workout as a coach writes it. Raises ``NotationError`` naming the column."""
    if len(text) > MAX_LENGTH:
        raise NotationError(
            MAX_LENGTH + 1,
            f"the workout is {len(text)} characters long; at most {MAX_LENGTH}",
            text,
        )
    parser: _Parser | None = None
    try:
        parser = _Parser(text)
        return parser.workout()
    except NotationError as error:
        error.text = text
        raise
    except ValueError as error:  # pragma: no cover - a rule the parser failed to check first
        column = parser.peek().col if parser else 1
        raise NotationError(column, str(error), text) from error
