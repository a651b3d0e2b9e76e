"""The XML namespaces of a .docx (Office Open XML), in one table.

Standard library only: ``textconv`` runs as a plain script and imports it too.
``W``-style constants are Clark prefixes for ElementTree/lxml tag names
(``W + "p"`` is ``{…/wordprocessingml/2006/main}p``).
"""

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
W_NS = NS["w"]
W = "{%s}" % NS["w"]
R = "{%s}" % NS["r"]
A = "{%s}" % NS["a"]
PIC = "{%s}" % NS["pic"]
XML_SPACE = "{%s}space" % NS["xml"]
