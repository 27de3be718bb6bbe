"""`/api/v1/screening`: registers (upload), runs (start, record), hits (the review queue in the caller's scope, and
its acts). Identity numbers come back masked."""

from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from qicha.core.api.formats import iso_time
from qicha.core.api.pagination import paginate
from qicha.core.workflow import given_version

from . import queries
from .engine import KINDS, RULES
from .services import registers as register_services
from .services import runs as run_services
from .workflow import HIT_WORKFLOW

router = Router(tags=["数据比对"])


def register_out(r) -> dict:
    return {"id": r.pk, "kind": r.kind, "kind_label": r.get_kind_display(), "file_name": r.file_name,
            "size": r.size, "sha256": r.digest, "rows": r.rows, "bad": r.bad, "file_kept": bool(r.stored_name),
            "uploaded_at": iso_time(r.uploaded_at)}


def run_out(run) -> dict:
    return {"id": run.pk, "payment_month": run.payment_month, "rules": run.rules, "params": run.params,
            "engine": run.engine, "status": run.status, "status_label": run.get_status_display(),
            "message": run.message, "job": run.job_id, "inputs": run.inputs, "seconds": run.seconds,
            "hits_per_rule": run.hits_per_rule, "hits_per_county": run.hits_per_county,
            "beneficiaries_flagged": run.beneficiaries_flagged, "created_at": iso_time(run.created_at),
            "finished_at": iso_time(run.finished_at)}


def hit_out(hit, user) -> dict:
    return {"id": hit.pk, "run": hit.run_id, "unit": {"id": hit.unit_id, "name": hit.unit.name},
            "id_number": hit.id_number.masked, "name": hit.name, "household_id": hit.household_id,
            "county_code": hit.county_code, "village_code": hit.village_code,
            "monthly_amount": str(hit.monthly_amount) if hit.monthly_amount is not None else None,
            "rules": hit.rules, "status": hit.status, "status_label": hit.get_status_display(), "reason": hit.reason,
            "evidence": [{"rule": e.rule, "values": dict(zip(RULES[e.rule].evidence, (e.ev1, e.ev2, e.ev3),
                                                             strict=True))} for e in hit.evidence.all()],
            "ledger_row": hit.ledger_row_id, "clue": hit.clue_id, "version": hit.version,
            "allowed_actions": [t.action for t in HIT_WORKFLOW.allowed_actions(user, hit)]}


@router.get("/screening/rules", summary="比对规则（代码、名称、说明、证据列、参数默认值）与名册类型")
def list_rules(request):
    return {"rules": [{"code": r.code, "name": r.name, "description": r.description, "registers": r.registers,
                       "evidence": [e for e in r.evidence if e], "params": r.defaults} for r in RULES.values()],
            "kinds": [{"kind": k.key, "label": k.label, "fields": [{"key": f, "header": h} for f, h in k.fields]}
                      for k in KINDS.values()]}


@router.get("/screening/registers", summary="已导入的比对名册（扫黑办）")
def list_registers(request, page: int = 1, page_size: int = 50):
    return paginate(queries.registers(request.user), page, page_size, register_out)


@router.post("/screening/registers", summary="导入比对名册（CSV / Excel / Parquet；缺列时说明缺哪些列）")
def upload_register(request, kind: Form[str], file: UploadedFile = File(...), source: Form[str] = "",
                    keep_file: Form[bool] = False):
    register = register_services.import_register(request.user, kind=kind, upload=file, file_name=file.name,
                                                 source=source, keep_file=keep_file)
    return register_out(register)


class RunIn(Schema):
    registers: list[int]
    payment_month: str
    rules: list[str] = []
    params: dict = {}
    engine: str = ""


@router.post("/screening/runs", summary="运行数据比对（后台任务；进度见 /jobs/{job}）")
def start_run(request, payload: RunIn):
    run = run_services.start_run(request.user, register_ids=payload.registers, payment_month=payload.payment_month,
                                 rules=payload.rules, params=payload.params, engine=payload.engine)
    return run_out(run)


@router.get("/screening/runs", summary="比对批次")
def list_runs(request, page: int = 1, page_size: int = 50):
    return paginate(queries.visible_runs(request.user), page, page_size, run_out)


@router.get("/screening/runs/{run_id}", summary="比对批次的记录（输入摘要、行数、问题行、规则与参数、引擎、用时）")
def get_run(request, run_id: int):
    return run_out(queries.get_run(request.user, run_id))


@router.get("/screening/hits", summary="核查清单（每名低保对象一行；数据权限内）")
def list_hits(request, page: int = 1, page_size: int = 50):
    filters = queries.HitFilters.parse(request.GET)
    return paginate(queries.hit_list(request.user, filters), page, page_size, lambda h: hit_out(h, request.user))


@router.get("/screening/hits/{hit_id}", summary="比对命中")
def get_hit(request, hit_id: int):
    return hit_out(queries.get_hit(request.user, hit_id), request.user)


class HitActionIn(Schema):
    version: int | None = None
    reason: str = ""
    kind: str = ""          # to_ledger: 错保 / 关系保
    amount: str = ""        # to_ledger: 追回金额（元）


@router.post("/screening/hits/{hit_id}/actions/{action}",
             summary="核查：verify（待核实）/ confirm（属实）/ reject（不属实，须理由）/ to_ledger / to_clue")
def hit_action(request, hit_id: int, action: str, payload: HitActionIn):
    hit = queries.get_hit(request.user, hit_id)
    data = payload.dict()
    version = data.pop("version")
    HIT_WORKFLOW.perform(request.user, hit, action, version=given_version(version, hit), **data)
    return hit_out(queries.get_hit(request.user, hit_id), request.user)
