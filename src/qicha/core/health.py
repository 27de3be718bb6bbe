"""`/healthz` for the bureau's monitoring: is each part qicha needs there? JSON, 200 when all are, 503 naming the
failing parts otherwise.

Parts: the database (one round trip), Redis (when QICHA_REDIS_URL is set: the queue and the cache), the worker's
heartbeat (when the worker runs apart, i.e. on Redis: the `worker_heartbeat` periodic task writes it every minute),
the key files (present, readable and well formed) and the free disk space under var/. No secrets: no address,
password, path of a key or exception text leaves the server — only the part, ok or not, and a Chinese reason.
"""

import logging
import shutil
import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "qicha:worker:heartbeat"


def _redis_client():
    import redis

    # Short timeouts: a monitor asking every few seconds must get an answer, not hang with a dead Redis.
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the same thing to the monitor
        log.warning("健康检查：数据库不可用（%s）", type(exc).__name__)
        return False, "数据库无法连接或无法查询"
    return True, "正常"


def check_redis() -> tuple[bool, str]:
    try:
        _redis_client().ping()
    except Exception as exc:
        log.warning("健康检查：Redis 不可用（%s）", type(exc).__name__)
        return False, "Redis 无法连接（后台任务无法排队，缓存暂不可用）"
    return True, "正常"


def check_worker() -> tuple[bool, str]:
    try:
        raw = _redis_client().get(HEARTBEAT_KEY)
    except Exception:
        return False, "无法读取后台任务进程的心跳（Redis 不可用）"
    if raw is None:
        return False, "后台任务进程没有心跳：qicha-worker 未运行或从未启动"
    age = time.time() - float(raw)
    if age > settings.WORKER_HEARTBEAT_MAX_SECONDS:
        return False, f"后台任务进程已 {int(age)} 秒没有心跳（上限 {settings.WORKER_HEARTBEAT_MAX_SECONDS} 秒）"
    return True, f"{int(age)} 秒前有心跳"


def check_keys() -> tuple[bool, str]:
    # Read afresh (not the process's cached ring): a key file removed or damaged since start-up shows here.
    import json
    import os

    from .crypto import KeyError_, _parse, key_file

    try:
        inline = os.environ.get("QICHA_KEYS")
        if inline:
            _parse(json.loads(inline), "QICHA_KEYS")
        else:
            _parse(json.loads(key_file().read_text(encoding="utf-8")), "key file")
    except (OSError, ValueError, KeyError_):
        return False, "密钥文件缺失、不可读或格式不正确"
    return True, "正常"


def check_disk() -> tuple[bool, str]:
    free_mb = shutil.disk_usage(settings.VAR_DIR).free // (1024 * 1024)
    if free_mb < settings.HEALTH_MIN_FREE_MB:
        return False, f"数据目录所在磁盘剩余 {free_mb} MB，低于 {settings.HEALTH_MIN_FREE_MB} MB"
    return True, f"剩余 {free_mb} MB"


def checks() -> dict[str, tuple[bool, str]]:
    """Each configured part → (ok, reason). Redis and the worker only when QICHA_REDIS_URL is set."""
    result = {"database": check_database()}
    if settings.REDIS_URL:
        result["redis"] = check_redis()
        if not settings.EMBEDDED_WORKER:
            result["worker"] = check_worker()
    result["keys"] = check_keys()
    result["disk"] = check_disk()
    return result


@never_cache
@require_GET
def healthz(request):
    started = time.monotonic()
    results = checks()
    failing = [name for name, (ok, _) in results.items() if not ok]
    body = {
        "status": "fail" if failing else "ok",
        "failing": failing,
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()},
        "ms": round((time.monotonic() - started) * 1000, 1),
    }
    return JsonResponse(body, status=503 if failing else 200, json_dumps_params={"ensure_ascii": False})


def beat() -> None:
    """Written by the worker (core.tasks.worker_heartbeat) every minute."""
    _redis_client().set(HEARTBEAT_KEY, str(time.time()), ex=24 * 3600)
