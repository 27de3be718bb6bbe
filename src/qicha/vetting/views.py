"""村“两委”联审 pages. The county (vetting.view / vetting.manage) sees rounds, results, the ledgers; a 联审部门 account
(vetting.answer) sees only the departments it answers for: name, village, masked ID, post and the 比对提示."""

from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from qicha.core.dates import DateTextError, parse_date_text
from qicha.core.errors import DomainError, Invalid, NotFound
from qicha.core.excel_export import XLSX_MIME
from qicha.core.params import parse_id
from qicha.core.scope import has_permission, units_in_scope
from qicha.core.web import permission_required
from qicha.core.workflow import given_version
from qicha.orgs.models import User

from . import exporting, importing, queries, services
from .importing import ImportRejected
from .models import Ground, MemberAction, MemberSource, NegativeList, Result, ReviewDecision, Verdict
from .workflow import ROUND_WORKFLOW

VIEW, MANAGE, ANSWER = "vetting.view", "vetting.manage", "vetting.answer"
HOME = ("村“两委”联审", "/vetting/")


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _date(raw: str):
    try:
        return parse_date_text(raw) if (raw or "").strip() else None
    except DateTextError:
        return None


def _report(request, exc: DomainError) -> None:
    if isinstance(exc, ImportRejected):
        messages.error(request, exc.message)
        request.session["vetting_import_errors"] = exc.located[:200]
        return
    details = "；".join(getattr(exc, "details", None) and exc.details.values() or [])
    messages.error(request, f"{exc.message}{('：' + details) if details and details not in exc.message else ''}")


def _import_errors(request) -> list[str]:
    return request.session.pop("vetting_import_errors", [])


def _upload(request):
    upload = request.FILES.get("file")
    if upload is None:
        raise Invalid("请选择要上传的 Excel 文件。")
    return upload.read(), upload.name


# ---- home, rounds --------------------------------------------------------------------------------------------

@permission_required(VIEW, ANSWER)
def home(request):
    user = request.user
    context = {"breadcrumbs": [(HOME[0], None)], "full": has_permission(user, VIEW),
               "can_manage": has_permission(user, MANAGE),
               "departments": list(queries.answering_departments(user).order_by("-round__opened_at"))}
    if context["full"]:
        rounds = list(queries.visible_rounds(user).prefetch_related("departments"))
        today = timezone.localdate()
        for r in rounds:
            r.progress = queries.progress(r, today)
            r.late_count = sum(p.late for p in r.progress)
            r.candidate_count = r.progress[0].total if r.progress else r.candidates.count()
        context |= {"rounds": rounds, "review": queries.review_counts(user),
                    "members": queries.visible_members(user).count(),
                    "members_open": queries.visible_members(user).filter(refilled_on__isnull=True).count()}
    return render(request, "vetting/home.html", context)


def _department_lines(text: str):
    """'县公安局：dept_police、dept_police2' per line → [(name, [User])]; unknown accounts are named in the error."""
    result, unknown = [], []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, _, accounts = line.replace(":", "：").partition("：")
        usernames = [u for u in accounts.replace(",", "、").replace("，", "、").replace(" ", "、").split("、") if u]
        users = list(User.objects.filter(username__in=usernames, is_active=True))
        unknown += [u for u in usernames if u not in {x.username for x in users}]
        result.append((name.strip(), users))
    if unknown:
        raise Invalid(details={"departments": f"没有这些账号：{'、'.join(unknown)}"})
    return result


@permission_required(MANAGE)
def new_round(request):
    user = request.user
    units = list(units_in_scope(user, MANAGE).order_by("path"))
    form = {"election": "", "region": "", "deadline": "", "departments": ""}
    errors = {}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        region = next((u for u in units if u.pk == parse_id(form["region"])), None)
        try:
            departments = _department_lines(form["departments"])
            created = services.rounds.open_round(user, election=form["election"], region=region,
                                                 deadline=_date(form["deadline"]), departments=departments)
        except Invalid as exc:
            errors = exc.details or {"": exc.message}
        else:
            messages.success(request, "联审批次已开设，已通知各联审部门。请导入候选人名单。")
            return redirect("vetting:round", created.pk)
    accounts = [u for u in User.objects.filter(is_active=True, roles__code="vetting_department").distinct()
                .select_related("unit").order_by("username")]
    return render(request, "vetting/new_round.html", {
        "form": form, "errors": errors, "units": units, "accounts": accounts,
        "breadcrumbs": [HOME, ("开设联审批次", None)]})


@permission_required(VIEW, ANSWER)
def round_detail(request, pk):
    access = queries.get_round(request.user, pk)
    round_ = access.round
    if not access.full:
        return redirect("vetting:department", round_.pk, access.departments[0].pk)
    departments, rows = queries.matrix(round_)
    today = timezone.localdate()
    return render(request, "vetting/round.html", {
        "round": round_, "departments": departments, "rows": rows,
        "progress": queries.progress(round_, today), "today": today,
        "counts": {r: sum(1 for row in rows if row.result == r) for r in Result.values},
        "actions": ROUND_WORKFLOW.allowed_actions(request.user, round_),
        "can_manage": ROUND_WORKFLOW.permits(request.user, round_, MANAGE),
        "is_open": round_.status == "open", "lists": NegativeList.objects.all()[:20],
        "import_errors": _import_errors(request), "Result": Result,
        "breadcrumbs": [HOME, (round_.election, None)]})


@permission_required(MANAGE)
def candidate_template(request):
    return _xlsx(importing.template(importing.CANDIDATE_COLUMNS, importing.CANDIDATE_SHEET,
                                    importing.CANDIDATE_NOTES), importing.CANDIDATE_TEMPLATE)


@permission_required(MANAGE)
def negative_template(request):
    return _xlsx(importing.template(importing.NEGATIVE_COLUMNS, importing.NEGATIVE_SHEET),
                 importing.NEGATIVE_TEMPLATE)


@permission_required(MANAGE)
def review_template(request):
    return _xlsx(importing.template(importing.REVIEW_COLUMNS, importing.REVIEW_SHEET), importing.REVIEW_TEMPLATE)


@require_POST
@permission_required(MANAGE)
def import_candidates(request, pk):
    round_ = queries.get_round(request.user, pk).round
    try:
        count = services.rounds.import_candidates(request.user, round_, *_upload(request))
    except DomainError as exc:
        _report(request, exc)
    else:
        messages.success(request, f"已导入候选人 {count} 名。")
    return redirect("vetting:round", round_.pk)


@require_POST
@permission_required(MANAGE)
def import_negative_list(request, pk):
    round_ = queries.get_round(request.user, pk).round
    try:
        data, name = _upload(request)
        negative = services.negative_lists.import_negative_list(request.user, source=request.POST.get("source", ""),
                                                                data=data, file_name=name)
    except DomainError as exc:
        _report(request, exc)
    else:
        messages.success(request, f"已导入负面清单“{negative.source}” {negative.row_count} 人。")
    return redirect("vetting:round", round_.pk)


@require_POST
@permission_required(MANAGE)
def precheck(request, pk):
    round_ = queries.get_round(request.user, pk).round
    try:
        hits = services.rounds.precheck_round(request.user, round_)
    except DomainError as exc:
        _report(request, exc)
    else:
        messages.success(request, f"比对完成：{hits} 名候选人有比对提示（仅供各部门参考，不作为结论）。")
    return redirect("vetting:round", round_.pk)


@require_POST
@permission_required(MANAGE)
def act(request, pk, action):
    round_ = queries.get_round(request.user, pk).round
    try:
        ROUND_WORKFLOW.perform(request.user, round_, action, version=given_version(parse_id(request.POST.get("version")),
                                                                                 round_),
                               reason=request.POST.get("reason", ""))
    except DomainError as exc:
        _report(request, exc)
    else:
        messages.success(request, {"close": "联审已结束。", "reopen": "联审已重新开放。"}.get(action, "已完成。"))
    return redirect("vetting:round", round_.pk)


@require_POST
@permission_required(MANAGE)
def decide(request, candidate_id):
    candidate = queries.get_candidate(request.user, candidate_id, manage_only=True)
    try:
        services.rounds.record_decision(request.user, candidate, decision=request.POST.get("decision", ""),
                                        reason=request.POST.get("reason", ""),
                                        version=parse_id(request.POST.get("version")))
    except DomainError as exc:
        _report(request, exc)
    else:
        messages.success(request, f"已记录对{candidate.name}的复核决定。")
    return redirect(reverse("vetting:round", args=[candidate.round_id]) + f"#c{candidate.pk}")


@require_POST
@permission_required(MANAGE)
def to_ledger(request, candidate_id):
    candidate = queries.get_candidate(request.user, candidate_id, manage_only=True)
    try:
        member = services.members.member_from_candidate(request.user, candidate,
                                                        action=request.POST.get("action", ""))
    except DomainError as exc:
        _report(request, exc)
        return redirect("vetting:round", candidate.round_id)
    messages.success(request, f"{candidate.name}已纳入基层组织问题成员台账，请在补齐配强后登记。")
    return redirect("vetting:member", member.pk)


@permission_required(VIEW)
def summary(request, pk):
    access = queries.get_round(request.user, pk)
    if not access.full:
        raise NotFound()  # a department sees its own answers, never the others' nor the summary
    return _xlsx(*exporting.summary_workbook(request.user, access.round))


# ---- a department's page ---------------------------------------------------------------------------------------

@permission_required(VIEW, ANSWER)
def department(request, pk, department_id):
    access, dept = queries.get_department(request.user, pk, department_id)
    answering = dept in access.departments
    opinions = {o.candidate_id: o for o in dept.opinions.all()}
    candidates = list(access.round.candidates.all())
    for c in candidates:
        c.opinion = opinions.get(c.pk)
    return render(request, "vetting/department.html", {
        "round": access.round, "department": dept, "candidates": candidates, "answering": answering,
        "is_open": access.round.status == "open", "full": access.full, "answered": len(opinions),
        "Verdict": Verdict, "grounds": Ground.choices, "import_errors": _import_errors(request),
        "breadcrumbs": [HOME, (access.round.election, reverse("vetting:round", args=[access.round.pk])),
                        (dept.name, None)]})


@permission_required(VIEW, ANSWER)
def department_sheet(request, pk, department_id):
    _, dept = queries.get_department(request.user, pk, department_id)
    return _xlsx(*exporting.department_workbook(request.user, dept))


@require_POST
@permission_required(ANSWER)
def answer(request, pk, department_id, candidate_id):
    access, dept = queries.get_department(request.user, pk, department_id)
    candidate = access.round.candidates.filter(pk=parse_id(candidate_id)).first()
    if candidate is None:
        raise NotFound()
    try:
        services.answers.answer(request.user, dept, candidate, verdict=request.POST.get("verdict", ""),
                                ground=request.POST.get("ground", ""), note=request.POST.get("note", ""))
    except DomainError as exc:
        _report(request, exc)
    else:
        messages.success(request, f"已保存对{candidate.name}的意见。")
    return redirect(reverse("vetting:department", args=[pk, dept.pk]) + f"#c{candidate.pk}")


@require_POST
@permission_required(ANSWER)
def upload_answers(request, pk, department_id):
    _, dept = queries.get_department(request.user, pk, department_id)
    try:
        count = services.answers.import_answers(request.user, dept, *_upload(request))
    except DomainError as exc:
        _report(request, exc)
    else:
        messages.success(request, f"已导入联审意见 {count} 条。")
    return redirect("vetting:department", pk, dept.pk)


# ---- lists: candidates across rounds, the problem-member ledger, the 回头看 --------------------------------------

@permission_required(VIEW)
def candidates(request):
    filters = queries.CandidateFilters.from_params(request.GET)
    rows = queries.candidate_list(request.user, filters) if not filters.errors else queries.visible_candidates(
        request.user).none()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "vetting/candidates.html", {
        "filters": filters, "page": page, "results": Result.choices, "grounds": Ground.choices,
        "units": units_in_scope(request.user, VIEW).order_by("path"),
        "breadcrumbs": [HOME, ("联审候选人", None)]})


@permission_required(VIEW)
def members(request):
    filters = queries.MemberFilters.from_params(request.GET)
    rows = queries.member_list(request.user, filters) if not filters.errors else queries.visible_members(
        request.user).none()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "vetting/members.html", {
        "filters": filters, "page": page, "sources": MemberSource.choices,
        "units": units_in_scope(request.user, VIEW).order_by("path"), "can_manage": has_permission(request.user, MANAGE),
        "breadcrumbs": [HOME, ("基层组织问题成员台账", None)]})


@permission_required(MANAGE)
def new_member(request):
    units = list(units_in_scope(request.user, MANAGE).order_by("path"))
    form, errors = {}, {}
    if request.method == "POST":
        form = request.POST.dict()
        fields = form | {"cleaned_on": _date(form.get("cleaned_on", ""))}
        region = next((u for u in units if u.pk == parse_id(form.get("region"))), None)
        try:
            member = services.members.register_member(request.user, region=region, fields=fields)
        except Invalid as exc:
            errors = exc.details or {"": exc.message}
        else:
            messages.success(request, "已登记。")
            return redirect("vetting:member", member.pk)
    return render(request, "vetting/member_form.html", {
        "form": form, "errors": errors, "units": units, "sources": MemberSource.choices,
        "actions": MemberAction.choices, "grounds": Ground.choices,
        "breadcrumbs": [HOME, ("基层组织问题成员台账", reverse("vetting:members")), ("登记问题成员", None)]})


@permission_required(VIEW)
def member(request, pk):
    item = queries.get_member(request.user, pk)
    errors = {}
    if request.method == "POST":
        try:
            services.members.record_refill(request.user, item, refill_name=request.POST.get("refill_name", ""),
                                           refilled_on=_date(request.POST.get("refilled_on", "")),
                                           version=parse_id(request.POST.get("version")))
        except DomainError as exc:
            errors = getattr(exc, "details", None) or {"": exc.message}
        else:
            messages.success(request, "已登记补齐配强，该条台账已完成。")
            return redirect("vetting:member", item.pk)
    return render(request, "vetting/member.html", {
        "member": item, "errors": errors, "can_manage": has_permission(request.user, MANAGE),
        "breadcrumbs": [HOME, ("基层组织问题成员台账", reverse("vetting:members")), (item.name, None)]})


@permission_required(VIEW)
def review(request):
    user = request.user
    members_ = queries.visible_review_members(user)
    decision = request.GET.get("decision", "")
    shown = members_.filter(decision="" if decision == "pending" else decision) if decision else members_
    page = Paginator(shown.order_by("region__path", "village", "pk"), 50).get_page(request.GET.get("page"))
    return render(request, "vetting/review.html", {
        "page": page, "counts": queries.review_counts(user), "decision": decision,
        "units": units_in_scope(user, MANAGE).order_by("path"), "can_manage": has_permission(user, MANAGE),
        "decisions": ReviewDecision.choices, "actions": MemberAction.choices,
        "import_errors": _import_errors(request), "breadcrumbs": [HOME, ("2019年联审“回头看”", None)]})


@require_POST
@permission_required(MANAGE)
def review_import(request):
    units = units_in_scope(request.user, MANAGE)
    region = units.filter(pk=parse_id(request.POST.get("region"))).first()
    try:
        data, name = _upload(request)
        count = services.review.import_review_members(request.user, region=region, data=data, file_name=name)
    except DomainError as exc:
        _report(request, exc)
    else:
        messages.success(request, f"已导入 2019 年联审成员 {count} 名。")
    return redirect("vetting:review")


@require_POST
@permission_required(MANAGE)
def review_precheck(request):
    members_ = queries.visible_review_members(request.user).filter(decision="")
    try:
        hits = services.review.precheck_review(request.user, members_)
    except DomainError as exc:
        _report(request, exc)
    else:
        messages.success(request, f"比对完成：{hits} 名成员有比对提示。")
    return redirect("vetting:review")


@require_POST
@permission_required(MANAGE)
def review_decide(request, pk):
    item = queries.get_review_member(request.user, pk)
    try:
        services.review.decide_review(request.user, item, decision=request.POST.get("decision", ""),
                                      reason=request.POST.get("reason", ""), action=request.POST.get("action", ""),
                                      version=parse_id(request.POST.get("version")))
    except DomainError as exc:
        _report(request, exc)
    else:
        messages.success(request, f"已记录{item.name}的回头看结论。")
    return redirect(reverse("vetting:review") + f"#m{item.pk}")
