"""Sample unit summaries for `make run`, written through the services on the days they happened (core.demo_clock):
the 阶段性总结 handed in around 6月23日 by every participating unit that has a liaison — most on time and accepted,
南山 returned once and resubmitted, 北湖 late, 核对中心 never — and the 工作总结 begun by a few units, one of them as
its own .docx. Loading twice changes nothing.
"""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from docx import Document

from qicha.campaigns.models import Campaign
from qicha.core.demo_clock import acting_on, real_today
from qicha.orgs.models import User

from . import unit_services
from .models import Kind, UnitSummary
from .unit_workflow import UNIT_SUMMARY_WORKFLOW

# (liaison, days before (−) or after (+) the stage summary's due date, what the office then does)
STAGE = [("liaison_city", -3, "accept"), ("liaison_chengdong", -2, "accept"), ("liaison_chengxi", -1, "accept"),
         ("liaison_nanshan", -4, "return"), ("liaison_beihu", 3, "accept"), ("liaison_bgs", -2, "accept"),
         ("liaison_shzz", -1, "accept"), ("liaison_shsw", -2, "accept"), ("liaison_jczq", 0, "accept"),
         ("liaison_zcfg", -1, "accept"), ("liaison_byg", -3, "accept"), ("liaison_jzz", -1, "accept"),
         ("liaison_fly", 0, "")]
RETURN_REASON = "“存在的问题”只写了一句，请结合本单位问题台账，具体说明未销号问题的原因和整改打算。"
# The 工作总结 is due later: a few units have begun (days before today).
FINAL = [("liaison_chengdong", 3, "accept"), ("liaison_chengxi", 1, ""), ("liaison_nanshan", 2, "draft")]


def stage_text(unit: str, better: bool = False) -> str:
    problems = ("对照台账逐条分析了未销号问题的成因：有的涉及跨部门协调，有的需待制度出台后才能销号，均已明确责任人和完成时限。"
                if better else "部分问题整改进度偏慢。")
    return (f"一、工作开展情况\n{unit}按照局扫黑办“七查七摆”专项行动部署，成立由主要负责同志任组长的工作专班，"
            "对照七个方面逐项开展自查，建立问题、线索两本台账，每月按时报送。\n"
            "二、取得的成效\n查摆出的问题逐一明确责任人和整改时限，能立行立改的已整改到位；"
            "交办线索均按时限组织核查，实名举报做到件件有回音。\n"
            f"三、存在的问题\n{problems}\n"
            "四、下一步工作打算\n持续抓好未销号问题整改，对已销号问题开展回头看，把好的做法固化为制度。")


def final_docx(unit: str) -> SimpleUploadedFile:
    """A unit's own 工作总结 as a Word file (units often write theirs in WPS and upload it)."""
    doc = Document()
    doc.add_paragraph(f"{unit}“七查七摆”专项行动工作总结")
    for line in ("一、基本情况", f"专项行动开展以来，{unit}经过安排部署、集中整改、巩固提升三个阶段，问题整改和线索核查工作有序推进。",
                 "二、长效机制", "结合整改实际，修订完善了低保审核审批、社会组织监管等方面的工作制度。",
                 "三、下一步打算", "把专项行动中形成的好经验好做法固化下来，推动常态长效。"):
        doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    return SimpleUploadedFile(f"{unit}工作总结.docx", buffer.getvalue())


def _write(liaison, campaign, kind, text="", upload=None, then=""):
    summary = unit_services.save_unit_summary(liaison, campaign, kind, text=text, upload=upload)
    if then != "draft":
        summary = unit_services.submit_unit_summary(liaison, summary, version=summary.version)
    return summary


@transaction.atomic
def load_unit_summary_demo(password: str) -> int:
    campaign = Campaign.objects.filter(is_active=True).first()
    if campaign is None or UnitSummary.objects.filter(campaign=campaign).exists():
        return 0
    office, today = User.objects.get(username="office"), real_today()
    yesterday, made = today - timedelta(days=1), 0
    due = campaign.stage_summary_due
    for username, offset, review in STAGE if due else []:
        liaison = User.objects.filter(username=username).first()
        if liaison is None:
            continue
        day = min(due + timedelta(days=offset), yesterday)
        with acting_on(day, hour=15):
            summary = _write(liaison, campaign, Kind.STAGE, stage_text(liaison.unit.name))
        if review:
            with acting_on(min(day + timedelta(days=1), yesterday), hour=10):
                UNIT_SUMMARY_WORKFLOW.perform(office, summary, review, version=summary.version,
                                              reason=RETURN_REASON if review == "return" else "")
        if review == "return":  # corrected and accepted a few days later
            with acting_on(min(day + timedelta(days=3), yesterday), hour=11):
                summary = unit_services.save_unit_summary(liaison, campaign, Kind.STAGE, version=summary.version,
                                                          text=stage_text(liaison.unit.name, better=True))
                summary = unit_services.submit_unit_summary(liaison, summary, version=summary.version)
            with acting_on(min(day + timedelta(days=4), yesterday), hour=9):
                unit_services.accept_unit_summary(office, summary, version=summary.version)
        made += 1
    for username, days_ago, then in FINAL:
        liaison = User.objects.filter(username=username).first()
        if liaison is None:
            continue
        day = today - timedelta(days=days_ago)
        with acting_on(day, hour=16):
            upload = final_docx(liaison.unit.name) if username == "liaison_chengdong" else None
            summary = _write(liaison, campaign, Kind.FINAL, "" if upload else stage_text(liaison.unit.name, True)
                             .replace("三、存在的问题", "三、形成的长效机制"), upload=upload, then=then)
        if then == "accept":
            with acting_on(min(day + timedelta(days=1), yesterday), hour=10):
                unit_services.accept_unit_summary(office, summary, version=summary.version)
        made += 1
    return made
