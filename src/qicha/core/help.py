"""操作手册: one page per role with the everyday tasks step by step (the platform's own words for buttons and menus)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

# role key → (title, who, [(task, [steps])])
MANUAL = {
    "office": ("扫黑办", "局扫黑办工作人员：全局查看、审核、销号、交办、督办、总结", [
        ("每天先看什么", ["打开“工作台”，先处理“待我审核”“逾期问题”“超期线索”卡片里的事项。",
                         "点任一数字即打开它背后的列表，条数与卡片上的数字一致。"]),
        ("审核销号", ["菜单“问题整改”→“已申请销号”标签，打开问题。", "核对整改进展和佐证材料，在“销号”处逐项勾选“六个不放过”并填写销号意见。",
                     "需要纸质审批时，点“打印表单”→“问题整改销号审批表”，打印后交领导签字盖章。"]),
        ("交办线索", ["菜单“线索核查”，勾选未分办的线索，在页面下方选择承办单位后点“分办”。",
                     "打开线索，点“打印表单”→“线索交办单”，盖章后送承办单位签收。"]),
        ("督办逾期事项", ["在“问题整改”或“线索核查”中按单位筛选，点“督办函”，下载该单位逾期问题和超期线索的督办函（Word）。"]),
        ("打印台账", ["在列表页设好筛选条件，点“打印”：纸上只有标题、单位、筛选条件和表格，每页重复表头并有页码；线索台账自动横向打印。",
                     "需要电子表格时点“导出Excel”，线索台账按A3横向排版。"]),
        ("写阶段性总结和工作总结", ["菜单“总结文档”→“编辑正文”。右侧“统计截至”默认为阶段结束日，可改；改后点“重填默认内容”。",
                                  "默认正文每句话都来自台账数据，数字为零的句子不会出现；修改后“保存并生成Word文档”。"]),
        ("村“两委”换届候选人联审", ["菜单“村“两委”联审”→“开设联审批次”，填写换届选举、联审地区、截止日期和各联审部门的答复账号；再导入候选人名单。",
                                   "导入负面清单后点“与负面清单比对”，命中的作为“比对提示”提供给各部门。",
                                   "批次页查看各部门答复进度和每名候选人的结果；必要时记录复核决定，结束联审后“导出联审意见汇总表”交各部门签章。",
                                   "不通过的现任村“两委”成员点“纳入问题成员台账”，补齐配强后在台账中登记。"]),
        ("收取各单位的总结", ["菜单“单位总结报送”，在“阶段性总结”“工作总结”标签下查看各单位的提交情况：未提交、已提交、已退回、已接收，逾期的单位标红并写明逾期天数。",
                            "点“审阅”阅读单位的总结正文或下载其文件，点“接收”；需要修改的写明理由后“退回”，单位会收到通知。",
                            "已接收的单位总结在生成局扫黑办的总结Word文档时作为附件“各单位××总结摘编”摘录进去。"]),
        ("找任何记录", ["在页面顶部搜索框输入问题编号、线索编号、关键词、被反映人姓名、完整的身份证号或统一社会信用代码，回车。"]),
    ]),
    "leader": ("局领导", "局领导：查看全局工作情况与统计", [
        ("看全局进展", ["打开“工作台”，查看问题整改率、逾期数、线索核查和月度报送情况；点数字看明细。"]),
        ("签批纸质表单", ["扫黑办打印的“问题整改销号审批表”“线索办结报告”中，在“局领导审批意见”栏签字。"]),
        ("查找事项", ["用顶部搜索框输入编号或关键词。"]),
    ]),
    "liaison": ("联络员", "单位联络员：录入并报送本单位（含下属科室、单位）的数据", [
        ("填报自查", ["菜单“自查填报”，逐项填写七个方面的自查情况并保存。"]),
        ("登记问题和整改进展", ["菜单“问题整改”→“登记问题”，或用“导入”批量登记。", "打开问题，填报整改进展并上传佐证材料；整改完成后“申请销号”。"]),
        ("办理线索", ["菜单“线索核查”勾选“我承办的”，打开线索，“开始核查”后报告核查结论、登记后续处置和答复。",
                     "办结后点“打印表单”→“线索办结报告”，单位负责人签字盖章后报扫黑办。"]),
        ("月度报送", ["菜单“月度报送”，在截止日（每月21日）前生成本月台账，经单位领导审核后报送。"]),
        ("提交本单位的总结", ["菜单“单位总结报送”，在“本单位阶段性总结”（6月23日前）或“本单位工作总结”处点“撰写”。",
                            "直接填写正文，或上传本单位已成文的总结（Word .docx 或 PDF），点“保存并提交局扫黑办”。",
                            "截止前7天、3天、1天和当天会收到提醒；被退回时按通知中的理由修改后重新提交。"]),
    ]),
    "handler": ("承办人", "承办人：办理分配给本人的问题和线索", [
        ("办理分给我的事项", ["“工作台”列出分给您的问题和线索；打开后按页面上的按钮办理。",
                             "整改进展写清做了什么、何时完成，并上传佐证材料。"]),
        ("打印一事一档", ["在问题或线索页面点“打印表单”→“一事一档”，得到该事项完整的办理记录。"]),
    ]),
    "inspector": ("督导员", "督导员：检查期间查看被检查单位的情况并记录发现的问题", [
        ("开展检查", ["菜单“督导检查”，打开本人参加的检查，检查期间可查看被检查单位的问题和线索。",
                     "记录发现的问题，检查结束后提交评价。"]),
    ]),
    "vetting_department": ("联审部门", "村“两委”换届候选人联审部门：只答复所参加联审批次的候选人意见", [
        ("答复联审意见", ["收到“请…答复联审意见”的消息后，打开菜单“村“两委”联审”，点批次后的“答复意见”。",
                       "逐人选择“无异议”或“有异议”；有异议的选择异议依据（受过刑事处罚、涉黑涉恶、村霸、宗族恶势力、违纪违法、其他）并写明情况。",
                       "人数多时点“下载本部门意见表”，在“意见”列填写后“上传填好的意见表”；有一行错误时整表不导入，按提示的行和列改正后重新上传。",
                       "“比对提示”来自负面清单比对，仅供参考，请以本部门核查为准。"]),
    ]),
    "sysadmin": ("系统管理员", "等保三员之一：管理单位与用户账号（不授予权限，不查看业务数据）", [
        ("管理单位和账号", ["菜单“单位管理”维护单位树；“用户管理”新建账号并发放初始密码。", "账号的角色由安全管理员授予。"]),
    ]),
    "secadmin": ("安全管理员", "等保三员之一：角色、数据权限与授权", [
        ("授权", ["菜单“角色与数据权限”设置角色的权限和数据范围；“用户授权”给账号分配角色。",
                 "“密码重置发放”处理用户的密码重置。"]),
    ]),
    "auditor": ("审计管理员", "等保三员之一：查看和导出审计日志", [
        ("查看审计日志", ["菜单“审计日志”，按时间、人员、事件筛选；越权访问尝试单独列出。", "需要留存时导出或归档。"]),
    ]),
}


# role key → [(file under static/qicha/help/, the page's address, caption)]: taken by `bench/help_screenshots.py`
# from the demo as that role's demo account sees it (re-run it after a change to those pages).
SCREENSHOTS = {
    "office": [("office-workbench.jpg", "/", "工作台：待我审核、逾期问题、超期线索等卡片，点数字打开对应列表"),
               ("office-problems.jpg", "/problems/", "问题整改台账：按状态标签和筛选条件查看，右上角可打印、导出Excel"),
               ("office-unit-summaries.jpg", "/documents/units/", "单位总结报送：各单位阶段性总结的提交情况，逾期单位标红"),
               ("office-reporting.jpg", "/reporting/", "月度报送：各单位各月的报送状态一览")],
    "leader": [("leader-workbench.jpg", "/", "局领导的工作台：全局整改、线索和报送情况"),
               ("leader-dashboard.jpg", "/dashboard/", "统计看板：红黄绿灯排名，点任一数字看明细")],
    "liaison": [("liaison-workbench.jpg", "/", "联络员的工作台：本单位待办事项和被退回的事项（含退回理由）"),
                ("liaison-unit-summary.jpg", "/documents/units/", "单位总结报送：撰写、提交本单位的阶段性总结和工作总结"),
                ("liaison-reporting.jpg", "/reporting/", "月度报送：本期报送卡片，保存草稿或报送")],
    "handler": [("handler-workbench.jpg", "/", "承办人的工作台：分给本人的问题和线索")],
    "inspector": [("inspector-supervision.jpg", "/supervision/", "督导检查：本人参加的检查")],
    "vetting_department": [("vetting-department.jpg", "/vetting/", "联审部门：本部门参加的联审批次，点进批次逐人答复或上传填好的意见表")],
    "sysadmin": [("sysadmin-units.jpg", "/admin/units/", "单位管理：单位树")],
    "secadmin": [("secadmin-roles.jpg", "/admin/roles/", "角色与数据权限")],
    "auditor": [("auditor-audit.jpg", "/audit/", "审计日志：按时间、人员、事件筛选")],
}
# The demo account whose view each role's screenshots show.
SCREENSHOT_ACCOUNTS = {"office": "office", "leader": "leader", "liaison": "liaison_chengxi", "handler": "handler",
                       "inspector": "inspector_fa",
                       "vetting_department": "dept_police", "sysadmin": "sysadmin", "secadmin": "secadmin", "auditor": "auditor"}


@login_required
def manual(request, slug: str = ""):
    role = slug
    if role and role not in MANUAL:
        raise Http404("没有这一操作手册")
    title, who, tasks = MANUAL[role] if role else ("", "", [])
    return render(request, "core/help.html", {
        "roles": [(key, value[0]) for key, value in MANUAL.items()], "role": role, "title": title, "who": who,
        "tasks": tasks, "screenshots": [(f"qicha/help/{name}", caption) for name, _, caption in SCREENSHOTS.get(role, [])],
        "breadcrumbs": [("操作手册", "/help/"), *([(title, None)] if role else [])],
    })
