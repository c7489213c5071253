"""Scenes for the examples of the bots and guests operations (see replay.py)."""
from replay import Scene  # noqa: F401

SCENES = {}


def scene(example_id):
    def register(fn):
        SCENES[example_id] = fn
        return fn
    return register
