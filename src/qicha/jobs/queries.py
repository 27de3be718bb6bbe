from qicha.core.errors import NotFound

from .models import Job


def own_jobs(actor):
    """A job's result was built with its owner's data scope, so only the owner sees it."""
    return Job.objects.filter(owner=actor)


def own_job(actor, job_id: int) -> Job:
    job = own_jobs(actor).filter(pk=job_id).first()
    if job is None:
        raise NotFound("任务不存在或不属于您")
    return job
