"""vanban: the paperwork of a commune People's Committee, generated from YAML.

The package is laid out as the pipeline it runs (README, "The pipeline", has the
table of stages and modules; ``tests/test_imports.py`` keeps the order):

    rules → base → load → validate → lint → plan → render → compose → write → pdf → run

``build.py`` runs the stages in that order; ``cli.py`` is the click front end.
"""

__version__ = "0.1.0"
