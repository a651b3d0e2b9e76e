"""Stage 6: the documents to PDF (LibreOffice or Word)."""
