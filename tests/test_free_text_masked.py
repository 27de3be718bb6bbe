"""Identity numbers typed into free text — a problem's description, a clue's content — are masked on every page that
prints that text, as the exports print it (what the reader needs is the matter, not the number)."""

import pytest

from qicha.core.masking import mask_id_number

from .clue_helpers import PERSON_ID, intake
from .problem_helpers import register

pytestmark = pytest.mark.django_db

TEXT = f"村民张某（身份证号{PERSON_ID}）家有两套住房仍享受低保，村里评议时无人提出异议"


def test_a_problems_description_is_masked_on_the_list_its_page_and_the_workbench(demo, login):
    problem = register(demo, description=TEXT, person="liaison_chengdong", days=1)
    client = login("liaison_chengdong")
    for url in ("/problems/", f"/problems/{problem.pk}/", "/"):
        html = client.get(url).content.decode()
        assert PERSON_ID not in html, url
    assert mask_id_number(PERSON_ID) in client.get(f"/problems/{problem.pk}/").content.decode()
    workbench = client.get("/").content.decode()  # its 分配给我的 row, cut short
    assert f"/problems/{problem.pk}/" in workbench
    assert mask_id_number(PERSON_ID)[:14] in workbench


def test_a_clues_content_is_masked_on_the_board_and_beside_a_repeat(demo, login):
    earlier = intake(demo, content=TEXT)
    later = intake(demo, content=TEXT + "，请再次核查")
    client = login("office")
    board = client.get("/clues/board/").content.decode()
    page = client.get(f"/clues/{later.pk}/").content.decode()
    assert f"/clues/{earlier.pk}/" in page  # the earlier report is shown beside the later one
    for html in (board, page):
        assert PERSON_ID not in html
        assert mask_id_number(PERSON_ID) in html
