"""handouts: tick a patient's symptoms, print a clear, personalised handout.

The pipeline, one module per stage::

    library.load_library  -> Library     (content/*.yaml, validated)
    compose.compose       -> Handout     (what this patient's handout says)
    render.pdf.render_pdf -> bytes       (how it looks)
    output.write_atomic   -> file        (the only place that touches the disk)
"""

__version__ = "0.1.0"
