"""Decode the DG2 face image (JPEG or JPEG 2000) for display, with OpenCV."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from drivers.chip.lds import FaceImage
from drivers.chip.tlv import ChipFormatError


def decode_face(face: FaceImage) -> npt.NDArray[np.uint8]:
    """The image as a BGR array; an undecodable image raises :class:`ChipFormatError`."""
    image = cv2.imdecode(np.frombuffer(face.data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ChipFormatError(f"DG2 {face.format} image ({len(face.data)} bytes) does not decode")
    return np.asarray(image, dtype=np.uint8)


def thumbnail(face: FaceImage, width: int = 64, height: int = 80) -> tuple[int, int, bytes]:
    """The face shrunk to fit ``width`` × ``height`` (aspect kept) as (w, h, RGB bytes row by
    row): small enough for the console to draw and for the post to keep only briefly."""
    image = decode_face(face)
    scale = min(width / image.shape[1], height / image.shape[0], 1.0)
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
    return size[0], size[1], np.ascontiguousarray(rgb, dtype=np.uint8).tobytes()
