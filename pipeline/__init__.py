"""vanban: the paperwork of a commune People's Committee, generated from YAML.

The package is laid out as the pipeline it runs:

    load      -> read YAML with line numbers            (load.py)
    validate  -> schema + cross references               (model.py, validate.py)
    context   -> what each document says                 (context.py, deadlines.py, nd30.py)
    render    -> docxtpl templates                       (render.py, tables.py)
    compose   -> plan + appendices in one file           (compose.py)
    write     -> reproducible zip, all-or-nothing commit (write.py, commit.py, manifest.py)
    pdf       -> LibreOffice / Word                      (pdf.py)

``build.py`` runs the stages in that order; ``cli.py`` is the click front end.
"""

__version__ = "0.1.0"
