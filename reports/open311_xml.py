"""Open311 GeoReport v2 documents as XML: the same data as the JSON answers, element by element.

GeoReport v2 names the element of each list's items (`<services><service>`,
`<service_requests><request>`, `<errors><error>` …); everything else is one element per
field, booleans as `true`/`false`, an absent value as an empty element. Built with
ElementTree, preceded by the UTF-8 declaration the specification asks for.
"""

import re
import xml.etree.ElementTree as ET

# The element of each item in a list, by the list's element (GeoReport v2's names).
ITEM_ELEMENTS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# Characters XML 1.0 cannot hold at all, even escaped (C0 controls but tab, LF and CR; lone
# surrogates; U+FFFE/U+FFFF). Stored text should never have them; if some did, the document
# must still parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _fill(ET.SubElement(element, key), inner)
    elif isinstance(value, list | tuple):
        item = ITEM_ELEMENTS[element.tag]
        for inner in value:
            _fill(ET.SubElement(element, item), inner)
    else:
        element.text = _text(value)


def document(root: str, data) -> bytes:
    """Return `data` (a dict, or a list of dicts) as an XML document whose root is `root`."""
    element = ET.Element(root)
    _fill(element, data)
    return (DECLARATION + ET.tostring(element, encoding="unicode")).encode("utf-8")
