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
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
    "v": "urn:schemas-microsoft-com:vml",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


def clark(name: str) -> str:
    """``"w:p"`` as ``"{…/wordprocessingml/2006/main}p"`` (lxml's and ElementTree's tag names)."""
    prefix, local = name.split(":")
    return "{%s}%s" % (NS[prefix], local)


W_NS = NS["w"]
W = "{%s}" % NS["w"]
R = "{%s}" % NS["r"]
A = "{%s}" % NS["a"]
PIC = "{%s}" % NS["pic"]
XML_SPACE = "{%s}space" % NS["xml"]
