"""Downloads of the forms a clerk prints (paper.py): Word, or PDF with ?format=pdf where LibreOffice is installed.

The forms are small and built in the request; each is read through the ledgers' scoped queries (out of scope → 404)."""

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from qicha.core.web import permission_required

from . import paper


def _send(request, build, *args) -> HttpResponse:
    made = build(request.user, *args)
    if request.GET.get("format") == "pdf":
        if not paper.pdf_available():
            raise Http404("本机未安装 LibreOffice，无法生成 PDF，请下载 Word 版。")
        content, mime, extension = paper.to_pdf(made), paper.PDF_MIME, "pdf"
    else:
        content, mime, extension = made.content, paper.DOCX_MIME, "docx"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True,
                                                                 filename=f"{made.name}.{extension}")
    return response


@permission_required("problem.view")
@require_GET
def problem_sign_off(request, problem_id):
    return _send(request, paper.sign_off_form, problem_id)


@permission_required("problem.view")
@require_GET
def problem_dossier(request, problem_id):
    return _send(request, paper.problem_dossier, problem_id)


@permission_required("clue.view")
@require_GET
def clue_assignment(request, clue_id):
    return _send(request, paper.clue_assignment, clue_id)


@permission_required("clue.view")
@require_GET
def clue_report(request, clue_id):
    return _send(request, paper.clue_report, clue_id)


@permission_required("clue.view")
@require_GET
def clue_dossier(request, clue_id):
    return _send(request, paper.clue_dossier, clue_id)


@permission_required(paper.URGE_PERMISSION)
@require_GET
def urge_letter(request, unit_id):
    return _send(request, paper.urge_letter, unit_id)
