"""Expansion: a workout's parts as the flat list of steps (``Workout.steps``).

Warm-up, each rep, each recovery, set rests, rest parts and cool-down, in order; the rules for
which recovery follows which rep are in docs/notation.md, "Recoveries".
"""

from __future__ import annotations

from dataclasses import replace

from coach.notation import model as m
from coach.notation.words import StepKind


class _Expander:
    """Turns parts into steps. A recovery waits in ``pending`` until the next rep needs it."""

    def __init__(self, parts: tuple[m.Part, ...]) -> None:
        self.parts = parts
        self.steps: list[m.Step] = []
        self.pending: tuple[m.Recovery, bool] | None = None
        self.last_rep: m.Step | None = None
        self.rep_number = 0
        self.part_index = 0
        self.label: str | None = None
        self.set_index = 1
        self.rep_index = 0
        self.nested = 0

    def run(self) -> tuple[m.Step, ...]:
        totals = [m._rep_total(p) for p in self.parts]
        for index, part in enumerate(self.parts):
            if index and part.label != self.label:
                self.pending = None  # AM and PM are separate sessions
            self.part_index, self.label = index, part.label
            if isinstance(part, m.EasyRun):
                kind: StepKind
                if part.kind != "easy":
                    kind = part.kind
                elif not any(totals[:index]):
                    kind = "warmup"
                elif not any(totals[index + 1 :]):
                    kind = "cooldown"
                else:
                    kind = "rest"
                self._easy(part, kind)
            else:
                self._part(part)
        return tuple(self.steps)

    def _set(self, index: int) -> None:
        if not self.nested:
            self.set_index, self.rep_index = index, 0

    def _part(self, part: m.Part) -> None:
        if isinstance(part, m.RepGroup):
            for set_index in range(1, part.sets + 1):
                self._set(set_index)
                for rep in range(part.reps):
                    series = (part.series[rep],) if part.series else ()
                    self._rep(part.work, part.targets + series, part.style)
                    ends_set = rep == part.reps - 1 and part.set_recovery is not None
                    self._wait(part.set_recovery if ends_set else part.recovery, ends_set)
        elif isinstance(part, m.Ladder):
            self._set(1)
            for index, work in enumerate(part.works):
                series = (part.series[index],) if part.series else ()
                self._rep(work, part.targets + series)
                ends = index == len(part.works) - 1 and part.set_recovery is not None
                self._wait(part.set_recovery if ends else part.recovery, ends)
        elif isinstance(part, m.SetGroup):
            for set_index in range(1, part.sets + 1):
                self._set(set_index)
                self.nested += 1
                for inner in part.parts:
                    self._part(inner)
                self.nested -= 1
                if part.set_recovery is not None:
                    self._wait(part.set_recovery, True)
        elif isinstance(part, m.Rest):
            self.pending = None
            self._add("rest", part.amount, f"{part.amount.name} {part.mode}", mode=part.mode)
        else:
            assert isinstance(part, m.EasyRun)
            self._easy(part, "rest")

    def _easy(self, part: m.EasyRun, kind: StepKind) -> None:
        self.pending = None
        word = {"warmup": "warm-up", "cooldown": "cool-down", "easy": "easy"}[part.kind]
        mode = "easy" if part.kind == "easy" else None  # ``45min easy`` is an easy run
        self._add(kind, part.amount, f"{part.amount.name} {word}", mode=mode)

    def _add(self, kind: StepKind, amount: m.Amount, name: str, mode: str | None = None) -> None:
        self.steps.append(
            m.Step(
                kind=kind,
                name=name,
                distance_m=amount.distance_m,
                duration_s=amount.duration_s,
                mode=mode,
                label=self.label,
                part_index=self.part_index,
            )
        )

    def _wait(self, recovery: m.Recovery | None, set_rest: bool) -> None:
        self.pending = None if recovery is None else (recovery, set_rest)

    def _rep(self, work: m.Amount, targets: tuple[m.Target, ...], style: str | None = None) -> None:
        if self.pending is not None and self.last_rep is not None:
            recovery, set_rest = self.pending
            rep = self.last_rep
            distance, duration, mode = recovery.distance_m, recovery.duration_s, recovery.mode
            if recovery.equal:
                duration = rep.rep_seconds
            if recovery.down:  # the way back down: as far as the rep went, time unknown
                distance, mode = rep.distance_m, recovery.text
            # The recovery stands where its rep does: the rep's label, part, set and numbers.
            self.steps.append(replace(
                rep, kind="recovery", name=recovery.name, distance_m=distance,
                duration_s=duration, targets=(), mode=mode, equal=recovery.equal,
                set_rest=set_rest, down=recovery.down,
            ))
        self.pending = None
        self.rep_number += 1
        self.rep_index += 1
        step = m.Step(
            kind="work",
            name=work.name,
            distance_m=work.distance_m,
            duration_s=work.duration_s,
            targets=targets,
            mode=style,
            label=self.label,
            part_index=self.part_index,
            set_index=self.set_index,
            rep_index=self.rep_index,
            rep_number=self.rep_number,
        )
        self.steps.append(step)
        self.last_rep = step
