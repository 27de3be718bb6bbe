"""A .docx writer in the layout of GB/T 9704-2012 《党政机关公文格式》, for documents that are not 红头公文.

- A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: a 156 × 225 mm text block.
- 22 lines × 28 characters: fixed line spacing of 225 mm / 22 = 28.95 pt and a `linesAndChars` document grid
  whose character pitch is 156 mm / 28 (Word's 页面设置 shows 22 × 28); see CONDENSE for how 28 characters fit a
  line in Word, WPS and LibreOffice alike.
- Title 2号 (22 pt) 方正小标宋简体, centred; body 3号 (16 pt) 仿宋_GB2312, first line indented two characters;
  headings 一、黑体, （一）楷体_GB2312, 1. and （1） 仿宋_GB2312 (level 3 bold by default, as many local rules ask).
- Page numbers "— 1 —" in 4号 (14 pt) 宋体 from a PAGE field, odd pages right and even pages left, one character
  in from the edge (standard 7.5); "different odd and even" footers carry this, so a printed booklet has every
  number on its outer edge.
- 署名 and 成文日期 (Arabic numerals) at the end: the date four characters in from the right, the issuer centred
  over it (standard 7.3.5.1).

The document only names the official fonts; the reader's Windows/WPS machine has them. Chinese fonts are named
on `w:eastAsia`, which `run.font.name` does not set.
"""

import re
from dataclasses import dataclass

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, Twips

# Fonts named by the standard (and the names Windows/WPS install them under).
XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"

SIZE_2 = Pt(22)   # 2号
SIZE_3 = Pt(16)   # 3号
SIZE_4 = Pt(14)   # 4号
SIZE_S4 = Pt(12)  # 小四

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES, CHARS = 22, 28
BLOCK_WIDTH = Emu(PAGE_WIDTH - LEFT - RIGHT)    # 156 mm
BLOCK_HEIGHT = Emu(PAGE_HEIGHT - TOP - BOTTOM)  # 225 mm
LINE_PITCH = Twips(int(BLOCK_HEIGHT.twips / LINES))  # 579 twips = 28.95 pt
CHAR_PITCH_PT = BLOCK_WIDTH.pt / CHARS                 # 15.79 pt
# The page number sits 7 mm below the text block: its line's top edge 28 mm above the paper's bottom edge.
FOOTER_DISTANCE = Emu(Mm(35 - 7) - SIZE_4)

CN_NUMERALS = "一二三四五六七八九十"
# A form's grid: label, value, label, value (156 mm). A label of seven characters of 小四 (29.6 mm) and the cell's
# 2 mm of margin fit the first column on one line: no label breaks inside a word.
FORM_WIDTHS = [34, 40, 32, 50]


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for headings)."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def cn_date(value) -> str:
    """成文日期 in Arabic numerals, full year, no zero padding (GB/T 9704-2012 7.3.5.1): 2026年6月23日."""
    return f"{value.year}年{value.month}月{value.day}日"


def text_width(text: str) -> float:
    """Width in characters of the body font: CJK and full-width one, ASCII half."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def set_fonts(rpr_owner, east_asia: str, latin: str = LATIN) -> None:
    """Name the fonts on a style's or run's rPr: East Asian explicitly, Latin too; theme fonts removed."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _font(target, east_asia: str, size, bold: bool = False, latin: str = LATIN) -> None:
    """`target` is a style or a run: both carry .font and an rPr element."""
    element = target.element
    set_fonts(element, east_asia, latin)
    target.font.size = size
    target.font.bold = bold
    target.font.italic = False
    if hasattr(target.font, "color"):
        target.font.color.rgb = None


def _indent_chars(element, *, first_line: int = 0, right: float = 0, left: float = 0) -> None:
    """Indents in characters (w:firstLineChars etc., hundredths of a character) with twips as a fallback.

    `element` is a paragraph's w:p or a style's w:style; python-docx places w:ind in schema order.
    """
    ind = element.get_or_add_pPr().get_or_add_ind()
    char = SIZE_3.twips
    if first_line:
        ind.set(qn("w:firstLineChars"), str(first_line * 100))
        ind.set(qn("w:firstLine"), str(int(first_line * char)))
    if right:
        ind.set(qn("w:rightChars"), str(int(right * 100)))
        ind.set(qn("w:right"), str(int(right * char)))
    if left:
        ind.set(qn("w:leftChars"), str(int(left * 100)))
        ind.set(qn("w:left"), str(int(left * char)))


RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                     "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                     "w:specVanish", "w:oMath")
# 28 characters of 16 pt are 448 pt, the line 442.2 pt: the grid's character pitch is 15.79 pt. Word squeezes
# characters into grid cells, but LibreOffice gives each character wider than a cell two cells (14 to a line).
# So the body is condensed by 0.25 pt (28 × 15.75 pt = 441 pt fit the line) and paragraphs do not snap to the
# grid: 28 characters and 22 lines (exact 28.95 pt spacing) in Word, WPS and LibreOffice alike. The grid stays in
# the section, so Word's page set-up shows 22 × 28 and any paragraph a user sets to snap lays out the same.
CONDENSE = Twips(-5)


def _condense(element) -> None:
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CONDENSE.twips))
    element.get_or_add_rPr().insert_element_before(spacing, *RPR_AFTER_SPACING)


PPR_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                  "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                  "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _no_grid(element) -> None:
    """w:snapToGrid=0: table text keeps its own size instead of being spread to the 28-character pitch."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    element.get_or_add_pPr().insert_element_before(snap, *PPR_AFTER_SNAP)


@dataclass
class HeadingStyle:
    name: str
    font: str
    bold: bool
    outline: int


HEADING_STYLES = {
    1: HeadingStyle("公文一级标题", HEITI, False, 0),
    2: HeadingStyle("公文二级标题", KAITI, False, 1),
    3: HeadingStyle("公文三级标题", FANGSONG, True, 2),
    4: HeadingStyle("公文四级标题", FANGSONG, False, 3),
}
TITLE_STYLE = "公文标题"
TABLE_TEXT_STYLE = "公文表格文字"
TABLE_TITLE_STYLE = "公文表格标题"

LEVEL_PATTERNS = [
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (3, re.compile(r"^\d+[.．、]")),
    (4, re.compile(r"^[（(]\d+[）)]")),
]


def heading_level(line: str) -> int:
    for level, pattern in LEVEL_PATTERNS:
        if pattern.match(line):
            return level
    return 0


def strip_numbering(heading: str) -> str:
    """"一、工作开展情况" → "工作开展情况": numbering is the document's job, not the writer's."""
    for _, pattern in LEVEL_PATTERNS:
        heading = pattern.sub("", heading.strip(), count=1)
    return heading.strip()


class OfficialDocument:
    def __init__(self, *, level3_bold: bool = True, level2_bold: bool = False):
        self.doc = Document()
        self._page_setup()
        self._styles(level2_bold=level2_bold, level3_bold=level3_bold)
        self._page_numbers()
        self.tables = 0

    # -- set-up -------------------------------------------------------------------------------------------
    def _page_setup(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = TOP, BOTTOM
        section.left_margin, section.right_margin = LEFT, RIGHT
        section.header_distance = Mm(15)
        section.footer_distance = FOOTER_DISTANCE
        self._grid(section)

    @staticmethod
    def _grid(section) -> None:
        sect_pr = section._sectPr
        grid = sect_pr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect_pr.append(grid)
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH.twips))
        # Extra pitch over the 16 pt body character, in 1/4096 pt: 156 mm / 28 − 16 pt (a small negative number).
        grid.set(qn("w:charSpace"), str(round((CHAR_PITCH_PT - SIZE_3.pt) * 4096)))

    def _styles(self, *, level2_bold: bool, level3_bold: bool) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        _font(normal, FANGSONG, SIZE_3)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.widow_control = False
        _condense(normal.element)
        _no_grid(normal.element)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        normal.element.get_or_add_rPr().append(lang)
        # docDefaults still name the template's theme fonts: make them the body fonts too.
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            for fonts in defaults.iter(qn("w:rFonts")):
                for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                    fonts.attrib.pop(qn(attr), None)
                fonts.set(qn("w:ascii"), LATIN)
                fonts.set(qn("w:hAnsi"), LATIN)
                fonts.set(qn("w:eastAsia"), FANGSONG)

        title = styles.add_style(TITLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        title.base_style = normal
        _font(title, XIAOBIAOSONG, SIZE_2)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.keep_with_next = True
        _no_grid(title.element)  # 22 pt characters would each take two 15.79 pt grid cells

        bolds = {2: level2_bold, 3: level3_bold}
        for level, spec in HEADING_STYLES.items():
            style = styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            _font(style, spec.font, SIZE_3, bold=bolds.get(level, spec.bold))
            style.paragraph_format.keep_with_next = level == 1
            _indent_chars(style.element, first_line=2)
            style.element.get_or_add_pPr().get_or_add_outlineLvl().set(qn("w:val"), str(spec.outline))
            spec.bold = bolds.get(level, spec.bold)

        cell = styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = normal
        _font(cell, FANGSONG, SIZE_S4)
        cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        cell.paragraph_format.line_spacing = Pt(20)
        cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # Table text ignores the 28-character grid (a 12 pt cell would otherwise be spread to the grid pitch).
        _no_grid(cell.element)

        caption = styles.add_style(TABLE_TITLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        caption.base_style = normal
        _font(caption, HEITI, SIZE_3)
        caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.keep_with_next = True

    def _page_numbers(self) -> None:
        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        self._page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
        self._page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    def _page_number(self, footer, alignment) -> None:
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.first_line_indent = Pt(0)
        # One character of the number's own size in from the outer edge.
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = SIZE_4
        else:
            fmt.left_indent = SIZE_4
        self._number_run(paragraph, "— ")
        self._field(paragraph, "PAGE")
        self._number_run(paragraph, " —")

    @staticmethod
    def _number_run(paragraph, text: str):
        run = paragraph.add_run(text)
        _font(run, SONGTI, SIZE_4, latin=SONGTI)
        return run

    def _field(self, paragraph, instruction: str) -> None:
        begin = self._number_run(paragraph, "")
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), "begin")
        begin._r.append(fld)
        instr_run = self._number_run(paragraph, "")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        instr_run._r.append(instr)
        separate = self._number_run(paragraph, "")
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), "separate")
        separate._r.append(fld)
        self._number_run(paragraph, "1")
        end = self._number_run(paragraph, "")
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), "end")
        end._r.append(fld)

    # -- content ------------------------------------------------------------------------------------------
    def _run(self, paragraph, text: str, font: str, size, bold: bool = False):
        run = paragraph.add_run(text)
        _font(run, font, size, bold=bold)
        return run

    def blank(self, keep_with_next: bool = False) -> None:
        self.doc.add_paragraph().paragraph_format.keep_with_next = keep_with_next or None

    def title(self, text: str) -> None:
        """The title: lines the writer broke stay broken (a title is split at whole phrases, not by Word)."""
        paragraph = self.doc.add_paragraph(style=TITLE_STYLE)
        lines = [line.strip() for line in text.splitlines() if line.strip()] or [""]
        for i, line in enumerate(lines):
            run = self._run(paragraph, line, XIAOBIAOSONG, SIZE_2)
            if i < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)

    def heading(self, level: int, text: str, rest: str = ""):
        """A heading; level 2–4 may run in with the text that follows it (“（一）加强领导。全局……”)."""
        spec = HEADING_STYLES[level]
        paragraph = self.doc.add_paragraph(style=spec.name)
        self._run(paragraph, text, spec.font, SIZE_3, bold=spec.bold)
        if rest:
            self._run(paragraph, rest, FANGSONG, SIZE_3)
        return paragraph

    def body(self, text: str):
        paragraph = self.doc.add_paragraph(style="Normal")
        _indent_chars(paragraph._p, first_line=2)
        self._run(paragraph, text, FANGSONG, SIZE_3)
        return paragraph

    def numbered_section(self, number: int, heading: str, text: str) -> None:
        """一、heading, then the text: each line a paragraph; lines starting （一） 1. （1） become sub-headings."""
        self.heading(1, f"{cn_number(number)}、{strip_numbering(heading)}")
        for line in (raw.strip() for raw in text.splitlines()):
            if not line:
                continue
            level = heading_level(line)
            if level >= 2:
                head, stop, rest = line.partition("。")
                self.heading(level, head + stop, rest if stop else "")
            elif level == 1:
                self.heading(1, line)
            else:
                self.body(line)

    def attachment_note(self, names: list[str]) -> None:
        """附件说明: one blank line after the body, two characters in, “附件：1.××”, no closing punctuation."""
        self.blank(keep_with_next=True)
        for i, name in enumerate(names, 1):
            prefix = "附件：" if i == 1 else "　　　"
            number = f"{i}." if len(names) > 1 else ""
            paragraph = self.body(f"{prefix}{number}{name}")
            # Kept with the 署名 below, so the signature never stands alone on a page.
            paragraph.paragraph_format.keep_with_next = True

    def signature(self, issuer: str, date_text: str) -> None:
        """署名 centred over the 成文日期, which ends four characters from the right (one blank line above)."""
        self.blank(keep_with_next=True)
        date_indent = 4
        issuer_indent = max(0.0, date_indent + (text_width(date_text) - text_width(issuer)) / 2)
        for text, indent in ((issuer, issuer_indent), (date_text, date_indent)):
            paragraph = self.doc.add_paragraph(style="Normal")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _indent_chars(paragraph._p, right=indent)
            paragraph.paragraph_format.keep_with_next = text == issuer
            self._run(paragraph, text, FANGSONG, SIZE_3)

    def attachment(self, number: int | None, title: str) -> None:
        """An attachment on a new page: “附件1” in 3号黑体 flush left, its title centred in 2号小标宋."""
        paragraph = self.doc.add_paragraph(style="Normal")
        paragraph.paragraph_format.page_break_before = True
        self._run(paragraph, f"附件{number or ''}", HEITI, SIZE_3)
        self.blank()
        self.title(title)
        self.blank()

    def table(self, caption: str, header: list[str], rows: list[list], widths_mm: list[float] | None = None,
              note: str = "") -> None:
        """A table with its title above (黑体), bold header row, borders, 仿宋小四 cells; the last row may be 合计."""
        self.tables += 1
        self.doc.add_paragraph(caption, style=TABLE_TITLE_STYLE)
        for run in self.doc.paragraphs[-1].runs:
            _font(run, HEITI, SIZE_3)
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = [Mm(w) for w in widths_mm] if widths_mm else [Emu(BLOCK_WIDTH // len(header))] * len(header)
        self._narrow_cell_margins(table)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # w:gridCol, which LibreOffice and WPS read
        for r, values in enumerate([header, *rows]):
            cells = table.rows[r].cells
            for c, value in enumerate(values):
                cell = cells[c]
                cell.width = widths[c]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                paragraph = cell.paragraphs[0]
                paragraph.style = self.doc.styles[TABLE_TEXT_STYLE]
                if c == 0 and r > 0 and isinstance(value, str) and value != "合计":
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
                self._run(paragraph, str(value), FANGSONG, SIZE_S4, bold=r == 0)
        # The header row repeats on every page the table spans.
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        header_flag = OxmlElement("w:tblHeader")
        tr_pr.append(header_flag)
        if note:
            paragraph = self.doc.add_paragraph(style=TABLE_TEXT_STYLE)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            self._run(paragraph, note, FANGSONG, SIZE_S4)
        self.blank()

    def form(self, rows: list[list[tuple[str, int]]], widths_mm: list[float] | None = None, *, min_height_mm=None):
        """A form (审批表, 交办单): a bordered grid of label/value cells in 仿宋小四, 4 columns of 156 mm by default.

        Each row is a list of (text, span) cells spanning the grid's columns; a cell whose text starts with "■" is a
        label (bold, centred). A value cell may hold several lines ("\n"). `min_height_mm` maps a row index to its
        least height (a box for a signature and a seal needs room)."""
        widths_mm = widths_mm or FORM_WIDTHS
        columns = len(widths_mm)
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        self._narrow_cell_margins(table)
        widths = [Mm(w) for w in widths_mm]
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for r, cells in enumerate(rows):
            row = table.rows[r]
            for c in range(columns):
                row.cells[c].width = widths[c]
            start = 0
            for text, span in cells:
                cell = row.cells[start]
                if span > 1:
                    cell = cell.merge(row.cells[start + span - 1])
                label = text.startswith("■")
                text = text[1:] if label else text
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                for i, line in enumerate(text.split("\n") or [""]):
                    paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                    paragraph.style = self.doc.styles[TABLE_TEXT_STYLE]
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if label else WD_ALIGN_PARAGRAPH.LEFT
                    if line.startswith("»"):  # right-aligned (the 签字 / 日期 lines of a box)
                        line = line[1:]
                        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    self._run(paragraph, line, FANGSONG, SIZE_S4, bold=label)
                start += span
            if min_height_mm and r in min_height_mm:
                row.height = Mm(min_height_mm[r])
            # A box is never cut across two pages (w:cantSplit comes before w:trHeight in the schema's order).
            row._tr.get_or_add_trPr().insert_element_before(
                OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
                "w:ins", "w:del", "w:trPrChange")
        return table

    @staticmethod
    def _narrow_cell_margins(table) -> None:
        """1 mm left and right in each cell (Word's default is 1.9 mm): four-character headers fit 19 mm columns."""
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:w"), str(Mm(1).twips))
            edge.set(qn("w:type"), "dxa")
            margins.append(edge)
        table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")

    def save(self, path) -> None:
        self.doc.save(str(path))


__all__ = ["OfficialDocument", "cn_date", "cn_number", "strip_numbering"]
