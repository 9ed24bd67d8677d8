"""The revision histories: the graph (``graph``), its cache for the at-head answer (``cache``),
where a database stands on them (``position``), and what a REV or PLUGIN means (``targets``)."""
