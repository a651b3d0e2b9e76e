"""Documents in git: text for diffs, tracked-change redlines."""
