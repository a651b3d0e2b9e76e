"""Stage 6: the documents to PDF (LibreOffice or Word).

``convert`` (what is stale, then the conversion) runs ``pool`` (LibreOffice processes, one per core)
on the profiles of ``soffice``, or ``word`` (docx2pdf); ``index`` records which PDFs are current,
``fonts`` what they embed; ``notes`` finds places the drafter has not written yet.
"""
