"""The HQ web console (`borderpost hq web`): alerts from every post, live; posts; traffic; search.

A Starlette application over the HQ store (``sync.hq.db``), with its own
tables for users, sessions, actions on alerts and the audit log
(``schema.py``). Only the command (``cli.py``) is imported by
``borderpost hq``; the rest loads the web libraries of the ``hq`` extra.
"""
