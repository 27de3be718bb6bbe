"""A comparison run: started by the office as a background job; the job calls `execute_run`, which runs the engine
on the stored registers, stores the hits per beneficiary (routed to the unit of the beneficiary's county) and the
run's record, and deletes the bulk files the office did not ask to keep."""

import re
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qicha.core.audit import EventType, record_event
from qicha.core.errors import Invalid
from qicha.jobs.services import start_job
from qicha.notify.acts import announce
from qicha.orgs.models import Unit

from ..engine import ENGINES, KINDS, RULES, RegisterError, run_screening
from ..engine.run import choose_rules
from ..models import Evidence, Hit, Register, RegisterKind, Run, RunStatus
from .access import require_runner, top_unit
from .registers import delete_file, stored_path

JOB_KIND = "screening.run"


def _clean_params(rules: list[str], params: dict | None) -> dict:
    """Per-rule parameters as given on the page or API: lists of words, blanks dropped."""
    clean = {}
    for code in rules:
        given = (params or {}).get(code) or {}
        values = {}
        for name in RULES[code].defaults:
            if name in given:
                value = given[name]
                words = re.split(r"[,，、\s]+", value) if isinstance(value, str) else list(value or [])
                values[name] = [str(w).strip() for w in words if str(w).strip()]
        if values:
            clean[code] = values
    return clean


def start_run(actor, *, register_ids: list[int], payment_month: str, rules: list[str] | None = None,
              params: dict | None = None, engine: str = "") -> Run:
    """Check the choice, record the run and queue its job (which runs as the actor)."""
    require_runner(actor)
    errors = {}
    registers = list(Register.objects.filter(pk__in=register_ids or []))
    by_kind: dict[str, Register] = {}
    for register in registers:
        if register.kind == RegisterKind.NEGATIVE_LIST and not register.stored_name:
            continue  # a list kept as digests only cannot be read again: the 联审 check uses it
        if not register.stored_name:
            errors["registers"] = f"名册“{register.file_name}”的文件已在比对后删除，请重新导入。"
        elif register.kind in by_kind:
            errors["registers"] = f"每类名册只能选一个：{register.get_kind_display()}选了两个。"
        by_kind[register.kind] = register
    if RegisterKind.BENEFICIARIES not in by_kind:
        errors["registers"] = errors.get("registers") or "请选择低保对象名册。"
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", payment_month or ""):
        errors["payment_month"] = "请填写发放月份，如 2026-11。"
    engine = engine or settings.SCREENING_ENGINE
    if engine not in ENGINES:
        errors["engine"] = f"比对引擎只能是 {'、'.join(ENGINES)}。"
    chosen: list[str] = []
    if not errors:
        try:
            chosen = choose_rules(by_kind, rules or None)
        except RegisterError as exc:
            errors["rules"] = exc.message
        if not chosen and "rules" not in errors:
            errors["rules"] = "所选名册不足以运行任何规则：请再选择至少一类参照名册。"
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        run = Run.objects.create(payment_month=payment_month, rules=chosen, params=_clean_params(chosen, params),
                                 engine=engine, created_by=actor, unit=actor.unit or top_unit())
        run.registers.set(by_kind.values())
        record_event(EventType.CREATE, actor=actor, obj=run, action="start_run",
                     after={"payment_month": payment_month, "rules": chosen, "params": run.params, "engine": engine,
                            "registers": {kind: r.file_name for kind, r in by_kind.items()}})
        job = start_job(actor, JOB_KIND, {"run": run.pk}, label=f"数据比对（{payment_month}）")
        Run.objects.filter(pk=run.pk).update(job=job)
        run.job = job
    run.refresh_from_db()
    return run


def _routing() -> tuple[dict[str, Unit], Unit]:
    units = {unit.region_code: unit for unit in Unit.objects.exclude(region_code="").filter(is_active=True)}
    return units, top_unit()


def _amount(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(round(float(value), 2)))
    except (ValueError, ArithmeticError):
        return None


def execute_run(actor, run: Run, progress=lambda percent, message: None) -> dict:
    """Run the engine and store what it found. Called by the job; the run's record says how it went."""
    require_runner(actor)
    if not Run.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING):
        return {"run": run.pk, "message": "该批次已比对。", "next_url": f"/screening/runs/{run.pk}/"}  # a retry
    registers = {r.kind: r for r in run.registers.all() if r.stored_name}
    try:
        result = run_screening({kind: stored_path(r) for kind, r in registers.items()}, run.payment_month,
                               rules=run.rules, params=run.params, engine=run.engine, progress=progress)
    except RegisterError as exc:
        Run.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, message=exc.message[:500],
                                             finished_at=timezone.now())
        raise Invalid(exc.message) from None
    progress(96, "正在保存命中清单…")
    grouped: dict[int, list] = defaultdict(list)
    for hit in result.hits:
        grouped[hit.key].append(hit)
    units, top = _routing()
    with transaction.atomic():
        hits = []
        for rows in grouped.values():
            first = rows[0]
            unit = units.get(first.village_code or "") or units.get(first.county_code or "") or top
            hits.append(Hit(run=run, unit=unit, id_number=first.id_number, name=(first.name or "")[:50],
                            household_id=(first.household_id or "")[:50], county_code=(first.county_code or "")[:12],
                            village_code=(first.village_code or "")[:12], monthly_amount=_amount(first.monthly_amount),
                            rules=sorted({row.rule for row in rows}, key=list(RULES).index)))
        Hit.objects.bulk_create(hits, batch_size=1000)
        evidence = [Evidence(hit=hit, rule=row.rule, ev1=(row.ev1 or "")[:200], ev2=(row.ev2 or "")[:200],
                             ev3=(row.ev3 or "")[:200])
                    for hit, rows in zip(hits, grouped.values(), strict=True) for row in rows]
        Evidence.objects.bulk_create(evidence, batch_size=2000)
        inputs = {kind: stats.summary() | {"file": registers[kind].file_name, "register": registers[kind].pk}
                  for kind, stats in result.registers.items()}
        Run.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, inputs=inputs, seconds={k: round(v, 3) for k, v in result.seconds.items()},
            hits_per_rule=result.hits_per_rule, hits_per_county=result.hits_per_county,
            beneficiaries_flagged=result.beneficiaries_flagged, finished_at=timezone.now(),
            message=f"命中 {result.beneficiaries_flagged} 名低保对象（{result.hit_count} 条证据）")
        for kind, stats in result.registers.items():
            Register.objects.filter(pk=registers[kind].pk).update(rows=stats.rows, bad=stats.bad)
        per_unit: dict[int, list[Hit]] = defaultdict(list)
        for hit in hits:
            per_unit[hit.unit_id].append(hit)
        for unit_hits in per_unit.values():
            announce("screening_batch", actor, unit_hits[0], "routed",
                     detail=f"命中{unit_hits[0].unit.name}低保对象 {len(unit_hits)} 名")
        record_event(EventType.UPDATE, actor=actor, obj=run, action="finish_run",
                     after={"hits_per_rule": result.hits_per_rule, "beneficiaries": result.beneficiaries_flagged,
                            "inputs": {k: {"sha256": v["digest"], "rows": v["rows"], "bad": v["bad"]}
                                       for k, v in inputs.items()}})
    for register in registers.values():
        if not register.keep_file:
            delete_file(register)
    return {"run": run.pk, "hits": result.hit_count, "beneficiaries": result.beneficiaries_flagged,
            "message": f"比对完成：命中 {result.beneficiaries_flagged} 名低保对象，{result.hit_count} 条证据。",
            "next_url": f"/screening/runs/{run.pk}/"}


def fail_run(run_id: int, message: str) -> None:
    Run.objects.filter(pk=run_id).exclude(status=RunStatus.DONE).update(
        status=RunStatus.FAILED, message=message[:500], finished_at=timezone.now())


def kinds_in_order() -> list[tuple[str, str]]:
    return [(key, kind.label) for key, kind in KINDS.items()]
