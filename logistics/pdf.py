"""The berita acara serah terima as a PDF (fpdf2, pure Python).

Only fpdf2's core fonts are used (Helvetica), so the file is written the same on a fresh
machine with no system fonts. Core fonts carry latin-1 alone: text is folded to it first
(an arrow or a middle dot becomes a dash, a letter with a mark outside latin-1 loses the
mark), so a name typed on a phone never stops the download.
"""

from __future__ import annotations

import unicodedata
from io import BytesIO

import segno
from fpdf import FPDF

from .selectors.documents import BeritaAcara

FONT = "Helvetica"
# Characters that core fonts lack but have a plain latin-1 stand-in.
STAND_INS = str.maketrans({"→": "-", "·": "-", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"',
                           "…": "...", "\u00a0": " "})


def latin1(text: object) -> str:
    """``text`` in characters a core font can draw: latin-1 kept as is, any other letter
    folded to its base letter (or "?" when it has none)."""
    out = []
    for ch in str(text).translate(STAND_INS):
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 256 and not unicodedata.combining(c))
        out.append(base or "?")
    return "".join(out)


def qr_png(text: str, scale: int = 4) -> BytesIO:
    """A QR code of ``text`` as PNG bytes (segno writes PNG without Pillow)."""
    buffer = BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    buffer.seek(0)
    return buffer


class _Document(FPDF):
    def __init__(self, number: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.number = number
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 5, latin1(f"{self.number} - halaman {self.page_no()}/{{nb}}"), align="C")


def berita_acara_pdf(document: BeritaAcara) -> bytes:
    """The berita acara as an A4 PDF: heading with the QR code of the escort number, the
    opening sentence, both parties, the goods, witnesses, open discrepancies, signatures."""
    escort = document.escort
    pdf = _Document(document.number)
    pdf.set_title(latin1(f"Berita Acara Serah Terima {document.number}"))
    pdf.set_author("KPU - Polda Kaltim")
    pdf.add_page()
    width = pdf.epw

    pdf.image(qr_png(escort.number), x=pdf.w - pdf.r_margin - 28, y=14, w=28, h=28)
    pdf.set_font(FONT, style="B", size=14)
    pdf.multi_cell(width - 32, 7, "BERITA ACARA SERAH TERIMA\nLOGISTIK PEMILU", align="L",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(width - 32, 5, latin1(f"Nomor: {document.number}\nPengawalan: {escort.number}"),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), 44))
    pdf.ln(2)

    pdf.set_font(FONT, size=11)
    opening = (f"{document.date_words}, {document.time_words}, bertempat di {document.place}, "
               "kami yang bertanda tangan di bawah ini:")
    pdf.multi_cell(width, 6, latin1(opening), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    _party(pdf, "PIHAK PERTAMA", "yang menyerahkan", [
        ("Nama", document.first.name), ("Jabatan", document.first.acting_as), ("Instansi", document.first.agency),
        ("Komandan pengawalan", document.first.commander_name), ("NRP", document.first.commander_nrp),
    ])
    _party(pdf, "PIHAK KEDUA", "yang menerima", [
        ("Nama", document.second.name), ("Jabatan", document.second.acting_as), ("Instansi", document.second.agency),
    ])

    pdf.set_font(FONT, size=11)
    pdf.multi_cell(width, 6, latin1("PIHAK PERTAMA telah menyerahkan kepada PIHAK KEDUA, dan PIHAK KEDUA telah "
                                    "menerima dari PIHAK PERTAMA, logistik pemilu sebagai berikut:"),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    _items(pdf, document)

    if document.witnesses:
        pdf.ln(2)
        pdf.set_font(FONT, style="B", size=11)
        pdf.cell(0, 6, "Saksi", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=10)
        for index, name in enumerate(document.witnesses, start=1):
            pdf.cell(0, 5, latin1(f"{index}. {name}"), new_x="LMARGIN", new_y="NEXT")

    if document.discrepancies:
        pdf.ln(2)
        pdf.set_font(FONT, style="B", size=11)
        pdf.cell(0, 6, "Catatan ketidaksesuaian yang belum selesai", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=10)
        for row in document.discrepancies:
            counts = f" (dikirim {row.expected}, dihitung {row.counted})" if row.expected is not None else ""
            text = f"- {row.item + ': ' if row.item else ''}{row.reason}{counts}. {row.description}".strip()
            pdf.multi_cell(width, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    pdf.ln(3)
    pdf.set_font(FONT, size=11)
    pdf.multi_cell(width, 6, "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan "
                             "sebagaimana mestinya.", new_x="LMARGIN", new_y="NEXT")
    _signatures(pdf, document)
    return bytes(pdf.output())


def _party(pdf: FPDF, title: str, role: str, lines: list[tuple[str, str]]) -> None:
    pdf.set_font(FONT, style="B", size=11)
    pdf.cell(0, 6, latin1(f"{title} ({role})"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    for label, value in lines:
        if not value:
            continue
        pdf.cell(45, 5, latin1(label))
        pdf.multi_cell(pdf.epw - 45, 5, latin1(f": {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _items(pdf: FPDF, document: BeritaAcara) -> None:
    pdf.set_font(FONT, size=9)
    # The heading row repeats on each page when the goods run past one.
    with pdf.table(col_widths=(10, 70, 20, 20, pdf.epw - 120), line_height=5, text_align="LEFT",
                   width=pdf.epw) as table:
        heading = table.row()
        for text in ("No", "Jenis", "Jumlah", "Satuan", "Nomor segel"):
            heading.cell(text)
        for index, item in enumerate(document.items, start=1):
            counted = "-" if item.counted is None else str(item.counted)
            seals = ", ".join(item.seals) or "-"
            if item.box_label:
                seals = f"{seals} (label {item.box_label})"
            row = table.row()
            for value in (str(index), item.label, counted, item.unit, seals):
                row.cell(latin1(value))


def _signatures(pdf: FPDF, document: BeritaAcara) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.ln(6)
    half = pdf.epw / 2
    pdf.set_font(FONT, style="B", size=10)
    pdf.cell(half, 5, "PIHAK KEDUA", align="C")
    pdf.cell(half, 5, "PIHAK PERTAMA", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.cell(half, 5, latin1(document.second.acting_as or "yang menerima"), align="C")
    pdf.cell(half, 5, latin1(document.first.acting_as or "yang menyerahkan"), align="C", new_x="LMARGIN",
             new_y="NEXT")
    pdf.ln(20)
    pdf.cell(half, 5, latin1(f"( {document.second.name} )"), align="C")
    pdf.cell(half, 5, latin1(f"( {document.first.name} )"), align="C", new_x="LMARGIN", new_y="NEXT")
    # The NRP is the commander's: shown under the signature only when the commander signed.
    if document.first.commander_nrp and document.first.commander_name == document.first.name:
        pdf.cell(half, 5, "")
        pdf.cell(half, 5, latin1(f"NRP {document.first.commander_nrp}"), align="C", new_x="LMARGIN", new_y="NEXT")
