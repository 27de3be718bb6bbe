"""api.md's error shape: {"code", "message" (Chinese), "details"}."""

import json

from django.db import DataError
from django.http import Http404
from django.http.request import RawPostDataException
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from qicha.core.dates import DateTextError, parse_date_text
from qicha.core.errors import DomainError, NotFound
from qicha.core.middleware import OUT_OF_RANGE
from qicha.core.probes import record_out_of_scope


def install(api):
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        if isinstance(exc, NotFound):
            record_out_of_scope(request, exc)
        return api.create_response(request, {"code": exc.code, "message": exc.message, "details": exc.details}, status=exc.status)

    @api.exception_handler(OverflowError)
    def out_of_range(request, exc):
        return api.create_response(request, {"code": "invalid", "message": OUT_OF_RANGE, "details": {}}, status=422)

    @api.exception_handler(DataError)
    def bad_value(request, exc):
        return api.create_response(request, {"code": "invalid", "message": OUT_OF_RANGE, "details": {}}, status=422)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"code": "not_found", "message": "记录不存在或您无权访问", "details": {}}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request, {"code": "unauthenticated", "message": "未登录或令牌已失效，请重新获取令牌。", "details": {}}, status=401
        )

    @api.exception_handler(NinjaValidationError)
    def invalid_request(request, exc: NinjaValidationError):
        details = {}
        for error in exc.errors:
            location = ".".join(str(p) for p in error.get("loc", []) if p not in ("body", "payload", "query"))
            details[location or "request"] = _chinese(error, request)
        return api.create_response(request, {"code": "invalid", "message": "请求参数有误", "details": details}, status=422)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return api.create_response(request, {"code": "error", "message": str(exc), "details": {}}, status=exc.status_code)


def _typed(request, loc) -> object:
    """The value the client sent at `loc` (ninja's errors do not carry it): from the JSON body or the query."""
    path = [p for p in loc if p not in ("body", "payload", "query")]
    if not path:
        return None
    if loc and loc[0] == "query":
        return request.GET.get(str(path[0]))
    try:
        value = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError, RawPostDataException):  # not JSON, or a multipart body already read
        return None
    for step in path:
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
            value = value[step]
        else:
            return None
    return value


def _chinese(error: dict, request=None) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "缺少此项"
    if kind.startswith("int"):
        return "应为整数"
    if kind.startswith("bool"):
        return "应为 true 或 false"
    if kind.startswith("date"):
        typed = error.get("input", _typed(request, error.get("loc", ())) if request is not None else None)
        if isinstance(typed, str):
            try:
                parse_date_text(typed)
            except DateTextError as exc:
                return exc.message  # 日期不存在：2026-02-30
        return "日期格式应为 YYYY-MM-DD"
    if kind.startswith("string"):
        return "应为文本"
    if kind == "extra_forbidden":
        return "不认识或不能在此修改的字段"
    if kind in ("enum", "literal_error"):
        return f"取值应为：{(error.get('ctx') or {}).get('expected', '')}"
    return error.get("msg", "格式有误")
