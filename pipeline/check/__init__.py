"""``vanban check``: the decree's rules applied to any Word file."""
