"""Permissions known to qicha. Roles hold these codes; code checks them through core.scope.

Business permissions are scoped by the role's data scope. Admin permissions (三员) concern the
platform itself and never open business data.
"""

BUSINESS = {
    "campaign.view": "查看专项行动",
    "campaign.manage": "管理专项行动（阶段、日期、参与单位）",
    "selfinspection.view": "查看自查填报",
    "selfinspection.edit": "填报自查",
    "coverage.view": "查看查摆覆盖情况",
    "dashboard.view": "查看统计看板",
    "problem.view": "查看查摆问题",
    "problem.create": "登记、修改查摆问题",
    "problem.work": "办理整改（进展、申请销号）",
    "problem.review": "审核整改（退回）",
    "problem.sign_off": "销号",
    "problem.void": "作废查摆问题",
    "rule.manage": "登记制度成果",
    "clue.view": "查看线索",
    "clue.create": "登记线索、导入交办批次",
    "clue.assign": "分办线索",
    "clue.work": "核查线索（核查结论、后续处置、答复）",
    "clue.review": "审核线索（退回、办结销号、重复举报认定）",
    "clue.rereview": "提级复核",
    "clue.reveal": "查看举报人身份（须说明理由，留痕）",
    "clue.settings": "设置线索办理时限与清仓见底日期",
    "case.view": "查看案件",
    "case.manage": "登记、督办案件（含销号）",
    "case.work": "办理案件（进展、一案一整治）",
    "supervision.view": "查看责任书承诺书、督导检查、问责",
    "letter.manage": "登记责任书承诺书、开展承诺监督检查",
    "inspection.manage": "制定督导检查计划、随机抽取、设置风险权重",
    "inspection.work": "开展督导检查（记录检查情况、发现问题）",
    "accountability.manage": "登记问责",
    "report.view": "查看月度报送情况",
    "report.prepare": "准备、报送本单位月度台账",
    "report.approve": "审核本单位月度报送（单位领导）",
    "report.review": "接收、退回各单位月度报送，设置报送期",
    "summary.edit": "编写、生成阶段总结与工作总结",
    "summary.view": "查看各单位报送的阶段性总结、工作总结",
    "summary.submit": "撰写、提交本单位阶段性总结和工作总结",
    "summary.review": "接收、退回各单位报送的总结",
    "ledger.view": "查看专项治理台账",
    "ledger.edit": "填报专项治理台账（新增、修改、导入）",
    "ledger.define": "定义专项治理台账（列、填报单位、频次）",
    "vetting.view": "查看村“两委”联审、问题成员台账、回头看",
    "vetting.manage": "开设联审批次、导入候选人与负面清单、复核决定、登记问题成员与回头看",
    "vetting.answer": "答复联审意见（仅所参加联审批次的候选人姓名、村、职务、脱敏身份证号）",
    "screening.view": "查看数据比对结果与核查清单",
    "screening.run": "导入比对名册、运行数据比对",
    "screening.review": "核查数据比对命中（属实、不属实、待核实）",
}

ADMIN = {
    "org.manage_units": "管理单位",
    "org.manage_users": "管理用户账号",
    "security.manage_roles": "管理角色与数据权限",
    "security.assign_roles": "为用户分配角色",
    "audit.view": "查看审计日志",
    "audit.export": "导出审计日志",
}

ALL = {**BUSINESS, **ADMIN}

# Which 三员 duty each admin permission belongs to; one person may not hold 系统+审计 or 安全+审计.
ADMIN_DUTY = {
    "org.manage_units": "system",
    "org.manage_users": "system",
    "security.manage_roles": "security",
    "security.assign_roles": "security",
    "audit.view": "audit",
    "audit.export": "audit",
}
INCOMPATIBLE_DUTIES = [{"system", "audit"}, {"security", "audit"}]
DUTY_LABELS = {"system": "系统管理员", "security": "安全管理员", "audit": "审计管理员"}

# Permissions that reveal a reporter's identity or close a matter for good (销号/办结): whoever holds one must present
# a second factor, whatever their role is called (the 三员 duties above need it too).
SECOND_FACTOR = {
    "clue.reveal": "查看举报人身份",
    "problem.sign_off": "问题销号",
    "clue.review": "线索办结销号",
    "case.manage": "案件销号",
}


def label(code: str) -> str:
    return ALL.get(code, code)
