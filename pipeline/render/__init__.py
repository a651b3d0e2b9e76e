"""Stage 4: templates filled, parts composed, documents keyed, rendered on every core."""
