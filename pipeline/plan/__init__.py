"""Stage 3: the documents of a build, each with what it says as plain data."""
