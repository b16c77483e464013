"""Read the MRZ of a document held up to a camera.

``read_frame`` locates, rectifies and recognises one frame; the text goes
through ``drivers.mrz.parse_mrz`` (check digits, OCR corrections).
``MrzVoter`` accepts a document only when its check digits pass and a number
of frames (default 2) agree, and reports it once while it stays in view.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import cv2
import numpy as np

from drivers.camera import locate, ocrb

Image = np.ndarray[Any, Any]

# ICAO 9303 field positions per layout: field -> (line, start, end); names as in `mrz parse`
_TD3 = {"document_code": (0, 0, 2), "issuing_state": (0, 2, 5), "names": (0, 5, 44),
        "document_number": (1, 0, 10), "nationality": (1, 10, 13), "birth_date": (1, 13, 20),
        "sex": (1, 20, 21), "expiry_date": (1, 21, 28), "optional_data": (1, 28, 43),
        "composite_check": (1, 43, 44)}  # fmt: skip
_TD2 = {**_TD3, "names": (0, 5, 36), "optional_data": (1, 28, 35), "composite_check": (1, 35, 36)}
_TD1 = {"document_code": (0, 0, 2), "issuing_state": (0, 2, 5), "document_number": (0, 5, 15),
        "optional_data": (0, 15, 30), "birth_date": (1, 0, 7), "sex": (1, 7, 8),
        "expiry_date": (1, 8, 15), "nationality": (1, 15, 18), "optional_data_2": (1, 18, 29),
        "composite_check": (1, 29, 30), "names": (2, 0, 30)}  # fmt: skip
IDENTITY = ("document_code", "issuing_state", "document_number", "surname", "given_names",
            "nationality", "birth_date", "sex", "expiry_date", "optional_data")  # fmt: skip
FIELDS = {30: _TD1, 36: _TD2, 44: _TD3}
MIN_CHAR_CONFIDENCE = 0.3
ALT_MIN, ALT_SURE, ALT_SPOTS = 0.05, 0.95, 10  # runners-up worth a try, and how many
ALT_FAILING = 2  # more failing check digits: a misread beyond one or two cells (or no MRZ)


@dataclass(frozen=True)
class MrzRead:
    """The MRZ text recognised in one frame, with what the parser made of it."""

    raw: tuple[str, ...]  # as recognised, before the parser's corrections
    confidence: tuple[tuple[float, ...], ...]  # per character, 0..1
    result: Any  # drivers.mrz.MrzResult
    quad: tuple[tuple[float, float], ...]  # the zone's corners in the frame
    elapsed_ms: float = 0.0

    @property
    def valid(self) -> bool:
        """True when every check digit passed, the state codes are known, no character a guess.

        A character the recogniser gave less than ``MIN_CHAR_CONFIDENCE`` makes
        the read unsure: check digits alone let a wrong document number through
        now and then (one in ten for a random change). No check digit covers the
        issuing state or nationality: one that is not an ICAO 9303 code (``MLD``
        for ``MDA``, a digit in it) is more likely misread than real, so such a
        read is not accepted from a camera (``mrz read`` still shows it, flagged
        in ``known_codes`` and ``warnings``).
        """
        least = min((min(row) for row in self.confidence if row), default=0.0)
        codes = dict(getattr(self.result, "known_codes", ()))
        known = False not in codes.values()
        return bool(getattr(self.result, "valid", False)) and known and least >= MIN_CHAR_CONFIDENCE

    def field_confidence(self) -> dict[str, float]:
        """Per field: the lowest character probability in it (0..1)."""
        layout = FIELDS.get(len(self.raw[0]), {})
        out: dict[str, float] = {}
        for name, (row, start, end) in layout.items():
            if row < len(self.confidence):
                out[name] = round(min(self.confidence[row][start:end], default=0.0), 3)
        names = out.pop("names", None)
        if names is not None:
            out["surname"] = out["given_names"] = names
        return out

    def overall(self) -> float:
        """One figure for the whole zone: the lowest field confidence."""
        return min(self.field_confidence().values(), default=0.0)


def to_gray(frame: Image) -> Image:
    """A grey copy of a BGR, BGRA or grey frame."""
    if frame.ndim == 2:
        return frame
    code = cv2.COLOR_BGRA2GRAY if frame.shape[2] == 4 else cv2.COLOR_BGR2GRAY
    return cv2.cvtColor(frame, code)


def inks(frame: Image, colour: bool) -> list[Image]:
    """The grey frame, then (``colour``) one where only dark, colourless ink stays dark.

    In the second each pixel takes its brightest colour channel: the MRZ is
    printed black, while red boxes and rings drawn over a scan, stamps and
    tinted guilloche are bright in at least one channel and fade out.
    """
    gray = to_gray(frame)
    if not colour or frame.ndim == 2 or frame.shape[2] < 3:
        return [gray]
    return [gray, np.max(frame[..., :3], axis=2)]


def parse(lines: Sequence[str], max_corrections: int = 2) -> Any:
    """``drivers.mrz.parse_mrz`` on the lines, or None when they are not an MRZ."""
    from drivers.mrz import NotAnMrz, parse_mrz

    try:
        return parse_mrz(list(lines), max_corrections=max_corrections)
    except NotAnMrz:
        return None


def recognise(zone: locate.Zone, model: ocrb.Model | None = None) -> list[list[tuple[str, float]]]:
    """Characters and probabilities per line of a rectified zone."""
    return [[alts[0] for alts in row] for row in recognise_ranked(zone, model)]


Ranked = list[list[list[tuple[str, float]]]]  # per line, per cell: the likeliest characters


def recognise_ranked(zone: locate.Zone, model: ocrb.Model | None = None) -> Ranked:
    """The three likeliest characters with their probabilities, per cell of each line."""
    out = []
    for glyphs in locate.segment(zone):
        chars = ocrb.ranked(glyphs, model, top=3)
        out.append(
            [[("<", 0.3)] if g.rel_height == 0 else c for g, c in zip(glyphs, chars, strict=True)]
        )
    return out


def _attempt(zone: locate.Zone, model: ocrb.Model | None, corrections: int) -> MrzRead | None:
    rows = recognise_ranked(zone, model)
    if not rows:
        return None
    lines = tuple("".join(alts[0][0] for alts in row) for row in rows)
    result = parse(lines, corrections)
    if result is None:
        return None
    conf = [[alts[0][1] for alts in row] for row in rows]
    if not result.valid and [ok for _, ok in result.checks].count(False) <= ALT_FAILING:
        result = second_choices(rows, lines, corrections, conf) or result
    result = known_states(rows, result, corrections, conf)
    quad = tuple((float(x), float(y)) for x, y in zone.quad)
    return MrzRead(lines, tuple(tuple(row) for row in conf), result, quad)


def _spots(rows: Ranked, lines: tuple[str, ...]) -> list[tuple[int, int, str, float]]:
    """Runners-up (second or third choice) worth trying in unsure cells under a check digit.

    Each as line, cell, character, probability; likeliest runner-ups first.
    """
    from drivers.mrz.layouts import detect

    layout = detect(list(lines)) if len({len(x) for x in lines}) == 1 else None
    if layout is None:
        return []
    covered = {(r, c) for chk in layout.checks for r, a, b in chk.spans for c in range(a, b)}
    covered |= {chk.digit for chk in layout.checks}
    spots = [(r, c, ch, p) for r, row in enumerate(rows) for c, alts in enumerate(row)
             if (r, c) in covered and alts[0][1] < ALT_SURE
             for ch, p in alts[1:] if p >= ALT_MIN]  # fmt: skip
    return sorted(spots, key=lambda s: -s[3])[:ALT_SPOTS]


def _plain(result: Any) -> bool:
    """Valid without a check-digit-guided swap (runner-ups and guesses do not stack)."""
    guided = [c for c in result.corrections
              if c.reason == "check digits" or (c.reason.endswith(" check digit")
                                                and c.reason != "check digit")]  # fmt: skip
    return bool(result.valid) and not guided


def second_choices(rows: Ranked, lines: tuple[str, ...], corrections: int,
                   conf: list[list[float]]) -> Any:  # fmt: skip
    """Let the check digits choose among the recogniser's runners-up (one or two cells).

    A cell's runners-up are its second and third choices. The smallest set of
    runner-up characters after which every check digit passes wins, if it is
    the only one of its size; each change is reported as a correction, and the
    changed cells keep the runner-up's (lower) probability.
    """
    from drivers.mrz.correct import Correction

    spots = _spots(rows, lines)
    for size in (1, 2):
        found = []
        for combo in itertools.combinations(spots, size):
            if len({(r, c) for r, c, _, _ in combo}) < size:
                continue  # two alternatives for one cell
            grid = [list(x) for x in lines]
            for r, c, ch, _ in combo:
                grid[r][c] = ch
            result = parse(["".join(x) for x in grid], corrections)
            if result is not None and _plain(result):
                found.append((combo, result))
        if len(found) > 1:
            return None  # more than one way: the check digits do not decide
        if found:
            combo, result = found[0]
            fixes = [Correction(r + 1, c + 1, lines[r][c], ch, "recogniser's runner-up, checked")
                     for r, c, ch, _ in combo]  # fmt: skip
            for r, c, _, p in combo:
                conf[r][c] = p
            return replace(result, raw=lines, corrections=(*fixes, *result.corrections))
    return None


STATE_FIX = "recogniser's runner-up, a known state code"


def known_states(rows: Ranked, result: Any, corrections: int, conf: list[list[float]]) -> Any:
    """The result with an unknown issuing state or nationality replaced by a known code.

    No check digit covers them; where the recogniser's alternatives for the
    code's cells (digits read as their look-alike letters) spell exactly one
    known ICAO 9303 code with the fewest changes, that code is taken, each
    change reported as a correction. Otherwise the code stays, flagged.
    """
    from drivers.mrz.layouts import detect

    lines = list(result.lines)
    layout = detect(lines) if len({len(x) for x in lines}) == 1 else None
    unknown = {k for k, known in result.known_codes if known is False}
    if layout is None or not unknown or len(rows) != len(lines):
        return result
    fixes = []
    for spec in layout.fields:
        if spec.name in unknown:
            fixes += _state_fix(rows, lines, spec.span)
    if not fixes:
        return result
    for line, col, _, new, p in fixes:
        lines[line] = lines[line][:col] + new + lines[line][col + 1 :]
        conf[line][col] = p
    return _with_fixes(result, parse(lines, corrections), fixes)


def _state_fix(rows: Ranked, lines: list[str], span: tuple[int, int, int]) -> list[Any]:
    """Changes (line, cell, old, new, probability) that spell the one nearest known code."""
    from drivers.mrz.checks import TO_LETTER
    from drivers.mrz.countries import is_known, normalise_code

    row, start, end = span
    cells = [[(TO_LETTER.get(ch, ch), p) for ch, p in alts if p >= ALT_MIN] or alts[:1]
             for alts in rows[row][start:end]]  # fmt: skip
    nearest: dict[int, dict[str, list[Any]]] = {}  # changed cells -> code -> changes
    for combo in itertools.product(*(range(len(c)) for c in cells)):
        picked = [(start + i, *cells[i][k]) for i, k in enumerate(combo)]
        code = "".join(ch for _, ch, _ in picked)
        if is_known(normalise_code(code)):
            changes = [(row, c, lines[row][c], ch, p) for c, ch, p in picked if ch != lines[row][c]]
            nearest.setdefault(sum(k > 0 for k in combo), {})[code] = changes
    codes = nearest[min(nearest)] if nearest else {}
    return next(iter(codes.values())) if len(codes) == 1 else []


def _with_fixes(old: Any, new: Any, fixes: list[Any]) -> Any:
    """``new`` (a re-parse after the state-code fixes) reporting them, or ``old`` if worse."""
    from drivers.mrz.correct import Correction

    if new is None or (old.valid and not new.valid):
        return old
    reported = [Correction(r + 1, c + 1, was, now, STATE_FIX) for r, c, was, now, _ in fixes]
    raw = old.raw
    return replace(new, raw=raw, corrections=(*old.corrections, *reported, *new.corrections))


def read_frame(
    frame: Image,
    *,
    model: ocrb.Model | None = None,
    max_corrections: int = 2,
    tries: int = 6,
    colour: bool = False,
) -> MrzRead | None:
    """The MRZ in one frame (valid or not), or None when there is none.

    ``colour``: when the grey frame gives no valid read, search a copy in which
    coloured marks fade (see ``inks``), and the frame turned a quarter even
    where upright line groups were found — for still images: on a camera frame
    without an MRZ it would more than double the search.
    """
    start = time.perf_counter()
    best: MrzRead | None = None
    for gray in inks(frame, colour):
        for cand in locate.candidates(gray, tries, quarter=colour):
            zone = locate.to_frame(locate.rectify(cand.image, cand.group), cand.back)
            for candidate in (zone, _turned(zone)):
                best = _better(best, _attempt(candidate, model, max_corrections))
                if best is not None and best.valid:
                    return _timed(best, start)
    return _timed(best, start) if best is not None else None


def _better(best: MrzRead | None, read: MrzRead | None) -> MrzRead | None:
    """The read to keep: a valid one over an invalid one, else the first."""
    if read is not None and (best is None or (read.valid and not best.valid)):
        return read
    return best


def _turned(zone: locate.Zone) -> locate.Zone:
    """The zone upside down (a document held the wrong way up)."""
    quad = zone.quad[[2, 3, 0, 1]]
    return locate.Zone(cv2.rotate(zone.image, cv2.ROTATE_180), zone.lines, quad)


def _timed(read: MrzRead, start: float) -> MrzRead:
    ms = round((time.perf_counter() - start) * 1000, 1)
    return MrzRead(read.raw, read.confidence, read.result, read.quad, ms)


@dataclass
class MrzVoter:
    """Accepts an MRZ once ``frames`` valid reads agree; reports it once per visit.

    A document stays "in view" while it is read again within ``window`` seconds;
    it can be reported again after it has been out of view that long.
    """

    frames: int = 2
    window: float = 5.0
    _votes: dict[tuple[str, ...], list[float]] = field(default_factory=dict)
    _reported: dict[tuple[str, ...], float] = field(default_factory=dict)

    def add(self, read: MrzRead | None, now: float) -> MrzRead | None:
        """Count one frame's read; the read when it is newly accepted."""
        self._expire(now)
        if read is None or not read.valid:
            return None
        key = _text(read)
        if key in self._reported:
            self._reported[key] = now
            return None
        seen = [t for t in self._votes.get(key, []) if now - t <= self.window] + [now]
        self._votes[key] = seen
        if len(seen) < self.frames:
            return None
        self._reported[key] = now
        del self._votes[key]
        return read

    def _expire(self, now: float) -> None:
        for table in (self._reported,):
            for key in [k for k, t in table.items() if now - t > self.window]:
                del table[key]
        for key in [k for k, ts in self._votes.items() if now - ts[-1] > self.window]:
            del self._votes[key]


def _text(read: MrzRead) -> tuple[str, ...]:
    """The identity a read stands for (what frames must agree on), after corrections."""
    doc = read.result.to_json()
    return tuple(str(doc.get(k)) for k in IDENTITY)
