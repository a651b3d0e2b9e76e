"""``vanban check``: the decree's rules applied to any Word file (``document.check_path``; see its docstring)."""
