"""The benchmark of issue 13: ``python -m bench`` (``bin/bench``); see the README."""
