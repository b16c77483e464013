"""The bottom layer: what every other package may use (stdlib only).

Command-line helpers (``common.cli``), the default state folder
(``common.paths``) and untrusted-text sanitising (``common.sanitize``) sit here
because drivers (the simulators' commands), sync (the HQ commands) and edge all
need them and ``drivers`` and ``sync`` may not import each other or ``edge``.
"""
