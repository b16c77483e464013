"""Risk rules at the post: signed packs of analysts' rules, evaluated on every crossing.

``lang`` parses a rule's condition, ``evaluate`` compiles it to closures and
explains a match, ``attrs`` names a crossing's attributes and fills them from
readings, ``pack`` loads a pack file, ``lint`` finds broken rules,
``engine`` forms a crossing's verdict and ``service`` is the daemon's owner of
the pack in force. docs/rules.md is the analyst's guide.
"""
