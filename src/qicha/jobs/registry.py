"""What each kind of job does. Apps register their handlers here (in their `jobs.py`, imported at start-up):

    @job_handler("problems.export", "导出问题整改台账")
    def export_problems(context: JobContext) -> JobOutput:
        path = context.output_path("问题整改台账.xlsx")
        ...                                  # write the file, calling context.progress(percent, message) now and then
        return JobOutput(file_name=path.name, result={"rows": n})

A handler runs as `context.actor` (the job's owner) and calls the same services and queries a page would: data
scope applies exactly as it does on the page. Raising a DomainError fails the job with its Chinese message.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings


@dataclass
class JobOutput:
    # JSON shown to the caller (API `result`, the page). Optional keys: "message" (the page's summary line),
    # "next_url" (the page goes there when the job is done), "link_url"/"link_label" (a button; the page stays).
    result: dict = field(default_factory=dict)
    file_name: str = ""                           # a file the handler wrote under context.output_path()


@dataclass
class JobHandler:
    kind: str
    label: str
    run: Callable


HANDLERS: dict[str, JobHandler] = {}


def job_handler(kind: str, label: str):
    def register(function):
        HANDLERS[kind] = JobHandler(kind, label, function)
        return function

    return register


def ledger_export_handler(kind: str, label: str, *, parse: Callable, file_name: Callable, export: Callable) -> None:
    """Register the usual ledger export: the list's filters (as the list parses them) → one workbook written by
    `export(actor, filters, path, report=progress)`, which returns the job's result."""

    def run(context):
        filters = parse(context.params.get("filters") or {})
        path = context.output_path(file_name())
        return JobOutput(result=export(context.actor, filters, path, report=context.progress), file_name=path.name)

    HANDLERS[kind] = JobHandler(kind, label, run)


def result_dir(job_id: int) -> Path:
    return Path(settings.VAR_DIR) / "jobs" / str(job_id)


class JobContext:
    def __init__(self, job, report):
        self.job = job
        self.actor = job.owner
        self.params = job.params
        self._report = report

    def progress(self, percent: int, message: str = "") -> None:
        self._report(max(0, min(99, int(percent))), message)

    def output_path(self, file_name: str) -> Path:
        folder = result_dir(self.job.pk)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / Path(file_name).name
