"""``vanban serve``: the office's workspace, a small web application for one commune folder.

A thin layer over what the command line does: the forms write the same YAML files (through
``inputs.yamlpatch``, comments and layout kept), lint runs ``inputs.validate`` and ``lint.linter``,
a save rebuilds through ``build.run.run_build`` (its incremental reuse), pages are the PDF of
``pdf.convert`` drawn by ``pdftoppm``, versions are git commits shown with ``vcs.diff`` and
``vcs.redline``. ``safety`` holds the rules that keep it to its own folder and its own browser.
"""
