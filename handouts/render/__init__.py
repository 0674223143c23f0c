"""Render: ``Handout -> bytes``. Renderers decide how a handout looks, never what it says."""
