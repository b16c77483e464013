"""ICAO 9303 machine-readable zones: parsing, correction, serial readers, simulator.

``parse_mrz(lines)`` is the entry point for every part that has MRZ text (the
serial reader decoder, the camera OCR, the manual entry in the console).
"""

from drivers.mrz.correct import Correction
from drivers.mrz.parser import normalise, parse_mrz
from drivers.mrz.result import MrzResult, NotAnMrz

__all__ = ["Correction", "MrzResult", "NotAnMrz", "normalise", "parse_mrz"]
