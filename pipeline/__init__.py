"""vanban: the paperwork of a commune People's Committee, generated from YAML.

The package is laid out as the pipeline it runs: each folder is a stage, and a
module imports only its own stage and earlier ones (``tests/test_imports.py``
reads the folders and holds them to ``STAGES``). ``docs/architecture.md`` draws
the stages; ``build/run.py`` runs them as one straight line:

    inputs → lint → plan → render → output (→ pdf)

``ooxml`` and ``decree`` are the ground they stand on (the .docx format; the
decree's rules as data); ``docread``, ``vcs``, ``check`` and ``importer`` read
Word files back; ``commands`` holds one module per ``vanban`` command and
``cli.py`` is the click group that loads them.
"""

__version__ = "0.1.0"

# Every folder and top-level module of the package, in the order a build runs them.
STAGES = (
    "ooxml", "errors", "paths", "shares", "decree",  # the ground: the .docx format, the decree as data
    "inputs", "lint", "plan", "render", "output", "pdf", "build",  # the build, in its order
    "docread", "vcs", "check", "fix", "importer",  # Word files read back (and mended)
    "workspace",  # vanban serve: the office's workspace over all of the above
    "commands", "cli", "__main__",  # the command line
)
