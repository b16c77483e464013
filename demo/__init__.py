"""``borderpost demo``: a whole border post on one machine, for trying it out and for the tests.

The demo is the top layer beside ``tui``: it composes every other one — it
makes the CA and the post's keys (``sync``), starts Mosquitto, the HQ
receiver, the simulators (``drivers``), the daemon and the console as
processes, and talks to the daemon as a client (``edge.api.client``). Nothing
of the product imports it; only the ``borderpost demo`` entry in
``edge.cli`` hands the process over to it.
"""
