"""Independent PDF producers for the PDF reader's tests: the sample documents as an office suite, a
browser and reportlab's table layout print them (``office``, ``browser``, ``reportlab_table``), in
layouts described by `Layout` (``layout``), beside the truth they were drawn from (``truth``),
rendered once and cached in tests/.cache/producers/ (``cache``).

    from tests.producers.cache import Case, render_all
    from tests.producers.layout import variant
    from tests.producers.truth import Selection

    case = Case(Selection("004_df1d7dc7c09f411b.txt"), variant("centred_split_rows", "browser"))
    (pdf, truth), = render_all([case]).values()
"""
