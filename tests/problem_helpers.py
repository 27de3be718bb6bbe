"""Bring a problem to a given status through the services, as the people who would."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qicha.core.attachments import store_upload
from qicha.orgs.demo import MINIMAL_PDF
from qicha.orgs.models import Unit, User
from qicha.problems import services
from qicha.problems.models import SIX_CHECKS, Problem

ALL_CHECKS = dict.fromkeys(SIX_CHECKS, True)


def register(campaign, unit_name="城东区民政局", by="liaison_chengdong", days=10, person=None, **extra) -> Problem:
    fields = {
        "source": "self_inspection", "description": "测试问题", "rectification_type": "immediate",
        "measures": "立行立改", "deadline": timezone.localdate() + timedelta(days=days),
    } | extra
    return services.register_problem(
        User.objects.get(username=by), campaign=campaign, unit=Unit.objects.get(name=unit_name),
        responsible_person=User.objects.get(username=person) if person else None, **fields,
    )


def pdf(user, name="佐证.pdf", content=MINIMAL_PDF):
    return store_upload(user, SimpleUploadedFile(name, content, content_type="application/pdf"))


def add_evidence(problem, by="liaison_chengdong"):
    user = User.objects.get(username=by)
    return services.add_progress(user, problem, text="已整改", percent=100, attachment_ids=[pdf(user).pk])


def bring_to(problem, status, worker="liaison_chengdong"):
    office = User.objects.get(username="office")
    work = User.objects.get(username=worker)
    if status == "open":
        return problem
    if status == "closed" and not problem.responsible_person_name:
        # Sign-off needs a named 责任人: the unit names one (by name only, no account) before it asks for 销号.
        problem = services.update_problem(work, problem, version=problem.version, responsible_person_name="赵某某")
    if status == "in_progress":
        return services.start_problem(work, problem, version=problem.version)
    if status in ("submitted", "closed"):
        add_evidence(problem, by=worker)
        problem = Problem.objects.get(pk=problem.pk)
        problem = services.submit_problem(work, problem, version=problem.version)
    if status == "closed":
        problem = services.sign_off_problem(office, problem, version=problem.version, checks=ALL_CHECKS, opinion="同意销号")
    if status == "voided":
        problem = services.void_problem(office, problem, version=problem.version, reason="重复登记")
    return Problem.objects.get(pk=problem.pk)
