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
