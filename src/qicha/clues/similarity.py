"""Repeat-report matching for clues (R-CLU-4), pure Python: facts → match keys → reasons.

A clue is reduced to `MatchKeys`, sets of normalised strings that the database can keep as blind indexes
(keyed digests) and that compare by set intersection only, so intake can hold a new clue against thousands of
earlier ones:

- identity numbers (GB 11643, 15-digit numbers upgraded, full-width digits folded) and unified social credit
  codes (GB 32100): the same number is the same subject, an exact match (`Reason.exact`, linked at once);
- a person's name with the region key (`normalise_region`): a likely match, for the office to confirm;
- an organisation's name: a likely match;
- the content, as character bigrams (`content_similarity`).

Village and residents' committees, their Party branches and government bodies (幸福村村民委员会, 新华街道办事处,
城东区民政局) are where a matter happened rather than who it is about: they stand for the region, which alone
never makes two reports one matter (a village produces many unrelated reports). Their names and credit codes
are therefore left out of the keys (`is_generic_organisation`).

No key holds personal data in clear once the caller has digested it, and `Reason.label` never names anyone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, fields

from stdnum.cn import uscc

from qicha.core import idnumbers
from qicha.core.errors import Invalid

SHINGLE_SIZE = 2  # Chinese words are mostly two characters; bigrams survive rewording better than trigrams.

# Content similarity at or above this makes a candidate. Read off the score distribution of the whole test set
# (tests/data/clue_repeats.json), not fitted to a pair: reports of different matters score at most 0.18 there
# (two villages' vote-buying reports with the same price per vote), and at most 0.21 over the 3,500 pairs of
# texts taken from different test pairs; reworded reports of one matter score at least 0.24. 0.22 is the middle of
# that gap, a round number rather than the edge of either side. The gap is narrow: re-check it against real,
# labelled clues once there are some (`pytest tests/test_clue_similarity.py -s` prints the figures).
CONTENT_THRESHOLD = 0.22

# Below this many informative bigrams a text says too little ("幸福村低保优亲厚友") to be matched on content.
MIN_SHINGLES = 4
# Added to the shorter text's bigram count (see content_similarity). Anything from 4 to 8 separates the test set
# equally well; 5 is inside that range, not at its edge.
SMOOTHING = 5

# Two shared bigrams are chance (the same verb and object); a content match needs at least this many.
MIN_COMMON = 3

NAME_REGION_SCORE = 0.7
ORG_NAME_SCORE = 0.6


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str = ""  # as typed


@dataclass(frozen=True)
class Organisation:
    name: str
    credit_code: str = ""  # as typed


@dataclass(frozen=True)
class ClueFacts:
    content: str
    region: str = ""
    persons: tuple[Person, ...] = ()
    organisations: tuple[Organisation, ...] = ()


@dataclass(frozen=True)
class MatchKeys:
    """What the database stores per clue; every field may be replaced by blind indexes of its strings."""

    id_numbers: frozenset[str] = frozenset()  # valid 18-character identity numbers
    credit_codes: frozenset[str] = frozenset()  # valid 18-character credit codes (not of generic bodies)
    name_regions: frozenset[str] = frozenset()  # "张伟|新华街道/幸福村", only when the region is known
    org_names: frozenset[str] = frozenset()  # normalised names (not of generic bodies)
    shingles: frozenset[str] = frozenset()  # content bigrams
    # The subset of name_regions whose person came with a valid identity number. Two clues both naming 张伟 of
    # 幸福村 with different numbers are about two people. Must be digested like name_regions (same purpose).
    id_name_regions: frozenset[str] = frozenset()

    def digested(self, digest: Callable[[str, str], str]) -> MatchKeys:
        """The keys with every string replaced by digest(value, field), e.g. a blind index; id_name_regions
        is digested as "name_regions" so that it still marks the same strings."""
        return MatchKeys(
            **{
                f.name: frozenset(
                    digest(v, "name_regions" if f.name == "id_name_regions" else f.name)
                    for v in getattr(self, f.name)
                )
                for f in fields(self)
            }
        )


@dataclass(frozen=True)
class Reason:
    code: str  # id_number, credit_code, name_region, org_name, content
    label: str  # Chinese, without personal data
    score: float
    exact: bool


# --- text -----------------------------------------------------------------------------------------------------


class _DropTable(dict):
    """A str.translate table deleting punctuation (P*), symbols (S*), separators and whitespace (Z*, C*),
    filled in as characters are first seen."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code))[0] in "PSZC" else code
        self[code] = kept
        return kept


_DROP = _DropTable()


def normalise_text(text: str) -> str:
    """NFKC (full-width letters and digits, （） → ()), lower-case, whitespace, punctuation and symbols
    (Chinese and ASCII) removed."""
    return unicodedata.normalize("NFKC", text or "").lower().translate(_DROP)


# --- regions --------------------------------------------------------------------------------------------------

# Ways of writing the same level, folded before splitting.
_REGION_FOLDS = (
    (re.compile(r"村?(?:村民委员会|村委会)"), "村"),
    (re.compile(r"(?:社区)?(?:社区居民委员会|社区居委会|居民委员会|居委会)"), "社区"),
    (re.compile(r"(?:街道)?(?:街道办事处|街道办|办事处)"), "街道"),
    (re.compile(r"(?<=[镇乡])(?:人民政府|政府)"), ""),
)
# Below the village: 三组, 第三村民小组, 张家湾村民小组 (a person's village is precise enough).
_BELOW_VILLAGE = re.compile(
    r"(村|社区|嘎查)(?:第?[0-9一二三四五六七八九十百零〇两]+(?:村民)?(?:小组|组|队|社)|.{1,5}?(?:村民小组|小组))$"
)
_ADMIN_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "街道",
    "社区",
    "苏木",
    "嘎查",
    "省",
    "市",
    "州",
    "盟",
    "区",
    "县",
    "旗",
    "镇",
    "乡",
    "村",
)
# A level is a name of at least two characters and its suffix (城东区, 新华街道, 新村镇, 幸福村).
_LEVEL = re.compile(rf".{{2,}}?(?:{'|'.join(_ADMIN_SUFFIXES)})")


def region_levels(region: str) -> list[str]:
    """The administrative levels named in a region, largest first, down to the village or community."""
    text = normalise_text(region)
    for pattern, replacement in _REGION_FOLDS:
        text = pattern.sub(replacement, text)
    text = _BELOW_VILLAGE.sub(r"\1", text)
    levels, end = [], 0
    for match in _LEVEL.finditer(text):
        levels.append(match.group())
        end = match.end()
    rest = text[end:]
    if rest and levels and len(rest) == 1:
        levels[-1] += rest  # 三里屯村: the suffix character of a name ending in a suffix character
    elif rest:
        levels.append(rest)  # a name without a recognised suffix
    return levels


def normalise_region(region: str) -> str:
    """The two most specific levels given, usually 乡镇/街道 + 村/社区, as "新华街道/幸福村".

    "城东区新华街道幸福村", "城东区 新华街道 幸福村委会", "新华街道幸福村" and "城东区新华街道幸福村三组" all give
    "新华街道/幸福村": the district and anything above is dropped (a township's name is unique within a city in
    practice), committee and office spellings fold (村委会 → 村, 居委会 → 社区, 街道办事处 → 街道), and groups
    below the village are dropped. Village names repeat across townships (幸福村 of 新华街道 and of 青山镇), so
    the township stays in the key. Regions recorded at different depths do not compare equal: "城东区幸福村"
    gives "城东区/幸福村", "幸福村" alone gives "幸福村", "城东区新华街道" gives "城东区/新华街道". Empty input, empty key.
    """
    return "/".join(region_levels(region)[-2:])


# --- persons and organisations --------------------------------------------------------------------------------

_PLACEHOLDER_NAME = re.compile(
    r"某|[*×?]|[\u3400-\u9fff][xX]+$|^(?:不详|未知|匿名|无|不知道|有关人员|相关人员)$"
)


def normalise_name(name: str) -> str:
    """A person's name for matching ("阿卜杜·热合曼" = "阿卜杜热合曼"); empty for 张某, 李**, 不详 and other
    stand-ins, which name nobody in particular."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    if _PLACEHOLDER_NAME.search(text):
        return ""
    text = normalise_text(text)
    return text if len(text) >= 2 else ""


_GENERIC_ORGANISATION = re.compile(
    r"(?:村民委员会|村委会|居民委员会|居委会|村民小组|党支部|党总支|党委|人民政府|政府|街道办事处|办事处|"
    r"民政局|民政所|民政办|村委|街道|村|社区|嘎查|镇|乡)$"
)


def normalise_organisation(name: str) -> str:
    """An organisation's name for matching: (（）and () alike, spaces and punctuation gone, 有限责任公司 as
    有限公司."""
    return normalise_text(name).replace("有限责任公司", "有限公司")


def is_generic_organisation(name: str) -> bool:
    """A village or residents' committee, a Party branch or a government body: it stands for a place."""
    return bool(_GENERIC_ORGANISATION.search(normalise_organisation(name)))


# --- credit codes ---------------------------------------------------------------------------------------------

_USCC_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")  # GB 32100: no I, O, S, V, Z


def normalise_credit_code(raw: str) -> str:
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", raw or "")).upper()


def validate_credit_code(raw: str) -> str:
    """The normalised 18-character code, or Invalid with a Chinese message saying what is wrong.

    stdnum's `uscc.validate` also demands that the first two characters be digits, which refuses real codes of
    rural collectives (N…) and others, so the format is checked here and only the check character is stdnum's.
    """
    code = normalise_credit_code(raw)
    message = None
    if len(code) != 18:
        message = f"统一社会信用代码应为 18 位，实际 {len(code)} 位"
    else:
        bad = next((i for i, ch in enumerate(code) if ch not in _USCC_ALPHABET), None)
        if bad is not None:
            message = (
                f"统一社会信用代码第 {bad + 1} 位“{code[bad]}”无效：只能是数字或大写字母"
                "（不含 I、O、S、V、Z）"
            )
        elif not code[2:8].isdigit():
            message = "统一社会信用代码第 3–8 位应为 6 位数字的行政区划代码"
        else:
            expected = uscc.calc_check_digit(code[:17])
            if code[17] != expected:
                message = f"统一社会信用代码校验码错误：最后一位应为 {expected}"
    if message is not None:
        raise Invalid(message, {"credit_code": message})
    return code


def _valid_credit_code(raw: str) -> str:
    try:
        return validate_credit_code(raw)
    except Invalid:
        return ""


def _valid_id_number(raw: str) -> str:
    try:
        return idnumbers.validate(raw)
    except Invalid:
        return ""  # empty, 不详, 111111111111111111 and typing errors match nothing


# An 18-character identity number written into the content (15-digit ones are not taken from free text: without
# a check digit, old business registration numbers and the like would pass).
_ID_IN_TEXT = re.compile(r"(?<![0-9a-z])[0-9]{17}[0-9x](?![0-9a-z])")


# --- content --------------------------------------------------------------------------------------------------

# Words every clue in this campaign may use, whatever it is about: the hotline's template, the reporting
# formulas, the names of the four domains and their everyday vocabulary, roles, and common function words.
# Bigrams inside them say nothing about which matter a report is about, so they are left out of the shingles.
# This is domain vocabulary, not a list fitted to the test set.
_COMMON_LINES = (
    "举报 实名举报 反映 来电 来电人 市民 网民 留言 转办 热线 诉求 来信 来访 信访 上访 投诉 联名 补充",
    "请求 希望 恳请 要求 请 相关部门 有关部门 上级 领导 核实 核查 调查 查处 处理 严肃 彻查 介入 管一管 查一查",
    "扫黑办 扫黑除恶 涉黑 涉恶 黑恶势力 黑社会 村霸 恶霸 保护伞 欺压 欺行霸市 横行霸道 百姓 老百姓 群众 村民 居民",
    "敢怒不敢言 意见 很大 公道 纪委 民政部门 民政局 民政所",
    "威胁 恐吓 殴打 社会人员 社会闲散人员 为名 名义 收取 费用 个人 人员 亲戚 亲属 每月 每户 每人 每年",
    "低保 低保户 低保金 农村低保 城市低保 最低生活保障 优亲厚友 人情保 关系保 特困 救助 临时救助 补贴 资金",
    "违规 违法 办理 享受 领取 冒领 骗取 套取 纳入 申请 评议 公示 标准 条件 符合 收入 家庭",
    "困难 困难群众 困难户 入户 核对",
    "殡葬 丧葬 殡仪馆 殡仪 遗体 丧事 丧户 家属 逝者 去世 出殡 灵车 医院 太平间 公墓 墓穴 骨灰盒 寿衣 火化 土葬",
    "服务 用品 收费",
    "社会组织 协会 社会团体 民办非企业 基金会 登记 非法 会长 理事 理事长 秘书长 会员 会费 组织 老年人 老人 养老",
    "保健品 慈善 募捐",
    "村干部 村委会 村民委员会 居委会 社区 村委 支部 党支部 书记 村支书 主任 村主任 副主任 委员 会计 工作人员 干部",
    "村里 村务 选举 换届 拉票 贿选 土地 集体",
    "问题 情况 存在 利用 职务 便利 长期 多年 一直 经常 至今 目前 现在 已经 其中 以及 以后 据说 听说 据了解 了解",
    "我们 他们 她们 自己 没有 不敢 不让 如果 就是 还是 但是 因为 所以 这个 那个 一个 一些 这些 什么 怎么",
)
_COMMON_WORDS = [word for line in _COMMON_LINES for word in line.split()]
# Function characters: a bigram with one of them (的车, 他的) is about grammar, not the matter.
_FUNCTION_CHARACTERS = "的了着们他她它我你这那呢吗啊吧就都也"
_COMMON = re.compile("|".join(sorted(_COMMON_WORDS, key=len, reverse=True)) + f"|[{_FUNCTION_CHARACTERS}]")


def shingles(content: str, region: str = "") -> frozenset[str]:
    """The informative character bigrams of the normalised content.

    The campaign's common words and the clue's own region (its levels, and their names without the suffix:
    幸福村, 幸福) are cut out first, and bigrams are taken within the pieces left, so that neither they nor the
    bigrams straddling them count: "市民来电反映：城西区东关街道……" shares nothing with another hotline
    call from the same street but the facts.
    """
    text = normalise_text(content)
    places = set()
    for level in region_levels(region):
        places.add(level)
        stem = next((level[: -len(s)] for s in _ADMIN_SUFFIXES if level.endswith(s)), "")
        if len(stem) >= 2:
            places.add(stem)
    if places:
        text = re.sub("|".join(sorted(map(re.escape, places), key=len, reverse=True)), "\x00", text)
    text = _COMMON.sub("\x00", text)
    # Withheld names (张某某, 王某某) keep the surname bigram 张某; "某某" itself is in every list and says nothing.
    text = re.sub("某某+", "某", text)
    grams = set()
    for piece in text.split("\x00"):
        grams.update(piece[i : i + SHINGLE_SIZE] for i in range(len(piece) - SHINGLE_SIZE + 1))
    return frozenset(grams)


def content_similarity(a: MatchKeys | frozenset[str], b: MatchKeys | frozenset[str]) -> float:
    """0..1: the share of the shorter text's bigrams found in the other, smoothed for short texts.

    Containment, not Jaccard, because the commonest repeat is a short hotline summary of a long letter, which
    Jaccard scores near 0. Plain containment trusts a handful of shared bigrams too much (three shared out of
    nine is 0.33), so SMOOTHING bigrams are added to the shorter side, as if it said a little more that the
    other does not: |A ∩ B| / (min(|A|, |B|) + SMOOTHING). Texts with fewer than MIN_SHINGLES informative
    bigrams say too little to be matched on content and score 0. Near-identical texts score their Jaccard
    index when it is higher, so that the same text is 1.0, not 0.84.
    """
    sa = a.shingles if isinstance(a, MatchKeys) else a
    sb = b.shingles if isinstance(b, MatchKeys) else b
    if len(sa) > len(sb):
        sa, sb = sb, sa
    if len(sa) < MIN_SHINGLES:
        return 0.0
    common = len(sa & sb)
    if common < MIN_COMMON:
        return 0.0
    return max(common / (len(sa) + SMOOTHING), common / (len(sa) + len(sb) - common))


# --- keys and comparison --------------------------------------------------------------------------------------


def match_keys(facts: ClueFacts) -> MatchKeys:
    region = normalise_region(facts.region)
    ids, name_regions, id_name_regions = set(), set(), set()
    for person in facts.persons:
        number = _valid_id_number(person.id_number) if person.id_number else ""
        if number:
            ids.add(number)
        name = normalise_name(person.name)
        if name and region:
            name_regions.add(f"{name}|{region}")
            if number:
                id_name_regions.add(f"{name}|{region}")
    content = unicodedata.normalize("NFKC", facts.content or "").lower()
    for found in _ID_IN_TEXT.findall(content):
        number = _valid_id_number(found)
        if number:
            ids.add(number)
    codes, org_names = set(), set()
    for org in facts.organisations:
        if is_generic_organisation(org.name):
            continue
        code = _valid_credit_code(org.credit_code) if org.credit_code else ""
        if code:
            codes.add(code)
        name = normalise_organisation(org.name)
        if len(name) >= 2:
            org_names.add(name)
    return MatchKeys(
        id_numbers=frozenset(ids),
        credit_codes=frozenset(codes),
        name_regions=frozenset(name_regions),
        org_names=frozenset(org_names),
        shingles=shingles(facts.content, facts.region),
        id_name_regions=frozenset(id_name_regions),
    )


def _counted(label: str, count: int) -> str:
    return f"{label}（{count} 人）" if count > 1 else label


def compare(new: MatchKeys, old: MatchKeys) -> list[Reason]:
    """Why `old` may be the same matter as `new`, strongest first; empty when it is not a candidate."""
    reasons = []
    if not new.id_numbers.isdisjoint(old.id_numbers):
        reasons.append(Reason("id_number", "同一身份证号", 1.0, True))
    if not new.credit_codes.isdisjoint(old.credit_codes):
        reasons.append(Reason("credit_code", "同一统一社会信用代码", 1.0, True))
    # A name both clues give with an identity number is settled by the numbers, not the name.
    names = (new.name_regions & old.name_regions) - (new.id_name_regions & old.id_name_regions)
    if names:
        reasons.append(
            Reason("name_region", _counted("同名同地区人员", len(names)), NAME_REGION_SCORE, False)
        )
    if not new.org_names.isdisjoint(old.org_names):
        reasons.append(Reason("org_name", "同名组织", ORG_NAME_SCORE, False))
    similarity = content_similarity(new, old)
    if similarity >= CONTENT_THRESHOLD:
        reasons.append(Reason("content", f"内容相似（相似度 {similarity:.2f}）", similarity, False))
    reasons.sort(key=lambda r: (-r.score, not r.exact))
    return reasons
