"""Stage 5: the outputs folder: manifest, all-or-nothing commit."""
