"""The problem import's download template: the columns with drop-downs of what the importer may choose, the
填写说明 notes, and an example row dated in the future."""

from datetime import date

from qicha.campaigns.models import Campaign
from qicha.core import excel_import as xl

from .access import check_allowed
from .columns import Choices, example_dates

SHEET_TITLE = "问题整改台账"
TEMPLATE_NAME = "问题整改台账导入模板.xlsx"


def notes(deadline: date) -> tuple[str, ...]:
    """The 填写说明, with the dates of the template's own example."""
    return (
        f"在“{SHEET_TITLE}”工作表中，从表头下一行起每行填写一个问题；表头上方可以有标题行、单位和日期行，"
        "但不要修改或删除表头本身。",
        "带 * 的列必须填写；其余可以留空。问题编号一列新问题留空。",
        "责任单位只能选择您有权登记问题的单位；查摆事项、问题来源、反馈方面、整改类型请从下拉列表中选择。",
        f"日期可写成 {deadline:%Y-%m-%d}、{deadline.year}/{deadline.month}/{deadline.day}、"
        f"{deadline.year}年{deadline.month}月{deadline.day}日 或 {deadline:%Y%m%d}，也可使用日期格式的单元格；"
        "全角数字和空格会自动转换。",
        "限期整改须倒排时间表、长期整改须有阶段性计划：在“整改节点”列每行写一个节点（完成时限 节点内容）。",
        "系统导出的问题整改台账可以直接导入：已有问题编号的行不会被改写，序号、状态、最新进展、销号情况等列不读取。",
        "同一责任单位、查摆事项、问题描述和整改时限都相同的问题视为已导入，会跳过，不会重复登记。",
        "系统只读取第一个可见的工作表，隐藏的工作表会被忽略；全部为空的行会被跳过。支持 .xlsx 和 .xls 文件。",
        "导入前系统会逐行检查并列出错误（工作表、行号、列名），只要有一处错误就不会导入任何问题。",
    )


def build_template(actor, campaign: Campaign) -> bytes:
    check_allowed(actor)
    columns = Choices.for_actor(actor, campaign).columns()
    example = {column.key: column.example for column in columns}
    return xl.build_template(columns, sheet_title=SHEET_TITLE, notes=notes(example_dates()[0]),
                              examples=[example])


