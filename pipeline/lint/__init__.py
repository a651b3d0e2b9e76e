"""Stage 2: the slips of hand-made paperwork, caught in the validated inputs.

``linter`` holds the rules (``lint``, and ``lint_gate`` that every build runs first); ``spelling``
the Vietnamese spelling engine they use. The command is ``pipeline/commands/lint.py``.
"""
