"""Stage 1: the YAML inputs read, validated against the schema and each other."""
