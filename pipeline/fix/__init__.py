"""fix: ``vanban fix`` — the decree's format faults ``check`` finds in a Word file, mended as tracked changes.

========================  =====================================================================
``track``                 tracked changes (``w:rPrChange``, ``w:pPrChange``, ``w:sectPrChange``,
                          ``w:del``/``w:ins``) in the schema's order, or the edits accepted
``edits``                 text styles, running text, "Nơi nhận" sizes, the characters the
                          decree fixes (motto's hyphens, leading zeros, ";" and "." of "Nơi nhận")
``fonts``                 Times New Roman, on the run or in the style it takes its font from
``pages``                 sections (A4, margins, first page, appendix numbering) and the page number
``run``                   read → check → mend → write a new file → check again
========================  =====================================================================

Which rules are fixable is data (``pipeline.decree.fixes``); what is wrong is the checker's judgement,
applied to the same model (``docread``): a mend never decides a rule on its own.
"""
