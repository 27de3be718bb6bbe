"""R-CAM-2: the 七查七摆 template is the seed's section 三 (一)–(七), verbatim."""

from pathlib import Path

from qicha.campaigns.template import SEVEN_CHECKS, load_template

SEED = (Path(__file__).parent / "data" / "seed_work_plan.txt").read_text(encoding="utf-8")


def test_seven_items_in_order():
    items = load_template(SEVEN_CHECKS)["items"]
    assert [i["ordinal"] for i in items] == [1, 2, 3, 4, 5, 6, 7]
    assert [i["label"] for i in items] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）"]


def test_check_and_present_text_are_the_seed_headings():
    for item in load_template(SEVEN_CHECKS)["items"]:
        heading = f"{item['label']}{item['check_text']}，{item['present_text']}。"
        assert heading in SEED, heading
        assert item["check_text"].startswith("查") and item["present_text"].startswith("摆")


def test_key_points_are_the_seed_paragraphs():
    items = load_template(SEVEN_CHECKS)["items"]
    for item in items:
        assert item["key_points"] and item["key_points"] in SEED
    # (五) carries its four numbered sector paragraphs.
    fifth = items[4]["key_points"]
    for start in ("1.在社会组织领域", "2.不断强化农村低保", "3.持续整治殡葬行业", "4.深化整治基层组织"):
        assert start in fifth


def test_campaign_copies_the_template(demo):
    texts = list(demo.check_items.values_list("check_text", "present_text", "key_points"))
    expected = [(i["check_text"], i["present_text"], i["key_points"]) for i in load_template(SEVEN_CHECKS)["items"]]
    assert texts == expected
