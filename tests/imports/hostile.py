"""Small files that unpack or parse into something huge, built with zipfile directly (fast, and
the bytes are exactly what an attacker would send), for the import's bound tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OFFICE}.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        f'ContentType="{OFFICE}.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
        f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
        '<sheet name="Experts" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>full_name</t></is></c></row>'
)


def _write(archive: zipfile.ZipFile, name: str, chunks: Iterable[str]) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w") as member:
        for chunk in chunks:
            member.write(chunk.encode())


def xlsx(rows: Iterable[str], shared: Iterable[str] = ()) -> bytes:
    """A workbook whose first sheet holds `rows` (row XML, streamed) and whose shared strings
    table holds `shared` (the text of one <si>, streamed in pieces)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        _write(
            archive,
            "xl/worksheets/sheet1.xml",
            [f'<worksheet xmlns="{MAIN}"><sheetData>', *rows, "</sheetData></worksheet>"],
        )
        _write(
            archive,
            "xl/sharedStrings.xml",
            [f'<sst xmlns="{MAIN}"><si><t>', *shared, "</t></si></sst>"],
        )
    return buffer.getvalue()
