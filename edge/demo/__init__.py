"""``borderpost demo``: a whole border post on one machine, for trying it out and for the tests.

The demo composes every layer — it makes the CA and the post's keys
(``sync``), starts Mosquitto, the HQ receiver, the simulators (``drivers``),
the daemon and the console as processes, and talks to the daemon as a client
(``edge.api.client``). It sits in ``edge`` (the layer that composes drivers and
sync; the design card fixes the top-level packages) but apart from the daemon:
no module of ``edge`` imports it except the ``borderpost demo`` entry in
``edge.cli`` (``tests/test_layering.py`` checks this).
"""
