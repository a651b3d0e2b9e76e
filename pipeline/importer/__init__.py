"""``vanban import``'s reading of a commune's own Word file into vanban's inputs (the command:
``pipeline/commands/import_.py``).

``assemble`` puts the pieces together; ``header`` (header block, title, signature, recipients, period),
``body`` (hand-typed numbering into nested sections), ``tables``, ``columns`` and ``units`` (task tables
under any of the usual headings), ``mapping`` (the body's lines, appendices, parent plans), ``subplan``,
``textparse`` (plain strings: numbers, deadlines, dates), ``yamlout`` (YAML with comments), ``write``
(all files or none) and ``summary`` (what the command prints, the to-do list).
"""
