"""The cockpit's figures as an Excel workbook: one sheet per panel, in the usual ledger layout (title row, unit and
as-of row, bold header), the colouring rule or note under the table."""

import io

from qicha.core.excel_export import ExportColumn, LedgerWorkbook, file_stamp

from .focus import Focus


def panel_rows(panel) -> list[list]:
    rows, width = [], 1 + (panel.chart == "league") + len(panel.columns)
    for row in panel.rows:
        values = [row.label]
        if panel.chart == "league":
            values.append({"red": "红灯", "yellow": "黄灯", "green": "绿灯"}.get(row.light, ""))
        values += [figure.value if figure.value is not None else "—" for figure in row.cells]
        rows.append(values)
    if panel.note:
        rows.append([f"说明：{panel.note}"] + [""] * (width - 1))
    return rows


def workbook(actor, focus: Focus, panels: list, today) -> tuple[bytes, str]:
    book = LedgerWorkbook()
    where = focus.unit.name if focus.unit is not None else (actor.unit.name if actor.unit_id else "")
    campaign = focus.campaign.name if focus.campaign is not None else ""
    subtitle = f"范围：{where}（含下级单位）　　　专项行动：{campaign}　　　截至日期：{today:%Y年%m月%d日}"
    for panel in panels:
        columns = [ExportColumn("项目", 24, wrap=True)]
        if panel.chart == "league":
            columns.append(ExportColumn("灯色", 8))
        columns += [ExportColumn(name, max(10, len(name) * 2 + 2)) for name in panel.columns]
        book.add_sheet(panel.title[:31], f"{where}{panel.title}", subtitle, columns, panel_rows(panel))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), f"统计看板_{file_stamp()}.xlsx"
