"""Who hears of data comparison's acts (notify/acts.py delivers): a finished run tells each county unit's liaisons
that beneficiaries of theirs wait for review; a review tells the office, which acts next (台账、线索、追回)."""

from qicha.notify.acts import ActNotices, Notice, register_act_notices

from .workflow import HIT_WORKFLOW

OFFICE = ("office",)

HIT_NOTICES = register_act_notices(ActNotices(
    name="screening_hit",
    workflow=HIT_WORKFLOW,
    link=lambda hit: f"/screening/hits/{hit.pk}/",
    subject=lambda hit: f"数据比对命中 {hit.pk}",
    unit=lambda hit: hit.unit,
    view_permission="screening.view",
    office_permission="screening.run",
    facts=lambda hit: {"name": hit.name, "rules": "、".join(hit.rules or [])},
    notices={
        "confirm": Notice(OFFICE, "{unit}核查{subject}属实", "{actor}核查{unit}{subject}（{name}，{rules}）属实。{reason}"
                          "请督促登记低保台账、停保并追回资金。"),
        "reject": Notice(OFFICE, "{unit}核查{subject}不属实", "{actor}核查{unit}{subject}（{name}，{rules}）不属实。"
                         "理由：{reason}"),
        "verify": Notice(OFFICE, "{unit}{subject}待核实", "{actor}把{unit}{subject}（{name}，{rules}）标记为待核实。{reason}"),
        "to_ledger": Notice(OFFICE, "{subject}已登记到低保台账", "{actor}已把{unit}{subject}（{name}）登记到低保台账：{reason}"),
        "to_clue": Notice(OFFICE, "{subject}已转为线索", "{actor}已把{unit}{subject}（{name}）转为线索：{reason}"),
    },
))

BATCH_NOTICES = register_act_notices(ActNotices(
    name="screening_batch",
    link=lambda hit: f"/screening/hits/?run={hit.run_id}&unit={hit.unit_id}",
    subject=lambda hit: f"数据比对第 {hit.run_id} 批",
    unit=lambda hit: hit.unit,
    view_permission="screening.view",
    office_permission="screening.run",
    facts=lambda hit: {"month": hit.run.payment_month},
    notices={
        "routed": Notice(("liaisons",), "{subject}：{unit}有低保对象待核查",
                         "{actor}完成了{subject}（{month} 发放名册），{reason}请逐一核查，标记属实、不属实（说明理由）或待核实。"),
    },
))
