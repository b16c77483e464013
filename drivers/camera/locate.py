"""Find the machine-readable zone in a frame and cut it into character cells.

Works on a reduced copy to find groups of 2–3 long, parallel, evenly spaced
text lines; warps the group's quadrilateral back to a rectangle at full
resolution (undoing rotation and mild perspective); then splits lines and
fits a fixed-pitch grid of 30, 36 or 44 cells per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from drivers.camera.ocrb import Glyph

Gray = np.ndarray[Any, Any]
Points = np.ndarray[Any, Any]

DETECT_WIDTH = 640
LINE_LENGTHS = {3: (30,), 2: (44, 36)}
CAP = 32  # cap height (pixels) of the rectified zone
MAX_BLANKS = 1  # empty cells tolerated per line (a filler lost in noise)


@dataclass(frozen=True)
class LineBox:
    """One candidate text line found at detection scale."""

    center: tuple[float, float]
    length: float
    thickness: float
    angle: float  # degrees, direction of the line's long axis in (-90, 90]


@dataclass(frozen=True)
class Zone:
    """A located MRZ: its rectified grey image and how many lines it holds."""

    image: Gray
    lines: int
    quad: Points  # 4 x 2 corners in the frame: TL, TR, BR, BL (with margin)


def _line_mask(small: Gray) -> Gray:
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (15, 7))
    hat = cv2.morphologyEx(small, cv2.MORPH_BLACKHAT, kernel)
    _, mask = cv2.threshold(hat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if _ < 18:  # flat frame: nothing dark and thin anywhere
        return np.zeros_like(mask)
    mask = _unframed(mask)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((1, 21), np.uint8))
    return cv2.morphologyEx(closed, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def _unframed(mask: Gray) -> Gray:
    """The mask without page edges and rules: vertical strokes taller than a text line, the rim.

    A scan's border touching the MRZ would otherwise join its lines into one
    contour around the page.
    """
    tall = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((31, 1), np.uint8))
    out = cv2.subtract(mask, tall)
    out[:3], out[-3:], out[:, :3], out[:, -3:] = 0, 0, 0, 0
    return out


def _to_box(contour: Any, factor: float) -> LineBox | None:
    (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
    if w < h:
        w, h, angle = h, w, angle + 90.0
    angle = angle - 180.0 if angle > 90.0 else angle
    if h < 2.5 or w < 110 or w / h < 9.0:
        return None
    return LineBox((cx * factor, cy * factor), w * factor, h * factor, angle)


def find_lines(gray: Gray, factor: float | None = None) -> list[LineBox]:
    """Long, thin, text-like lines within 45° of level in a grey frame (frame coordinates).

    The frame is searched scaled down by ``factor`` (default: to ``DETECT_WIDTH``).
    """
    factor = factor or gray.shape[1] / DETECT_WIDTH
    size = (round(gray.shape[1] / factor), round(gray.shape[0] / factor))
    how = cv2.INTER_AREA if factor > 1 else cv2.INTER_CUBIC
    small = cv2.resize(gray, size, interpolation=how) if factor != 1 else gray
    contours, _ = cv2.findContours(_line_mask(small), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    boxes = [_to_box(c, factor) for c in contours if cv2.contourArea(c) > 150]
    return [b for b in boxes if b is not None and abs(b.angle) <= 45.0]


def _fits(a: LineBox, b: LineBox) -> bool:
    """Whether ``b`` could be the MRZ line right below ``a``."""
    if abs(a.angle - b.angle) > 4.0 or min(a.length, b.length) / max(a.length, b.length) < 0.6:
        return False
    rad = np.deg2rad(a.angle)
    dx, dy = b.center[0] - a.center[0], b.center[1] - a.center[1]
    along = dx * np.cos(rad) + dy * np.sin(rad)
    across = -dx * np.sin(rad) + dy * np.cos(rad)
    pitch = (a.length + b.length) / 2 / 40.0
    return bool(abs(along) < 0.25 * a.length and 0.9 * pitch < across < 3.2 * pitch)


def group_lines(boxes: list[LineBox]) -> list[list[LineBox]]:
    """Chains of 2–3 lines that sit like an MRZ: even ones first, then the most, the longest."""
    ordered = sorted(boxes, key=lambda b: b.center[1])
    groups: list[list[LineBox]] = []
    for i, first in enumerate(ordered):
        chain = [first]
        for other in ordered[i + 1 :]:
            if len(chain) < 3 and _fits(chain[-1], other):
                chain.append(other)
        if len(chain) >= 2:
            groups.append(chain)
    return sorted(groups, key=lambda g: (not _even(g), -len(g), -g[0].length))


def _even(group: list[LineBox]) -> bool:
    """Lines of one length, as an MRZ's are (fillers run to the end); prose lines differ."""
    lengths = [b.length for b in group]
    return min(lengths) / max(lengths) >= 0.96


def _frame(box: LineBox) -> tuple[Points, Points]:
    rad = np.deg2rad(box.angle)
    axis = np.array([np.cos(rad), np.sin(rad)], np.float32)
    return axis, np.array([-axis[1], axis[0]], np.float32)


def _corners(box: LineBox, grow: float) -> Points:
    """Corners TL, TR, BR, BL along the line's own axis, pushed out by ``grow`` (more across)."""
    axis, normal = _frame(box)
    half_l, half_t = axis * (box.length / 2 + grow * 3), normal * (box.thickness / 2 + grow * 1.6)
    c = np.array(box.center, np.float32)
    return np.array(
        [c - half_l - half_t, c + half_l - half_t, c + half_l + half_t, c - half_l + half_t],
        np.float32,
    )


def _common_span(group: list[LineBox]) -> tuple[float, float, LineBox]:
    """The stretch along the first line's axis the lines cover.

    Lines of about equal length: all of them (perspective makes one a little
    longer). Otherwise one ran into foreign text: only the part all share.
    """
    axis, _ = _frame(group[0])
    spans = []
    for box in group:
        mid = float(np.dot(np.array(box.center, np.float32), axis))
        spans.append((mid - box.length / 2, mid + box.length / 2))
    lengths = [b.length for b in group]
    if min(lengths) / max(lengths) >= 0.9:
        return min(a for a, _ in spans), max(b for _, b in spans), group[0]
    return max(a for a, _ in spans), min(b for _, b in spans), group[0]


def _shifted(box: LineBox, lo: float, hi: float, thick: float) -> LineBox:
    axis, normal = _frame(box)
    across = float(np.dot(np.array(box.center, np.float32), normal))
    centre = axis * (lo + hi) / 2 + normal * across
    return LineBox((float(centre[0]), float(centre[1])), hi - lo, thick, box.angle)


def rectify(gray: Gray, group: list[LineBox]) -> Zone:
    """Warp the group's quadrilateral (with a margin) to an upright rectangle."""
    thick = float(np.min([b.thickness for b in group]))
    lo, hi, _ = _common_span(group)
    first, last = (_shifted(b, lo, hi, thick) for b in (group[0], group[-1]))
    top, bottom = _corners(first, thick * 0.6), _corners(last, thick * 0.6)
    outer = np.array([top[0], top[1], bottom[2], bottom[3]], np.float32)
    scale = CAP / thick
    width = int(scale * np.linalg.norm(outer[1] - outer[0]))
    height = int(scale * np.linalg.norm(outer[3] - outer[0]))
    dst = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    matrix = cv2.getPerspectiveTransform(outer, dst)
    image = cv2.warpPerspective(gray, matrix, (width, height), flags=cv2.INTER_LINEAR)
    return Zone(image, len(group), outer)


def _bands(mask: Gray, count: int) -> list[tuple[int, int]]:
    """Row ranges of the ``count`` text lines in a binarised zone."""
    profile = mask.sum(axis=1).astype(np.float32)
    on = profile > 0.2 * float(profile.max() or 1)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], on.astype(np.int8), [0]])))
    bands = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    bands = [b for b in bands if b[1] - b[0] >= CAP * 0.4]
    bands.sort(key=lambda b: -float(profile[b[0] : b[1]].sum()))
    return sorted(bands[:count])


def binarise(image: Gray) -> Gray:
    """Ink as 255 on a 0 background, robust to glare gradients, without ruled lines.

    A box printed around the zone, or a page edge beside it, would join the
    glyphs it touches.
    """
    ink = cv2.adaptiveThreshold(
        image, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 2 * CAP + 1, 12
    )
    rows = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, CAP * 4), np.uint8))
    cols = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((CAP * 2, 1), np.uint8))
    return cv2.subtract(ink, cv2.bitwise_or(rows, cols))


@dataclass(frozen=True)
class Blob:
    """One connected ink component of a line."""

    x: int
    y: int
    w: int
    h: int

    @property
    def cx(self) -> float:
        """Horizontal centre."""
        return self.x + self.w / 2


def _blobs(mask: Gray) -> list[Blob]:
    """Ink components of text height, left to right; wide ones may be glyphs that touch."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    found = [Blob(*(int(v) for v in stats[i, :4])) for i in range(1, n)]
    right = mask.shape[1]
    glyphs = (b for b in found if CAP * 0.45 <= b.h <= CAP * 1.5
              and b.x > 0 and b.x + b.w < right)  # fmt: skip
    return sorted(glyphs, key=lambda b: b.x)  # not specks, not a document's edge


def _grid(
    blobs: list[Blob], n: int, span: tuple[float, float]
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Cell centres: a quadratic in the cell index fitted to single-glyph centres.

    An MRZ has ink in every cell, so walking left to right each gap between
    glyphs is a whole number of local pitches (one, or more past glyphs that
    touch); that numbers the glyphs even where perspective stretches the pitch.
    """
    xs = np.array([k.cx for k in blobs], np.float64)
    if len(blobs) == n:
        return xs
    pitch = (span[1] - span[0]) / n
    idx = _walk(xs, pitch)
    idx += round((xs[0] - span[0] - pitch / 2) / pitch)  # cells before the first lone glyph
    fit = np.polyfit(idx, xs, 2 if len(xs) >= 10 else 1)
    return np.asarray(np.polyval(fit, np.arange(n)), np.float64)


def _walk(xs: np.ndarray[Any, np.dtype[np.float64]], pitch: float) -> np.ndarray[Any, Any]:
    """Cell numbers of glyph centres ``xs`` from 0, the pitch followed along the line."""
    idx, recent = [0], [pitch]
    for gap in np.diff(xs):
        local = float(np.median(recent[-5:]))
        step = round(gap / local)  # 0: a speck beside a glyph, in the same cell
        if step == 1:
            recent.append(float(gap))
        idx.append(idx[-1] + step)
    return np.array(idx, np.float64)


def _trim(blobs: list[Blob], n: int) -> list[Blob]:
    """With too many blobs, the run of ``n`` that sits most evenly on a pitch, if one does.

    Extra blobs at either end are text or marks beyond the document; if no run
    fits (a glyph broken in two mid-line), all blobs go to the grid fit.
    """
    if len(blobs) <= n or len(blobs) > n + 6:
        return blobs
    xs = np.array([b.cx for b in blobs], np.float64)
    idx = np.arange(n, dtype=np.float64)
    best, start = 1e9, 0
    for k in range(len(blobs) - n + 1):
        window = xs[k : k + n]
        fit = np.polyval(np.polyfit(idx, window, 2), idx)
        pitch = (window[-1] - window[0]) / (n - 1)
        err = float(np.max(np.abs(fit - window))) / max(pitch, 1.0)
        if err < best:
            best, start = err, k
    return blobs[start : start + n] if best < 0.2 else blobs


def _length(blobs: list[Blob], rows: int, cap: float) -> int:
    """30, 36 or 44: the line length that fits the glyph count and the ink extent."""
    options = LINE_LENGTHS.get(rows, (44, 36))
    extent = (blobs[-1].x + blobs[-1].w - blobs[0].x) / cap * 1.03
    count = sum(max(1, round(b.w / (cap * 0.75))) for b in blobs)
    return min(options, key=lambda n: abs(n - count) + abs(n - extent))


def _unaccented(blob: Blob, mask: Gray, top: float, cap: float) -> Blob:
    """A glyph standing on the line with a mark above it (``Ñ`` printed in a name), mark cut off.

    Taller than a glyph but ending at the line's foot: the ink above the cap
    line is an accent (a rule or a box edge runs past the foot too).
    """
    foot = blob.y + blob.h
    if blob.h <= cap * 1.15 or abs(foot - (top + cap)) > cap * 0.2 or blob.h > cap * 1.9:
        return blob
    y0 = max(blob.y, int(top - cap * 0.08))
    rows = np.flatnonzero(mask[y0:foot, blob.x : blob.x + blob.w].any(axis=1))
    return (
        Blob(blob.x, y0 + int(rows[0]), blob.w, int(rows[-1] - rows[0] + 1)) if len(rows) else blob
    )


def _split(blob: Blob, mask: Gray, centres: np.ndarray[Any, Any], pitch: float) -> list[Blob]:
    """A blob of glyphs that touch, cut at the cell boundaries, each piece's ink tightened."""
    out = []
    for c in centres[(centres > blob.x) & (centres < blob.x + blob.w)]:
        x0, x1 = max(blob.x, int(c - pitch / 2)), min(blob.x + blob.w, int(c + pitch / 2))
        rows = np.flatnonzero(mask[blob.y : blob.y + blob.h, x0:x1].any(axis=1))
        if len(rows) and x1 > x0:
            out.append(Blob(x0, blob.y + int(rows[0]), x1 - x0, int(rows[-1] - rows[0] + 1)))
    return out


def _glyph(image: Gray, members: list[Blob], top: float, cap: float, pitch: float) -> Glyph:
    x0, y0 = min(m.x for m in members), min(m.y for m in members)
    x1 = max(m.x + m.w for m in members)
    y1 = max(m.y + m.h for m in members)
    crop = image[y0:y1, x0:x1]
    around = image[max(0, y0 - 4) : y1 + 4, max(0, int(x0 - pitch * 0.3)) : int(x1 + pitch * 0.3)]
    levels = np.sort(around, axis=None)
    ink, paper = float(levels[int(len(levels) * 0.03)]), float(levels[int(len(levels) * 0.9)])
    mid = ((y0 + y1) / 2 - top) / cap
    return Glyph(crop, (y1 - y0) / cap, (x1 - x0) / pitch, mid, ink, paper)


def _blank(pitch: float) -> Glyph:
    return Glyph(np.full((4, 4), 255, np.uint8), 0.0, 0.0, 0.5, 0.0, 255.0)


def line_glyphs(
    image: Gray, mask: Gray, band: tuple[int, int], n: int | None, rows: int
) -> list[Glyph]:
    """Cut one text line into its fixed-pitch character cells.

    Single glyphs fix the grid; blobs wider than a glyph (characters that touch)
    are cut at its cell boundaries.
    """
    pad = int(CAP * 0.4)
    y0 = max(0, band[0] - pad)
    sub_mask = mask[y0 : band[1] + pad]
    blobs = _blobs(sub_mask)
    heights = sorted(b.h for b in blobs)
    if len(blobs) < 5:
        return []
    cap = float(heights[int(len(heights) * 0.75)])
    level = [b.y for b in blobs if cap * 0.8 < b.h <= cap * 1.4 and b.w <= cap * 1.1]
    if not level:
        return []
    top = float(np.median(level))
    blobs = [_unaccented(b, sub_mask, top, cap) for b in blobs]
    blobs = [b for b in blobs if b.h <= cap * 1.4]  # OCR-B has no tall glyph: a rule, a box edge
    single = [b for b in blobs if b.w <= cap * 1.1]
    if len(single) < 10:
        return []
    n = n or _length(blobs, rows, cap)
    trimmed = _trim(single, n)
    ends = trimmed if len(trimmed) < len(single) else blobs  # text beyond the MRZ cut off
    single = trimmed
    centres = _grid(single, n, (float(ends[0].x), float(ends[-1].x + ends[-1].w)))
    pitch = float(centres[-1] - centres[0]) / (n - 1)
    inside = [b for b in blobs if centres[0] - pitch < b.cx < centres[-1] + pitch]
    pieces = [
        p
        for b in inside
        for p in ([b] if b.w <= cap * 1.1 else _split(b, sub_mask, centres, pitch))
    ]
    cells: list[list[Blob]] = [[] for _ in range(n)]
    for blob in pieces:
        i = int(np.argmin(np.abs(centres - blob.cx)))
        if abs(blob.cx - centres[i]) < pitch * 0.45:
            cells[i].append(blob)
        elif blob.h >= cap * 0.7:
            return []  # ink between cells: the grid does not fit, better no read than a shifted one
    if sum(not c for c in cells) > MAX_BLANKS:
        return []
    sub = image[y0 : band[1] + pad]
    return [_glyph(sub, c, top, cap, pitch) if c else _blank(pitch) for c in cells]


def segment(zone: Zone) -> list[list[Glyph]]:
    """Character cells per line of a rectified zone (empty when it does not fit an MRZ)."""
    mask = binarise(zone.image)
    bands = _bands(mask, zone.lines)
    if len(bands) != zone.lines:
        return []
    first = line_glyphs(zone.image, mask, bands[0], None, zone.lines)
    if not first:
        return []
    rest = [line_glyphs(zone.image, mask, b, len(first), zone.lines) for b in bands[1:]]
    return [first, *rest] if all(rest) else []


@dataclass(frozen=True)
class Candidate:
    """A group of lines to try, in ``image`` (the frame, or the frame turned level)."""

    image: Gray
    group: list[LineBox]
    back: Points | None  # 2×3 affine from ``image`` back to the frame, when turned


def candidates(gray: Gray, limit: int = 3, quarter: bool = False) -> list[Candidate]:
    """MRZ-like line groups, best first; a tilted or sideways frame is turned and searched again.

    At large tilts the lines of an MRZ run into each other in the mask; turning
    the frame by the angle of such a merged blob separates them. A frame whose
    long lines run up and down is turned a quarter (upside down is the reader's
    business: it tries each zone both ways). ``quarter``: the quarter-turned
    frame's groups follow the upright ones even when there are upright ones —
    a caption or a block of print beside a sideways MRZ also forms a group.
    """
    boxes = find_lines(gray)
    found = [Candidate(gray, g, None) for g in group_lines(boxes)[:limit]]
    if not found:
        for angle in sorted({round(b.angle) for b in boxes if abs(b.angle) >= 2}, key=abs)[:2]:
            found += _turned(gray, angle, limit)
        found = found[:limit]
    if not found or quarter:
        found += _quarter(gray, limit)
    return found


def _quarter(gray: Gray, limit: int) -> list[Candidate]:
    """Line groups in the frame turned a quarter clockwise (a plain copy: fast)."""
    h = gray.shape[0]
    turned = cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE)
    back = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, h - 1.0]], np.float32)  # (x', y') -> (x, y)
    lines = find_lines(turned, gray.shape[1] / DETECT_WIDTH)  # the scale of the upright search
    return [Candidate(turned, g, back) for g in group_lines(lines)[:limit]]


def _turned(gray: Gray, angle: float, limit: int) -> list[Candidate]:
    """Line groups in the frame turned by ``angle`` degrees (canvas grown to keep it all)."""
    h, w = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    size = (int(h * sin + w * cos), int(h * cos + w * sin))
    matrix[0, 2] += size[0] / 2 - w / 2
    matrix[1, 2] += size[1] / 2 - h / 2
    fill = float(np.median(gray[:: max(1, h // 32), :: max(1, w // 32)]))
    level = cv2.warpAffine(gray, matrix, size, borderValue=fill)
    back = cv2.invertAffineTransform(matrix)
    return [Candidate(level, g, back) for g in group_lines(find_lines(level))[:limit]]


def to_frame(zone: Zone, back: Points | None) -> Zone:
    """The zone with its corners in frame coordinates."""
    if back is None:
        return zone
    quad = cv2.transform(zone.quad[None].astype(np.float32), back)[0]
    return Zone(zone.image, zone.lines, quad)
