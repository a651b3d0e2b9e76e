"""The .docx format: namespaces, bounded reading, reproducible package bytes, schema audit."""
