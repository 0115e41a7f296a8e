"""The notulen rapat as a PDF (fpdf2, pure Python), with its daftar hadir as the lampiran.

Like the berita acara of logistics, only fpdf2's core fonts are used (Helvetica), so the
file is written the same on a fresh machine with no system fonts; text is folded to
latin-1 by logistics' own rule first, so a name typed on a phone never stops the download.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.fonts import FontFace

from logistics.pdf import latin1

from .selectors.documents import AgencyGroup, Heading, Notulen

FONT = "Helvetica"
LABEL_WIDTH = 38


class _Document(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.footer_text = footer_text
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 5, latin1(f"{self.footer_text} - halaman {self.page_no()}/{{nb}}"), align="C")


def _line(pdf: FPDF, text: str, size: int = 11, style: str = "", height: float = 6, align: str = "L") -> None:
    pdf.set_font(FONT, style=style, size=size)
    pdf.multi_cell(pdf.epw, height, latin1(text), align=align, new_x="LMARGIN", new_y="NEXT")


def _field(pdf: FPDF, label: str, value: str) -> None:
    """One line of the header: a label, a colon and the value, wrapped under itself."""
    pdf.set_font(FONT, size=10)
    pdf.cell(LABEL_WIDTH, 5, latin1(label))
    pdf.multi_cell(pdf.epw - LABEL_WIDTH, 5, latin1(f": {value or '-'}"), new_x="LMARGIN", new_y="NEXT")


def _section(pdf: FPDF, title: str) -> None:
    pdf.ln(2)
    _line(pdf, title, style="B")


def _heading(pdf: FPDF, heading: Heading, title: str) -> None:
    """The letterhead of the organising agencies, the document's title and a rule under it."""
    for agency in heading.agencies:
        _line(pdf, agency, size=11, style="B", height=5, align="C")
    pdf.ln(1)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(3)
    _line(pdf, title, size=14, style="B", height=7, align="C")
    _line(pdf, heading.title, size=11, height=5, align="C")
    pdf.ln(3)


def _meeting_fields(pdf: FPDF, heading: Heading) -> None:
    _field(pdf, "Hari/tanggal", heading.day_date)
    _field(pdf, "Waktu", heading.time_range)
    place = heading.place
    if heading.online_link:
        place = f"{place} (daring: {heading.online_link})" if place else f"daring: {heading.online_link}"
    _field(pdf, "Tempat", place)


def notulen_pdf(document: Notulen) -> bytes:
    """The notulen as an A4 PDF: the header (instansi, hari/tanggal, waktu, tempat, acara,
    pimpinan, notulis, peserta), the opening, the discussion per item with its speaker,
    the decisions, obstacles with their solutions, follow-ups with owner and due date, the
    closing, the signatures of the notulis and the chair, the approvals once locked, the
    amendments, and the daftar hadir as the lampiran when attendance was recorded."""
    heading = document.heading
    pdf = _Document(f"Notula rapat {heading.day_date}")
    pdf.set_title(latin1(f"Notula Rapat {heading.title}"))
    pdf.set_author("KPU - Polda Kaltim")
    pdf.add_page()
    _heading(pdf, heading, "NOTULA RAPAT")
    if not document.locked:
        _line(pdf, "KONSEP - belum disetujui oleh kedua pihak", size=10, style="B", align="C")
        pdf.ln(1)

    _meeting_fields(pdf, heading)
    # The agenda one item a line, the items under an item indented under it.
    _field(pdf, "Acara", "\n".join(f"{'    ' * line.depth}{line.label}. {line.title}" for line in heading.agenda))
    _field(pdf, "Pimpinan rapat", document.chair)
    _field(pdf, "Notulis", document.notulis)
    _field(pdf, "Peserta", document.participants_text)

    _section(pdf, "I. Pembukaan")
    _line(pdf, document.opening_sentence, size=10, height=5)
    if document.opening:
        _line(pdf, document.opening, size=10, height=5)

    _section(pdf, "II. Pembahasan")
    for row in document.discussions:
        _line(pdf, f"{row.number}. {row.topic}", size=10, style="B", height=5)
        if row.speaker:
            _line(pdf, f"Pembicara: {row.speaker}", size=10, style="I", height=5)
        _line(pdf, row.text or "-", size=10, height=5)
    if not document.discussions:
        _line(pdf, "-", size=10, height=5)

    _section(pdf, "III. Keputusan/Kesimpulan")
    _line(pdf, document.decisions or "-", size=10, height=5)

    _section(pdf, "IV. Kendala dan Usulan Solusi")
    for row in document.obstacles:
        _line(pdf, f"{row.number}. Kendala: {row.description}", size=10, height=5)
        pdf.set_x(pdf.l_margin + 4)
        pdf.multi_cell(pdf.epw - 4, 5, latin1(f"Usulan solusi: {row.solution}"), new_x="LMARGIN", new_y="NEXT")
    if not document.obstacles:
        _line(pdf, "Tidak ada kendala yang dicatat.", size=10, height=5)

    _section(pdf, "V. Tindak Lanjut")
    _follow_ups(pdf, document)

    if document.closing:
        _section(pdf, "VI. Penutup")
        _line(pdf, document.closing, size=10, height=5)
    pdf.ln(2)
    _line(pdf, "Demikian notula rapat ini dibuat untuk dipergunakan sebagaimana mestinya.", size=10, height=5)
    _signatures(pdf, document)
    _approvals(pdf, document)
    _amendments(pdf, document)
    if document.attendance:
        pdf.add_page()
        _heading(pdf, heading, "LAMPIRAN: DAFTAR HADIR")
        _meeting_fields(pdf, heading)
        pdf.ln(2)
        attendance_table(pdf, document.attendance, [])
    return bytes(pdf.output())


def _follow_ups(pdf: FPDF, document: Notulen) -> None:
    if not document.follow_ups:
        _line(pdf, "Tidak ada tindak lanjut yang dicatat.", size=10, height=5)
        return
    pdf.set_font(FONT, size=9)
    with pdf.table(col_widths=(8, 72, 60, pdf.epw - 140), line_height=5, text_align="LEFT",
                   width=pdf.epw) as table:
        heading = table.row()
        for text in ("No", "Tindak lanjut", "Penanggung jawab", "Batas waktu"):
            heading.cell(text)
        for row in document.follow_ups:
            what = row.title
            if row.description:
                what = f"{what}. {row.description}"
            if row.obstacle_number:
                what = f"{what} (kendala {row.obstacle_number})"
            owner = f"{row.agency} ({row.person})" if row.person else row.agency
            cells = table.row()
            for value in (str(row.number), what, owner, row.due):
                cells.cell(latin1(value))


def _signatures(pdf: FPDF, document: Notulen) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.ln(6)
    half = pdf.epw / 2
    pdf.set_font(FONT, style="B", size=10)
    pdf.cell(half, 5, "Notulis", align="C")
    pdf.cell(half, 5, "Pimpinan Rapat", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(20)
    pdf.set_font(FONT, size=10)
    # A chair written with their title runs longer than half the page: each name wraps in its own half.
    top = pdf.get_y()
    pdf.multi_cell(half, 5, latin1(f"( {document.notulis} )"), align="C", new_x="LMARGIN", new_y="NEXT")
    left_end = pdf.get_y()
    pdf.set_xy(pdf.l_margin + half, top)
    pdf.multi_cell(half, 5, latin1(f"( {document.chair} )"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(left_end, pdf.get_y()))


def _approvals(pdf: FPDF, document: Notulen) -> None:
    if not document.approvals:
        return
    _section(pdf, "Persetujuan")
    for row in document.approvals:
        _line(pdf, f"{row.side}: {row.name}, {row.at}", size=10, height=5)


def _amendments(pdf: FPDF, document: Notulen) -> None:
    if not document.amendments:
        return
    _section(pdf, "Perubahan setelah persetujuan")
    for number, row in enumerate(document.amendments, start=1):
        _line(pdf, f"{number}. {row.part}, {row.at}, oleh {row.by}", size=10, style="B", height=5)
        for label, value in (("Semula", row.before), ("Menjadi", row.after), ("Alasan", row.reason)):
            pdf.set_x(pdf.l_margin + 4)
            pdf.set_font(FONT, size=10)
            pdf.multi_cell(pdf.epw - 4, 5, latin1(f"{label}: {value or '-'}"), new_x="LMARGIN", new_y="NEXT")


def attendance_table(pdf: FPDF, groups: list[AgencyGroup], blank_numbers: list[int]) -> None:
    """The daftar hadir's table: No / Nama / Jabatan / Instansi / Tanda tangan, a heading
    row per agency, the signature column left empty; then the blank numbered lines."""
    pdf.set_font(FONT, size=9)
    with pdf.table(col_widths=(8, 50, 40, 42, pdf.epw - 140), line_height=7, text_align="LEFT",
                   width=pdf.epw) as table:
        heading = table.row()
        for text in ("No", "Nama", "Jabatan", "Instansi", "Tanda tangan"):
            heading.cell(text)
        for group in groups:
            table.row().cell(latin1(group.agency), colspan=5, style=FontFace(emphasis="BOLD"))
            for row in group.rows:
                cells = table.row()
                for value in (str(row.number), row.name, row.position, row.agency, ""):
                    cells.cell(latin1(value))
        for number in blank_numbers:
            cells = table.row()
            for value in (str(number), "", "", "", ""):
                cells.cell(value)
