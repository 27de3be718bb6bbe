"""Repeat-report matching for clues (R-CLU-4), pure Python: facts → match keys → reasons.

A clue is reduced to `MatchKeys`, sets of normalised strings that the database can keep as blind indexes
(keyed digests) and that compare by set intersection only, so intake can hold a new clue against thousands of
earlier ones:

- identity numbers (GB 11643, 15-digit numbers upgraded, full-width digits folded): the same number is the same
  person, an exact match (`Reason.exact`, linked at once);
- unified social credit codes (GB 32100): the same organisation, not the same matter (one institution is reported
  for many, in the same words about the same firm and place): the first candidate when the content agrees, linked at
  once only when it is the same text again (a letter sent twice, `DUPLICATE_TEXT_THRESHOLD`), a candidate when it
  agrees in part, and nothing when the content is about something else;
- a person's name, posts and forms of address stripped (村支书张某, 张主任, 老张 → 张; `parse_name`), with each level
  of the region (`place_chain`): the same full name in the same village or township is a candidate; the same
  sound (pinyin: 王晓东 / 王小东) too, and the same nickname (刘三, 胡老四; also as the content gives it: 外号刘三);
  one character apart (`name_masks`) or only the surname, with the content agreeing a little; a surname with the
  post the other report names (钱所长 / 副所长钱卫东, `post_tokens`) with less. Near names are keyed at the township
  and the village both, so that a report giving only the township meets one giving the village, and at the county
  (a surname there only with a post), where the content must agree besides; a given-name character with 哥 / 姐
  (斌哥) meets the full name (`nick_forms`), and another name in brackets (刘二（刘德彪）) is the same person's;
- an organisation's name without administrative prefix, parent body, legal form and （筹）, with a body's usual
  short names written out (治超站 = 超限检测站, 国土所 = 自然资源所) and an association's filler words dropped,
  and its core without trade words (`organisation_key_sets`): a candidate with the content agreeing a little;
- the content, as its informative characters and character bigrams, with numbers read as numbers (三千块 =
  3000元), weighted by their inverse document frequency over the clues (`shingles`, `ContentStats`,
  `content_similarity`), compared at a lower threshold within one village or township and not
  at all across two different ones; the names of the report's places (its region's, and those its content names)
  and subjects are cut out first, as they are compared as places and names, not again as wording;
- the kind of problem the content names by its stock words (赌博 for 聚赌 / 打大牌 / 六合彩, 采砂 for 偷采河沙;
  `problem_kinds`), kept with the grams but weighing nothing in the wording: a report that names no one (a
  hotline summary) meets one of the same village about the same kind of problem when the wording agrees a little.

Regions are compared as chains of levels (区县 / 乡镇街道 / 村社区, with or without the level word; a facility such as
南关菜市场 for its place; a county seat or development zone for its county; an area 片区 for the place it is named
after) at the most specific level both name (`place_level`); a name written without its level word counts at the
level the other report gives it (石门 / 石门镇). Places the content names (`places_in_text`) count where the region
stops above them, by name or by what is there (河西农贸市场), and a township's former name the content gives
(原白沙乡（现并入龙潭镇）, either way round) counts for it (ALIAS); neither ever sets two reports apart.

Village and residents' committees, their Party branches and government bodies (幸福村村民委员会, 新华街道办事处,
城东区民政局) are where a matter happened rather than who it is about: they stand for the region, which alone
never makes two reports one matter (a village produces many unrelated reports). Their names and credit codes
are therefore left out of the keys (`is_generic_organisation`).

No key holds personal data in clear once the caller has digested it, and `Reason.label` never names anyone.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import lru_cache

from stdnum.cn import uscc

from qicha.core import idnumbers
from qicha.core.errors import Invalid

# Content is compared on its informative characters and character bigrams together, the usual indexing of Chinese
# text without a dictionary: bigrams carry words (低保, 门面), single characters carry what survives rewording
# (挖塌 / 坍塌 share 塌, 打骂 / 殴打 share 打, 汛期 / 防汛 share 汛), which is how a one-line hotline summary resembles
# the letter it summarises. Both are weighted by their document frequency over the clues (ContentStats), so that
# characters every complaint uses (村, 人, 不) weigh next to nothing; a character weighs CHARACTER_WEIGHT of what a
# bigram of the same frequency would, as it says less on its own.
SHINGLE_SIZE = 2
CHARACTER_WEIGHT = 0.5

# Content similarity (IDF-weighted, see content_similarity) at or above this makes a candidate on its own; from the
# same village or township SAME_PLACE_THRESHOLD is enough; weaker facts need SUPPORT_THRESHOLD besides. All were
# read off the "tune" half of tests/data/clue_repeat_groups.json, never off the issue's examples (a grid over
# character weight 0.3–0.7, content 0.22–0.28, same place 0.13–0.19, support 0.1–0.13): at character weight 0.5 every
# tune matter is held as one for content 0.22–0.26 (0.26 taken: fewer content matches between unrelated texts of
# tests/data/clue_repeats.json), same place 0.13–0.19, support 0.12 (0.11 gains hard negatives, 0.13 loses a matter).
# `pytest tests/test_clue_repeat_set.py -s` prints both halves' figures.
CONTENT_THRESHOLD = 0.26

# Below this many informative grams (characters and bigrams) a text says too little ("幸福村低保优亲厚友") to be
# matched on content.
MIN_SHINGLES = 8
# Added to the shorter text's gram count (see content_similarity): 3–5 hold every tune matter; 5, fewer false.
SMOOTHING = 5

# A few shared grams are chance (the same verb and object: two characters and their bigram); a content match needs
# at least this many. 3 to 7 separate the tune half equally well.
MIN_COMMON = 5

# Content alone between reports from the same village or township (see compare). Reports naming two different
# villages or townships are never a candidate on their wording alone (the same stock complaint about another
# place); a shared name, organisation or number still makes them one.
SAME_PLACE_THRESHOLD = 0.16

# A surname given alone (老李, 李老大, 姓李的; also by a report giving no place) on one side and a surname of the
# same sound on the other, where only the county is common or one report gives no place to compare: one person when
# the wording agrees a little more than for a near name within one county. Chosen on blind15–19 and the sets before
# them (0.12: 17 repeats more for 4 hard negatives; 0.14: 16 for 3; 0.16: 13 for 3).
SURNAME_WIDE_THRESHOLD = 0.14
WIDE_LEVELS = frozenset({"county", ""})

# Weaker facts (a name one character apart, a surname with a post, an organisation's name, a credit code) make a
# candidate only with this much content agreement besides.
SUPPORT_THRESHOLD = 0.12

# A surname with the post the other report gives (钱所长; 副所长钱卫东) at the same place asks less of the content
# than a surname alone. The tune half does not separate 0–0.12 (every value holds all its matters and no negative;
# precision 87 % at ≤ 0.05, 89 % at 0.12): 0.05 is "the wording agrees a little", below a surname alone.
POST_SUPPORT_THRESHOLD = 0.05
# The same full name (by its sound: 王晓东 = 王小东) or nickname (刀疤强, 二虎) where one of the two reports gives no
# place (a note, a message that did not say where): rarer than a surname with its post (王书记), so the wording need
# agree less than SUPPORT_THRESHOLD. Over the 35 development sets, 0.08 found 8 repeats (full names) and 5 more
# (nicknames) and no hard negative more (0.05: 16 and 11 hard negatives more, full names alone); over five sets
# written blind this stop: 1 and 1 repeats more, no hard negative.
CALLED_ANYWHERE_THRESHOLD = 0.08
# An organisation's name (common abbreviations written out) or its credit code, as for weaker facts: on the tune
# half 0.10 gives 3 of 23 hard negatives (one institution, other matters), 0.12 none.
ORG_SUPPORT_THRESHOLD = 0.12

# Content alone between two reports that each name a person (in full, or with a character withheld: 庞某军) and
# share no name, surname or organisation:
# the same kind of complaint about someone else of the same place (two village secretaries' 关系保, two headmasters'
# fees) reads alike, so the wording must agree as much as between two places. The tune half of
# tests/data/clue_repeat_groups.json holds every matter and no negative anywhere in 0.26–0.40; 0.30 taken.
OTHER_SUBJECT_THRESHOLD = 0.30
# Kept among a clue's grams when it names a person so (not personal data: only that it does), so that intake knows
# it of every earlier clue without reading its keys.
NAMED_TOKEN = "¶"
# Kept likewise when it gives a person by a post alone (团山村支书, 河埠社区主任): someone, though not by name; and
# when it gives one by a surname or a nickname alone (温主任, 张某, 二毛). A report with none of the three names no one.
POSTED_TOKEN = "¤"
SURNAMED_TOKEN = "¦"
# Kept likewise when it gives one by a name with a character withheld (王某军): a full name elsewhere may be that
# person by the surname (compare's surname rule), which intake looks for through this marker (surname_wide_markers).
WITHHELD_TOKEN = "¡"
_MARKERS = frozenset((POSTED_TOKEN, SURNAMED_TOKEN, WITHHELD_TOKEN))
_SUBJECT_MARKERS = frozenset((NAMED_TOKEN, POSTED_TOKEN, SURNAMED_TOKEN))

NAME_REGION_SCORE = 0.7
NAME_SOUND_SCORE = 0.65
NAME_TYPO_SCORE = 0.55
SURNAME_SCORE = 0.5
ORG_NAME_SCORE = 0.6
ORG_CORE_SCORE = 0.55
CODE_ONLY_SCORE = 0.5
# The same credit code with the content agreeing: the strongest candidate short of an identity number.
CODE_CONTENT_SCORE = 0.9
# The same credit code links at once only for the same text again (a letter sent to two bodies, registered twice;
# the repeats sharing a code in tests/data score 0.03–0.40). Reports of one firm's other matters were seen agreeing
# up to 0.50 (its name, address, trade and the stock complaint), so agreeing content is a candidate to confirm.
DUPLICATE_TEXT_THRESHOLD = 0.8
PROBLEM_SCORE = 0.45


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
    """What the database stores per clue; every field but `shingles` and `places` may be replaced by blind indexes
    of its strings (`digested`)."""

    id_numbers: frozenset[str] = frozenset()  # valid 18-character identity numbers
    credit_codes: frozenset[str] = frozenset()  # valid 18-character credit codes (not of generic bodies)
    # A person's full name (titles and posts stripped) with each level of the clue's region: "张伟|幸福",
    # "张伟|新华", "张伟|城东". Whether two regions agree is checked on `places` (see place_level).
    name_regions: frozenset[str] = frozenset()
    name_sounds: frozenset[str] = frozenset()  # the full name's pinyin with the most specific level: "wangxiaodong|石桥"
    name_masks: frozenset[str] = frozenset()  # one given-name character masked ("王*东|石桥"): one-edit typos, 王某军
    surnames: frozenset[str] = frozenset()  # "李|幸福": 李主任, 老李, 村支书李某 and 李建国 alike
    org_names: frozenset[str] = frozenset()  # prefix, legal form and （筹） removed (not of generic bodies)
    org_cores: frozenset[str] = frozenset()  # also the trade words removed: 安康殡葬服务有限公司 → 安康
    shingles: frozenset[str] = frozenset()  # content characters, bigrams and numbers ("#3000")
    # The subset of name_regions whose person came with a valid identity number. Two clues both naming 张伟 of
    # 幸福村 with different numbers are about two people. Must be digested like name_regions (same purpose).
    id_name_regions: frozenset[str] = frozenset()
    # The subset of name_masks from names written with a withheld character (郑某彪 → "郑*彪|大王庄"): whoever wrote
    # it hid one character on purpose, so a full name it fits in the same village is most likely the person. Must be
    # digested like name_masks (same purpose).
    name_withheld: frozenset[str] = frozenset()
    # Nicknames by birth order and nicknames the content gives (刘三, 胡四, 孙二虎) with the township and the
    # village: "刘三|七里". Must be digested like name_regions, so that 刘三 given as a name meets 刘三 given as a
    # nickname of 刘国强 (see compare).
    nicknames: frozenset[str] = frozenset()
    # The subset of surnames whose person is given by surname only (李主任, 老李, 村支书李某, 刘三): a surname says
    # something only when one of the two reports gives no full name (two different full names of one surname are
    # two people; one character apart is name_masks). Must be digested like surnames; the search for a clue whose
    # people all have full names looks at these only.
    surname_only: frozenset[str] = frozenset()
    # What a person given in full may be called by a given-name character (何文斌 → "斌哥|七里", "文哥|七里"): meets
    # a nickname another report gives (斌哥), never another full name's forms. Must be digested like name_regions.
    nick_forms: frozenset[str] = frozenset()
    # The sound of every surname the report gives with confidence (`surname_sound`: 肖 and 萧 both "xiao"), with no
    # place: whether two reports name people of different surnames wherever each says they are (a report giving only
    # the county, another the township). Never looked up by (every namesake of the country would share it); read for
    # the few earlier clues whose wording alone could make them a candidate (see compare: surnames that contradict).
    surname_sounds: frozenset[str] = frozenset()
    # Who the report gives, with no place (a full name by its sound, a nickname, a surname with its post:
    # "wangdeming", "刘三", "王@书记"), for reports one of which gives
    # no place below the city (see compare). Looked up only by such a report; `unplaced` holds the same for a report
    # that gives no place, for the others to look up. Both digested alike.
    names_anywhere: frozenset[str] = frozenset()
    unplaced: frozenset[str] = frozenset()
    # What people may call those given in full (nick_forms, with no place: 熊志强 → 强哥, 志强哥), met by a nickname
    # in names_anywhere where one report gives no place. Not looked up by: intake reads it for the recent clues whose
    # wording and marker grams allow it (forms_markers). Digested as names_anywhere.
    forms_anywhere: frozenset[str] = frozenset()
    # The region as typed levels, most general first: (("county", "城东"), ("town", "新华"), ("village", "幸福")).
    # Not personal data (the clue's region is stored in clear); never digested.
    places: tuple[tuple[str, str], ...] = ()
    # The subset of names_anywhere that are full names' sounds and nicknames ("wangxiaodong", "刀疤强"), not a
    # surname with its post; digested alike. Not stored: only a new clue's is read, against an earlier clue's
    # names_anywhere (the same string is a full name's sound or a nickname there too).
    called_anywhere: frozenset[str] = frozenset()

    def digested(self, digest: Callable[[str, str], str]) -> MatchKeys:
        """The keys with every string replaced by digest(value, field), e.g. a blind index; id_name_regions
        is digested as "name_regions" so that it still marks the same strings. Shingles are digested too (the
        service keeps them in clear); places are kept."""
        values = {}
        for f in fields(self):
            if f.name == "places":
                values[f.name] = getattr(self, f.name)
                continue
            kind = {"id_name_regions": "name_regions", "name_withheld": "name_masks",
                    "nicknames": "name_regions", "surname_only": "surnames",
                    "nick_forms": "name_regions", "unplaced": "names_anywhere",
                    "forms_anywhere": "names_anywhere",
                    "called_anywhere": "names_anywhere"}.get(f.name, f.name)
            values[f.name] = frozenset(digest(v, kind) for v in getattr(self, f.name))
        return MatchKeys(**values)


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
    (re.compile(r"[0-9a-z]{4,}$"), ""),  # a hotline's number after the region (雷坪县12345): no place
    # 保国居, 红岭居十二队: in Hainan a community (居委会) is written 居; not 新居, 安居 (an estate, a wish)
    (re.compile(r"(?<=[\u4e00-\u9fff]{2})(?<![新安家民乐宜旧故])居(?=(?:第?[0-9一二三四五六七八九十百零〇两]+(?:小组|组|队|社))*$)"),
     "社区"),
)
# The peoples an autonomous prefecture, county or banner is named after (雷坪苗族自治县, 镇宁布依族苗族自治县):
# people write it short (雷坪县), so the peoples and 自治 fold away wherever the name is read.
_PEOPLES = ("苗|侗|彝|布依|水|土家|仡佬|回|壮|瑶|藏|羌|傣|哈尼|白|纳西|傈僳|拉祜|佤|景颇|蒙古|满|朝鲜|哈萨克|畲|黎|"
            "仫佬|毛南|各|达斡尔|鄂温克|鄂伦春|锡伯|撒拉|保安|东乡|裕固|塔吉克|维吾尔|柯尔克孜|普米|独龙|怒|阿昌|"
            "基诺|德昂|布朗|土")
_AUTONOMOUS = re.compile(rf"(?:(?:{_PEOPLES})族)+自治(?=[县州旗])")


def fold_autonomous(text: str) -> str:
    """雷坪苗族自治县 → 雷坪县, 黔东南苗族侗族自治州 → 黔东南州 (自治区 is a province and stays)."""
    return _AUTONOMOUS.sub("", text)
# Below the village: 三组, 第三村民小组, 张家湾村民小组 (a person's village is precise enough).
_BELOW_VILLAGE = re.compile(
    r"(村|社区|嘎查)(?:(?:第?[0-9一二三四五六七八九十百零〇两]+(?:村民)?(?:小组|组|队|社))+|.{1,5}?(?:村民小组|小组))$"
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
    text = fold_autonomous(normalise_text(region))
    for pattern, replacement in _REGION_FOLDS:
        text = pattern.sub(replacement, text)
    text = _BELOW_VILLAGE.sub(r"\1", text)
    levels, end = [], 0
    for match in _LEVEL.finditer(text):
        levels.append(match.group())
        end = match.end()
    rest = text[end:]
    if rest == "城" and levels and levels[-1][-1] in "县市区":
        pass  # 梅岭县城: the county's seat, the county
    elif rest and levels and len(rest) == 1:
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
    return fold_autonomous(normalise_text(name)).replace("有限责任公司", "有限公司")


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


# An identity number or credit code written into the content (18 letters and figures): compared as a key
# (id_numbers, credit_codes), not again as wording, where its rare figures would make two letters about one firm's
# different matters look alike.
_IDENTIFIER_IN_TEXT = re.compile(r"(?<![0-9a-z])[0-9][0-9a-z]{17}(?![0-9a-z])")

# An 18-character identity number written into the content (15-digit ones are not taken from free text: without
# a check digit, old business registration numbers and the like would pass).
_ID_IN_TEXT = re.compile(r"(?<![0-9a-z])[0-9]{17}[0-9x](?![0-9a-z])")


# --- content --------------------------------------------------------------------------------------------------

# The hotline's template, the reporting formulas and common function words: they say nothing about which matter a
# report is about, and they are cut out before bigrams are taken. The campaign's domain vocabulary (低保, 殡葬, 协会,
# 村主任 …) is no longer listed here: it is discounted by its document frequency over the clues (ContentStats),
# which also keeps a rare word of the domain (骨灰盒 in a report about 低保) worth something.
_COMMON_LINES = (
    "举报 实名举报 反映 来电 来电人 来电称 市民 网民 留言 转办 热线 诉求 来信 来访 信访 上访 投诉 联名 补充 再次",
    "请求 希望 恳请 要求 请 相关部门 有关部门 上级 领导 核实 核查 调查 查处 处理 严肃 彻查 介入 管一管 查一查",
    "扫黑办 扫黑除恶 黑恶势力 黑社会 敢怒不敢言 意见 很大 公道 苦不堪言",
    "问题 情况 存在 利用 长期 多年 一直 经常 至今 目前 现在 已经 其中 以及 以后 据说 听说 据了解 了解",
    "我们 他们 她们 自己 没有 不敢 不让 如果 就是 还是 但是 因为 所以 这个 那个 一个 一些 这些 什么 怎么 有个 叫",
    # Legal forms, left in the content where a report names its organisation (安康殡葬服务有限公司拖欠……): the
    # organisation is compared on its keys, and the form says nothing about the matter.
    "股份有限公司 有限责任公司 有限公司 公司 农民专业合作社 专业合作社 合作社",
    # The labels of the numbers a handover letter gives (统一社会信用代码：…, 法定代表人…，身份证号…): every letter
    # about a firm has them, whichever matter it is about.
    "统一社会信用代码 社会信用代码 信用代码 公民身份号码 身份证号码 身份证号 法定代表人",
)
_COMMON_WORDS = [word for line in _COMMON_LINES for word in line.split()]
# Function characters: a bigram with one of them (的车, 他的) is about grammar, not the matter.
_FUNCTION_CHARACTERS = "的了着们他她它我你这那呢吗啊吧就都也"
_COMMON = re.compile("|".join(sorted(_COMMON_WORDS, key=len, reverse=True)) + f"|[{_FUNCTION_CHARACTERS}]")


# Amounts and counts, written in figures or in words (3000元, 三千块, 3千元, 四万余元): the same number is the same
# fact however it is written. A run of numerals is read as one number when it is at least two characters long
# (三千, 二百, 十五) or stands before a unit (三户, 5人); a lone 一 (一直, 一个) is a word, not a number.
_NUMERAL_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                   "八": 8, "九": 9}
_NUMERAL_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL_BIG = {"万": 10_000, "亿": 100_000_000}
_CN = "零〇一二两三四五六七八九十百千万亿"
_NUMBER = re.compile(
    rf"(?:[0-9]+(?:\.[0-9]+)?[{_CN}]*|[{_CN}]{{2,}}|[{_CN[3:]}](?=[元块人户个次年月天亩间辆头岁吨车套]))"
    r"[余多]?(?:元钱|块钱|元|块)?"  # money, however written: 三千块 = 3000元 = 三千块钱 = 三千
)


def parse_number(text: str) -> str:
    """The value of a number written in figures, words or both ("3千" = "三千" = "3000"), as a string of figures;
    empty when it is not a number (一些). Fractions of a unit (1.5万) are kept."""
    head = re.match(r"[0-9]+(?:\.[0-9]+)?", text)
    total, section, digit = 0.0, 0.0, float(head.group()) if head else None
    for ch in text[head.end() if head else 0 :]:
        if ch in _NUMERAL_DIGITS:
            digit = _NUMERAL_DIGITS[ch]
            head = None
        elif ch in _NUMERAL_UNITS:
            section += (1 if digit is None else digit) * _NUMERAL_UNITS[ch]
            digit = None
        elif ch in _NUMERAL_BIG:
            total = (total + section + (digit or 0)) * _NUMERAL_BIG[ch]
            section, digit = 0.0, None
    value = total + section + (digit or 0)
    if value <= 0 and "零" not in text and "0" not in text:
        return ""
    return f"{value:g}" if value < 1e15 else ""


def _numbers(text: str) -> tuple[str, set[str]]:
    """The text with every number cut out, and the numbers as tokens ("#3000")."""
    found = set()

    def cut(match: re.Match) -> str:
        value = parse_number(match.group().rstrip("元块钱"))
        if not value:
            return match.group()
        found.add(f"#{value}")
        return "\x00"

    return _NUMBER.sub(cut, text), found


def shingles(content: str, region: str = "", subjects: tuple[str, ...] = ()) -> frozenset[str]:
    """The informative characters and character bigrams of the normalised content, and its numbers.

    The campaign's common words and the clue's own region (its levels, and their names without the suffix:
    幸福村, 幸福) are cut out first, and characters and bigrams are taken within the pieces left, so that neither
    they nor the bigrams straddling them count: "市民来电反映：城西区东关街道……" shares nothing with another
    hotline call from the same street but the facts. Numbers become one token each whatever their writing
    ("#3000" for 三千块, 3000元, 3千元), not the digit pairs of one way of writing them; identity numbers and credit
    codes none (they are keys).
    """
    text = _IDENTIFIER_IN_TEXT.sub("\x00", normalise_text(content))
    places = set()
    for level in region_levels(region):
        places.add(level)
        stem = next((level[: -len(s)] for s in _ADMIN_SUFFIXES if level.endswith(s)), "")
        if len(stem) >= 2:
            places.add(stem)
    # The subjects' names too (as given and as matched: 安康殡葬服务有限公司, 安康殡葬服务, 安康): who a report is about
    # is compared on the name keys; the content is compared on what happened, so that two reports about one
    # institution for different matters do not look alike for its name alone.
    places.update(normalise_text(s) for s in subjects if len(normalise_text(s)) >= 2)
    if places:
        text = re.sub("|".join(sorted(map(re.escape, places), key=len, reverse=True)), "\x00", text)
    text = _COMMON.sub("\x00", text)
    # Withheld names (张某某, 王某某) keep the surname bigram 张某; "某某" itself is in every list and says nothing.
    text = re.sub("某某+", "某", text)
    text, grams = _numbers(text)
    for piece in text.split("\x00"):
        grams.update(piece[i : i + SHINGLE_SIZE] for i in range(len(piece) - SHINGLE_SIZE + 1))
        grams.update(piece)  # the characters too (see SHINGLE_SIZE)
    return frozenset(grams)


# Kinds of problem, by the stock words complaints use for them however else worded: a hotline's one-line summary
# (来电人反映：……聚众赌博) and the letter it summarises (……开赌场，打大牌) share the kind when they share few words.
# General vocabulary of complaints (扫黑除恶, 信访), no place or person.
_PROBLEM_KINDS = {
    "赌博": "赌|六合彩|私彩|地下彩票|坐庄|押宝|牌九|打大牌|老虎机|捕鱼机",
    "毒品": "吸毒|贩毒|毒品|冰毒|溜冰|麻古|制毒|涉毒|大烟|罂粟|海洛因|白粉|k粉|摇头丸",
    "涉黄": "涉黄|色情|卖淫|嫖娼|特殊服务|招嫖|按摩女|陪侍|小姐|拉客",
    "放贷": "高利贷|套路贷|放贷|砍头息|催收|网贷|月息|利滚利|爆通讯录|逾期",
    "采砂": "采砂|挖砂|挖沙|采沙|抽沙|抽砂|河沙|偷采|盗采|吸砂|砂船|沙船",
    "低保": "低保|关系保|人情保|五保|特困",
    "危改": "危房|危改",
    "选举": "换届|贿选|拉票|选票|候选人|选举",
    "拆迁": "强拆|拆迁",
    "征地": "征地|青苗费|青苗补偿|征收补偿",
    "林木": "盗伐|滥伐|砍伐|林木|林地|山林|树林|木材",
    "欺行霸市": "垄断|欺行霸市|强买强卖|市霸|摊位费|保护费",
    "工程": "围标|串标|陪标|招投标|强揽|土方",
    "医保": "骗保|医保|挂床",
    "饮水": "饮用水|饮水|水源|自来水|人饮|水管|水池",
    "工程质量": "偷工减料|豆腐渣|质量差|质量问题|开裂|裂缝|不达标|以次充好",
    "阻工设卡": "阻工|阻挠施工|堵路|拦路|路障|过路费|设卡|协调费",
    "集体资产": "集体资产|集体厂房|集体资金|承包费|机动地",
    "宗族势力": "宗族|家族势力|姓的天下|外姓|大姓",
    "酒席": "酒席|乐队|红白喜事|办席|流动厨房|坝坝席",
    # (added on the 40 labelled sets before 2026-12-06's seventh stop: 13 repeats, 4 hard negatives more there, and
    # 2 repeats, no hard negative on five sets nobody had read; a funeral monopoly, pollution and transport were
    # tried and left out: as many false candidates as repeats)
    "采矿": "采矿|私挖|盗挖|煤窑|黑口子|矿洞|采石|石料|非法开采|越界开采",
    # What a firm's workers, customers and creditors complain of (an organisation's other matters, mostly)
    "劳资": "工资|工钱|欠薪|社保|工伤|劳动合同|劳动监察|运费|劳务费",
    "消防": "消防|安全出口|火灾隐患|电线私拉",
    "欠款": "货款|租金|欠款未还|押金不退",
}
_PROBLEM = re.compile("|".join(f"(?P<k{i}>{words})" for i, words in enumerate(_PROBLEM_KINDS.values())))
_PROBLEM_NAMES = list(_PROBLEM_KINDS)
PROBLEM_TOKEN = "△"
# A kind of problem an organisation's name says (宏基拆迁服务有限公司: 拆迁): the body's trade, not what it did.
TRADE_TOKEN = "▲"


def problem_kinds(content: str) -> set[str]:
    """The kinds of problem a report's words name (赌博 for 聚赌, 打大牌, 六合彩), as tokens kept with its grams."""
    text = normalise_text(content)
    return {f"{PROBLEM_TOKEN}{_PROBLEM_NAMES[int(m.lastgroup[1:])]}" for m in _PROBLEM.finditer(text)}


# --- places as a chain of levels -----------------------------------------------------------------------------

# Checked in this order, so that 社区 is not taken for 区 nor 地区 for a district.
_LEVEL_KINDS = (
    ("village", ("社区", "嘎查", "村")),
    ("town", ("街道", "苏木", "镇", "乡")),
    ("city", ("特别行政区", "自治区", "自治州", "地区", "省", "市", "州", "盟")),
    ("county", ("自治县", "自治旗", "区", "县", "旗")),
)
_ORDER = {"city": 0, "county": 1, "town": 2, "village": 3}
LEVEL_WORDS = {"village": "同村（社区）", "town": "同乡镇（街道）", "county": "同区县"}


def _level(name: str) -> tuple[str, str]:
    for kind, suffixes in _LEVEL_KINDS:
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) > len(suffix) + (kind == "county"):
                return kind, name[: -len(suffix)]
    return "", name


# Where a caller names no particular place ("市区", "城区"): no level at all.
_VAGUE_PLACES = frozenset({"市区", "城区", "市里", "县城", "县里", "本市", "全市", "全县", "全区", "市内"})
# A place written as the facility where it happened (南关菜市场, 锦绣河湾小区, 石门敬老院): the name before the
# facility word is the place's (南关, 石门), taken as a name without its level word.
_FACILITY = re.compile(
    r"(?:农贸市场|菜市场|集贸市场|批发市场|大市场|市场|老菜场|菜场|大集|集市|小区|花园|家园|工地|高铁站|火车站|汽车站|客运站|"
    r"车站|广场|敬老院|养老院|卫生院|医院|学校|中学|"
    r"小学|幼儿园|码头|渔港)$"
)
# A street or road (建设路, 解放大街) is an address inside a township, not a level: it is left out of the chain.
_STREET = re.compile(r"(?:路|街|大街|大道|巷|胡同)$")
# A development zone (梅岭开发区, 城南经开区) is within its county or city and named after it; an area (片区) is
# named after the township or community it was, or is around.
_ZONE = re.compile(r"(.*?)(?:经济技术开发区|经济开发区|高新技术产业开发区|高新技术开发区|高新区|经开区|开发区|工业园区|工业园)")
_AREA = re.compile(r"(.{2,}?)片区?")
# A level guessed from its position (a name written without its level word) is marked so; see place_level.
GUESSED = "?"


# A level read from the content (MENTIONED) where the region stops above it: "宁江县" with "鹿鸣村危改补助……" is
# 鹿鸣 village. It makes a match where the other report names the same place there, never a conflict (a report may
# name another village in passing).
MENTIONED = "~"


# A former name the content gives for a place at a level the region names too ("原白沙乡（现并入龙潭镇）", "老石门村"):
# townships and villages are merged and renamed, and people keep writing the old name. It counts as the place's
# name when compared with another report (never as a conflict).
ALIAS = "="


def _kind(kind: str) -> str:
    return kind.rstrip(GUESSED + MENTIONED + ALIAS)


# A township or village named in the content: the two characters before its level word (most place names are two
# characters; longer ones still share their last two), unless they are words that stand before a level word in
# ordinary writing (我们村, 本镇, 农村, 城乡).
_PLACE_IN_TEXT = re.compile(r"([\u4e00-\u9fff]{2})(街道|镇|乡(?![下亲里])|苏木|村(?![民里])|社区|嘎查(?!达|长))")
_FORMER_PLACE = re.compile(
    r"(?:原|原来的?|以前的?|过去的?|老)([\u4e00-\u9fff]{2,3}?)(镇|乡|村|苏木|嘎查)|"
    r"([\u4e00-\u9fff]{2})(镇|乡|村)[(（]?(?:现已|现|已|后)?(?:并入|合并|撤并|划入|划归|改名|更名|改为)"
)
# and the other way: a place written by its former name, with what it is now (龙潭乡龙潭村（现并入龙泉镇）)
_CURRENT_PLACE = re.compile(
    r"(?:并入|合并到|合并入|划入|划归|改名为|更名为|改为)(?:[\u4e00-\u9fff]{2,3}?[县区])?([\u4e00-\u9fff]{2,3}?)(镇|乡|街道|村)"
)
# The village after a former township (原新垸乡三合村: 三合村 of the township as it was).
_FORMER_TOWNS_VILLAGE = re.compile(
    r"(?:原|原来的?|以前的?|过去的?)[\u4e00-\u9fff]{2,3}?(?:镇|乡|苏木)([\u4e00-\u9fff]{2,3}?)(村|嘎查|社区)")
# A place's other name said as such (向家坪村（老名坪上）, 坪上村（现在叫向家坪村）): at the level of the place before it.
_NAME_OF_OLD = re.compile(
    r"[(（，,]\s*(?:老名|原名|旧名|老地名|原称|旧称|以前叫|过去叫|原来叫|老辈叫|现在叫|现叫|现名|现称)[是为做作]?[“\"「]?"
    r"([\u4e00-\u9fff]{2,3}?)(?:村|社区|嘎查|镇|乡|街道|苏木)?[”\"」]?[)）]")
_LEVEL_BEFORE = re.compile(r"(村|社区|嘎查|镇|乡|街道|苏木)$")
# After 原 (原上河村, 原新垸乡) a place's name is what follows, whatever its first character (新, 上, 老 begin many).
_NOT_A_FORMER_PLACE = re.compile(r"[我你他她们本该此这那各全每某其的了是个在和与]")
_NOT_A_PLACE = re.compile(r"[我你他她们本该此这那各全每某其邻同原新老农城下回家故外县区市省在到去从和与的了是个里上被把给别隔近准有系转撤所]")
# 新, 上 and 下 are a place's first character (新寨乡, 新桥村, 下湾村) where the name follows no word (：, a level
# word), not 移民新村;
# 上 and 下 end a village's name right after its township (龙场镇坪上村, 青石乡岩下村), not 晚上村干部.
_NEW_PLACE_AFTER = re.compile(r"$|[^\u4e00-\u9fff]|[县区市乡镇]")
# 城 begins a township named after its quarter of the town (城南街道, 城关镇), not 城乡, 县城镇 or 城中村.
_QUARTERS = "东南西北关郊"
# Words after which a place is named (反映新桥镇…, 位于上坪村): 新, 上, 下 begin its name there.
_VERB_BEFORE_PLACE = re.compile(r"(?:反映|举报|投诉|检举|控告|位于|来自|地址|地点)[：:]?$")
PLACE_TOKEN = "§"
_FACILITY_IN_TEXT = re.compile(
    r"([\u4e00-\u9fff]{2})(?:农贸市场|菜市场|批发市场|物流园|派出所|卫生院|敬老院|中心小学|中心校|水库|客运站|汽车站|"
    r"司法所|财政所|国土所|自然资源所|水管站|农经站|治超站|检测站|供销社|信用社)"
)


def _family_place(stem: str) -> bool:
    """蒋家, 芦家: a family's name and 家, a place's name before 村 or 镇 (not 我家, 回家, 老家)."""
    return len(stem) == 2 and stem[1] == "家" and stem[0] in _COMMON_SURNAMES


# What a village holds or is run by (村集体, 村道, 村委会, 村干部), after a verb (霸占, 损坏, 当选, 拦在, 威胁, 贿赂): no
# village named so.
_VILLAGE_BODY = re.compile(r"集体|干部|委|道|级|务|部|口|霸|主任|支书|两委|医")
_VERB_BEFORE_VILLAGE_BODY = frozenset("占包用选坏损修挪管控持扰核涉侵害督拦到找问给对跟让叫被由将把坐入开设时说过胁打骂赂买结迫压逼吓骗动使纵贿")


def _other_names_of_places(text: str):
    """(name, level word) of each former or current name the text gives a place by."""
    for match in [*_FORMER_PLACE.finditer(text), *_CURRENT_PLACE.finditer(text)]:
        yield next((match[i], match[i + 1]) for i in (1, 3) if match.re.groups > i and match[i])
    for match in _FORMER_TOWNS_VILLAGE.finditer(text):
        yield match[1], match[2]
    for match in _NAME_OF_OLD.finditer(text):
        word = _LEVEL_BEFORE.search(text, 0, match.start())
        if word:
            yield match[1], word[1]


def places_in_text(content: str, chain: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The township and village the content names (one each, else none) at the levels the region does not give,
    as chain entries marked MENTIONED; where the region gives a village, another village the text names, as an
    alias."""
    have = {_kind(kind) for kind, _ in chain}
    text = unicodedata.normalize("NFKC", content or "")
    known = {stem for _, stem in chain}
    typed = {(_kind(kind), stem) for kind, stem in chain}
    aliases = set()
    for stem, word in _other_names_of_places(text):
        stem = stem[-2:]
        kind = "village" if word in ("村", "社区", "嘎查") else "town"
        if kind in have and (kind, stem) not in typed and not _NOT_A_FORMER_PLACE.search(stem):
            aliases.add((kind + ALIAS + MENTIONED, stem))
    aliases = tuple(sorted(aliases))
    found: dict[str, dict[str, None]] = {"town": {}, "village": {}}
    for match in _PLACE_IN_TEXT.finditer(text):
        stem, word = match[1], match[2]
        before = text[match.start() - 1] if match.start() else ""
        if word == "村" and stem[1] in _VERB_BEFORE_VILLAGE_BODY and _VILLAGE_BODY.match(text, match.end()):
            continue  # 霸占村集体, 损坏村道, 当选村委会: a village's property or office, not a village named 霸占
        if word == "村" and stem[1] == "进" and stem[0] not in "前跃奋先推突":
            continue  # 贩子进村, 刚进村: entering a village (前进村 is one)
        if stem[0] == "家" and re.match(r"[\u4e00-\u9fff]", before) and not _NOT_A_PLACE.search(before + stem[1]):
            stem = before + stem  # 马家湾镇, 刘家冲村: a family's name and the place's word
        elif _family_place(stem):
            pass  # 蒋家村, 王家镇: a family's name and 家 (not 我家, 回家)
        elif _NOT_A_PLACE.search(stem[1] if stem[0] in "新上下" and (
                _NEW_PLACE_AFTER.match(before) or _VERB_BEFORE_PLACE.search(text, 0, match.start()))
                                 or stem[0] == "城" and stem[1] in _QUARTERS else
                                 stem[0] if stem[1] in "上下" and word == "村" and (
                                     before in ("镇", "乡") or _VERB_BEFORE_PLACE.search(text, 0, match.start()))
                                 else stem):
            continue
        if word in ("村", "社区") and stem[1] in "镇乡":
            continue  # 请镇村级组织: a township and its villages, no village named 请镇
        if word == "村" and stem[0] in "镇乡" and re.match(r"[\u4e00-\u9fff]", before):
            stem = stem[1] + word  # 龙沐镇新村: a village named by one character, as the region names it
        found["village" if word in ("村", "社区", "嘎查") else "town"].setdefault(stem)
    extra = []
    if "village" in have:
        # The region is where the reporter is (北街社区, his shop), the text says where the matter is (西街村的一伙人):
        # the first other village the text names is one more village the report is about, kept as an alias: it
        # agrees with a report of that village. Over blind15–54 and the sets before them: 15 repeats more for 5
        # hard negatives; on blind55–59, written blind: 1 more for 1, and 3 more matters held as one.
        skip = {stem for _, stem in typed} | {stem for _, stem in aliases}
        named = [stem for stem in found["village"] if stem not in skip][:1]
        return aliases + tuple(("village" + ALIAS + MENTIONED, stem) for stem in named)
    for kind in ("town", "village"):
        # A name the region gives at another level is this level's too (东屿区 and its 东屿街道, 溪源乡 and 溪源村).
        skip = {stem for k, stem in typed if k == kind} | {stem for k, stem in aliases if _kind(k) == kind}
        stems = [stem for stem in found[kind] if stem not in skip]
        if kind not in have and stems:
            extra.append((kind + MENTIONED, stems[0]))
    if not extra and "town" not in have:
        # A place named by what is there (河西农贸市场, 高桥派出所, 石门敬老院): most such are named after their
        # township; the other report's chain says at which level (see _typed).
        stems = {stem for stem in _FACILITY_IN_TEXT.findall(text) if not _NOT_A_PLACE.search(stem)} - known
        if len(stems) == 1:
            extra.append(("town" + GUESSED + MENTIONED, stems.pop()))
    return tuple(extra) + aliases


def with_places(chain: tuple[tuple[str, str], ...], grams: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """The region's chain with the places its content named (kept among the grams as PLACE_TOKEN tokens)."""
    extra = [(token[1:].split(":", 1)[0] + MENTIONED, token[1:].split(":", 1)[1]) for token in grams
             if token.startswith(PLACE_TOKEN)]
    return tuple(sorted((*chain, *extra), key=lambda entry: _ORDER[_kind(entry[0])])) if extra else chain


# A natural village or group named below the village (罗田村田心组, 王家台村周家嘴组): people of the place write it
# bare (田心), so it is one more name of the village. Numbered groups (三组) name nothing of the sort.
_NAMED_BELOW = re.compile(r"(?:村|社区|嘎查)([\u4e00-\u9fff]{2,4}?)(?:村民小组|小组|自然村|组|屯)$")
_NUMBERED = re.compile(r"第?[0-9一二三四五六七八九十百零〇两]+")
# A numbered group after a place written bare (黑水滩五组): the place.
_NUMBERED_GROUP = re.compile(r"(?:第?[0-9一二三四五六七八九十百零〇两]+(?:村民)?(?:小组|组|队|社))+$")
# A relocation settlement or an old town named by its place (六号移民新村, 鼓楼坪安置区, 龙潭古镇): the place.
_SETTLEMENT = re.compile(r"(?:生态)?移民(?:新村|村)$|安置(?:区|点|小区)$|古镇$")


@lru_cache(maxsize=8192)
def place_chain(region: str) -> tuple[tuple[str, str], ...]:
    """The region as (level, name without its level word), most general first: "城东区新华街道幸福村委会" gives
    (county 城东, town 新华, village 幸福); "幸福村" gives (village 幸福). A name without a level word is taken for a
    village or community when it follows a township or stands alone (people write 桃园 for 桃园村), for a township
    after a district, and marked as guessed ("village?"): "石门" may be 石门镇 as well (see place_level)."""
    chain: list[tuple[str, str]] = []
    for name in region_levels(region):
        name = _FACILITY.sub("", _FACILITY.sub("", name))  # 南关家园小区: the estate 南关家园, of 南关
        if (settled := _SETTLEMENT.sub("", name)) != name and len(settled) >= 2:
            name = settled
        if name in _VAGUE_PLACES or len(name) < 2:
            continue
        if zone := _ZONE.fullmatch(name):
            # 梅岭开发区 is 梅岭's (the county's or city's) zone; 梅岭县经济开发区 names its county already.
            if zone[1] and len(zone[1]) >= 2 and not chain:
                chain.append(("county" + GUESSED, zone[1]))
            continue
        if area := _AREA.fullmatch(name):
            name = area[1]  # 东岳片区: the area of 东岳 (a former township, a community), its level as placed
        kind, stem = _level(name)
        if kind == "village" and len(stem) == 1 and name.endswith("村"):
            stem = name  # 新村, 东村: a village named by one character, by its name with 村
        if not kind and _STREET.search(name):
            continue
        if not kind and len(name) >= 3 and name[-1] in "围圩":
            name = stem = name[:-1]  # 大埔围 (a walled village of 大埔), 官桥圩 (官桥's market): the place by its name
        if not kind and len(grouped := _NUMBERED_GROUP.sub("", name)) >= 2:
            name = stem = grouped
        if not kind:
            last = _ORDER[_kind(chain[-1][0])] if chain else -1
            kind = "village" if last in (-1, 2) else ("town" if last == 1 else "")
            kind = kind and kind + GUESSED
        if kind and len(stem) >= 2 and all(_ORDER[_kind(k)] < _ORDER[_kind(kind)] for k, _ in chain):
            chain.append((kind, stem))
    below = _NAMED_BELOW.search(normalise_text(region))
    if below and chain and _kind(chain[-1][0]) == "village" and not _NUMBERED.fullmatch(below[1]):
        chain.append(("village" + ALIAS, below[1]))
    if len(chain) == 1 and _kind(chain[0][0]) == "village" and len(chain[0][1]) in (4, 5):
        # A township and its village run together without the township's level word (双庙潘营, 王集小宋庄,
        # 石桥下徐村): the village is named by what follows the township's two characters too.
        chain.append((chain[0][0] + ALIAS, chain[0][1][2:]))
    elif len(chain) == 1 and _kind(chain[0][0]) == "village" and len(chain[0][1]) == 3 and region.endswith("村"):
        chain.append((chain[0][0] + ALIAS, chain[0][1][2:] + "村"))  # 岗头何村: 岗头镇's 何村
    return tuple(chain)


def _typed(chain: tuple[tuple[str, str], ...], other: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """level → name; a name without its level word at the level the other chain gives that name, else at the
    level its position suggests."""
    known = {stem: kind for kind, stem in other if ALIAS not in kind}
    typed = {}
    for kind, stem in chain:
        if ALIAS in kind:
            continue
        level = _kind(kind)
        if GUESSED in kind and stem in known:
            theirs = known[stem]
            # Both guessed (南关牲畜市场 after a district, and after its street): the deeper guess, a place inside.
            level = max(level, _kind(theirs), key=_ORDER.__getitem__) if GUESSED in theirs else _kind(theirs)
        typed.setdefault(level, stem)
    return typed


def _names(chain: tuple[tuple[str, str], ...], typed: dict[str, str]) -> dict[str, set[str]]:
    """level → the names a chain gives it: its own, and former names its content gave (ALIAS)."""
    names = {kind: {stem} for kind, stem in typed.items()}
    for kind, stem in chain:
        if ALIAS in kind:
            names.setdefault(_kind(kind), set()).add(stem)
    return names


def _guessed(chain: tuple[tuple[str, str], ...], typed: dict[str, str]) -> set[str]:
    """The levels a chain names without a level word (typed by _typed)."""
    return {level for level, stem in typed.items() if any(GUESSED in k and s == stem for k, s in chain)}


def _mentioned(chain: tuple[tuple[str, str], ...]) -> set[str]:
    return {_kind(kind) for kind, _ in chain if kind.endswith(MENTIONED) and ALIAS not in kind}


def _agree(a: set[str], b: set[str], loose: bool) -> bool:
    """Two sets of names for one level share one; `loose` where one was read from the content, which takes a
    place's last two characters (马家湾镇 is read as 家湾)."""
    if not a.isdisjoint(b):
        return True
    if loose and any(x.startswith(y) or y.startswith(x) or x.endswith(y) or y.endswith(x)
                     for x in a for y in b if min(len(x), len(y)) >= 2):
        return True
    # one place written two ways (柳树湾 / 柳树塆, 三岔 / 三汊)
    return not {_sound(x) for x in a}.isdisjoint(_sound(y) for y in b)


def _run_together(chain: tuple[tuple[str, str], ...], other: tuple[tuple[str, str], ...]) -> set[str]:
    """The levels `chain` names bare by a name that starts with a township `other` names with its level word."""
    towns = [stem for kind, stem in other if kind == "town"]
    return {_kind(kind) for kind, stem in chain
            if GUESSED in kind and ALIAS not in kind and any(stem.startswith(t) and stem != t for t in towns)}


def place_level(a: tuple[tuple[str, str], ...], b: tuple[tuple[str, str], ...]) -> str:
    """The most specific level both chains name the same ("village", "town", "county"); "" when they share none;
    "conflict" when they name one differently (幸福村 of 新华街道 and of 青山镇). Cities are not compared. A name
    written without its level word counts at the level the other chain gives it ("石门" and "南山县石门镇" are one
    township), else at the level its position suggests."""
    da, db = _typed(a, b), _typed(b, a)
    common = da.keys() & db.keys() - {"city"}
    soft = _mentioned(a) | _mentioned(b)
    names_a, names_b = _names(a, da), _names(b, db)
    # A name without its level word (a housing estate 锦绣河湾 for 河湾社区) or read from the text agrees by its end.
    loose = soft | _guessed(a, da) | _guessed(b, db)
    same = {k for k in common if _agree(names_a.get(k, set()), names_b.get(k, set()), k in loose)}
    # A name written bare against one with its level word may be a place inside it (田心 for 罗田村's natural
    # village 田心, 岭头, a landmark): the two do not compare there, unless the bare name starts with the other's
    # township (青石马塘: 青石镇's 马塘). Two names written bare (two estates, two natural villages) are two places.
    unsure = (_guessed(a, da) | _guessed(b, db)) - _run_together(a, b) - _run_together(b, a)
    if common - soft - unsure - same:
        return "conflict"
    common = same
    return max(common, key=_ORDER.__getitem__) if common else ""


# --- persons: titles, surnames, sounds, typos ----------------------------------------------------------------

# Posts and forms of address written with or instead of a name (村支书张某, 张主任, 陈会长, 刘经理, 韩老师), each with
# the post it names: 村支书 and 书记 are one post, 老板 and 经理 and 老总 another (see post_tokens).
_POST_NAMES = {
    "书记": ("党支部书记", "支部书记", "村支书", "支书", "副书记", "书记"),
    # 村长 is what people call the 村委会主任; 嘎查达 (嘎查长) the head of a pastoral village's committee
    "主任": ("村主任", "社区主任", "妇女主任", "副主任", "主任", "嘎查达", "嘎查长", "副村长", "村长"),
    # 社长: the head of a village group (社) in Sichuan, of its economic co-op (经济社) in Guangdong
    "组长": ("村民小组长", "村民组长", "小组长", "组长", "经济社社长", "社长"),
    "队长": ("中队长", "大队长", "队长"),
    "会计": ("村会计", "会计", "出纳", "报账员"),
    "文书": ("村文书", "文书"),
    "网格员": ("网格员",),
    "调解员": ("调解员",),
    "委员": ("委员",),
    "镇长": ("副镇长", "副乡长", "镇长", "乡长"),
    "局长": ("副局长", "局长"),
    "所长": ("副所长", "所长"),
    "站长": ("副站长", "站长"),
    "院长": ("副院长", "院长"),
    "园长": ("园长",),
    "校长": ("副校长", "校长"),
    # 联合社社长 (经联社社长): the chair of a community's joint economic co-op, not of a group's 经济社
    "会长": ("副会长", "会长", "理事长", "秘书长", "合作社社长", "联合社社长", "经联社社长", "联社社长"),
    "场长": ("场长", "副场长"),  # a state farm's or forest farm's (农场, 林场)
    "老板": ("董事长", "总经理", "经理", "老板娘", "老板", "老总", "总"),
    "治保主任": ("治保主任",),
    "族长": ("族长",),
    "民警": ("警官", "民警", "警察", "辅警"),
    "医生": ("村医", "医生"),
    "老师": ("老师",),
    "干部": ("干部",),
    "法官": ("法官", "审判员", "执行员", "庭长", "副庭长"),
    "股长": ("股长", "副股长"),
    "科长": ("科长", "副科长"),
    # Forms of address by age or kinship (张老汉, 李大妈, 刘婶): the surname, no post.
    "": ("哥", "姐", "老汉", "老头", "老太", "大爷", "大妈", "大娘", "大婶", "大嫂", "大叔", "大伯", "阿姨", "婶", "嫂", "叔", "伯",
         "姨", "姑"),
}
# A relative named through someone (周书记的侄子, 李建国的小舅子): the report is about that someone's family, and
# is matched on that someone.
_KIN = re.compile(r"(?:的|(?<=[\u4e00-\u9fff]{2}))(?:儿子|女儿|儿媳|女婿|弟弟|哥哥|姐姐|妹妹|侄子|侄女|外甥|老婆|妻子|媳妇|丈夫|小舅子|小姨子|亲戚|"
                  r"父亲|母亲|老爹|老娘|亲家|连襟)$")
_POST_OF = {word: post for post, words in _POST_NAMES.items() for word in words}
# Posts of a village or community (one holder per village).
_VILLAGE_POSTS = frozenset({"书记", "主任", "组长", "队长", "会计", "文书", "网格员", "调解员", "委员", "医生"})
_POSTS = sorted(_POST_OF, key=len, reverse=True)
_POST = "|".join(_POSTS)
# A post may follow where the person serves: 村支书张某, 东营村支书卢某, 敬老院的潘某.
_LEADING_POST = re.compile(
    rf"^(?:.{{0,6}}?(?:村|社区|嘎查|镇|乡|苏木|街道|委会|[0-9一二三四五六七八九十]+组|[社所站局院校厂矿司会场]|中心|公司))?"
    rf"(?P<post>{_POST})")
_TRAILING_POST = re.compile(rf"(?:{_POST})$")
_HANZI = re.compile(r"^[\u3400-\u9fff]+$")
# Two-character surnames common enough to matter; other names take their first character as the surname.
_DOUBLE_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙", "宇文")
# Nicknames by birth order (刘三, 胡老四, 曹老大, 刘老三): the surname and the rank, written 刘三 however given.
_RANK = "大二三四五六七八九十"
_NICKNAME = re.compile(rf"^([\u3400-\u9fff])老?([{_RANK}幺])(?:哥|姐|娃|伢子|伢|子|儿)?$")
# A surname and what someone looks like or is (陈胖子, 刘瘸子, 曲大个, 彭疯子): the surname, and that as a nickname.
_SURNAME_LOOKS = re.compile(r"^([\u3400-\u9fff])(?:[\u4e00-\u9fff]子|大个子?|大头|大汉|大胡子|老虎|黑子)$")
# Where a report gives a nickname besides the name: 刘国强（外号刘三）, 人称“胡老四”, 大家都叫他孙二虎.
_NICKNAME_IN_TEXT = re.compile(
    r"(?:外号|绰号|诨名|诨号|小名|乳名|人称|人送外号|(?:都|大家|外面|外头|别人|人家|村里人?|我们)(?:叫|喊|管)[他她](?:叫)?)[是叫为]?[“\"「『]?"
    r"([\u3400-\u9fff]{2,4})")
# Posts as the text names them (a single 总 or 哥 is too common a character to be read as a post).
_POST_IN_TEXT = re.compile("|".join(word for word in _POSTS if len(word) > 1))


# A given-name character with 哥 or 姐 (斌哥 for 何文斌, 芳姐 for 李玉芳): how people of a place call someone they
# know; written 斌哥 for either.
_BROTHER = re.compile(r"(?:阿|小)?([\u4e00-\u9fff])[哥姐]|([\u4e00-\u9fff])[仔牯古]")
# 阿彬, 阿威: in the south a given-name character with 阿, as 斌哥 (阿陈, a surname, is kept as one too); and with
# what someone looks like before it (肥仔明, 大只辉, 鬼华).
_AH = re.compile(r"(?:阿|亚|肥佬|肥仔|大头|大只|细佬|靓仔|鬼)([\u4e00-\u9fff])")
# 汉生叔, 玉兰姨: a two-character given name with a form of address (a surname would be one of the common ones).
_GIVEN_ADDRESSED = re.compile(r"([\u4e00-\u9fff]{1,2})(?:哥|姐|兄|叔|伯|姨|姑|婶|嫂)")
# 永福仔, 金狮仔, 福山公, 秀英婆: a two-character given name with 仔 (the south), 公 or 婆 (an elder), whatever its
# first character (a surname with 仔 is one character: 陈仔).
_GIVEN_CALLED = re.compile(r"([\u4e00-\u9fff]{2})(?:仔|牯|古|公|婆)")
# What a report may add after a name it is unsure of: 赖金彪（音）, 黄德广（谐音）.
_NAME_NOTE = re.compile(r"[(（](?:音|谐音|同音|音同|音译|不详|不确定|待核实|待查|[?？])[)）]")
# Another name in brackets right after a name: 陈四毛（陈志勇）, 刘二（刘德彪）, 刘某某（刘大个）.
_BRACKETED = re.compile(r"[(]([\u4e00-\u9fff]{2,4})[)]")


def nick_forms(name: PersonName) -> set[str]:
    """What people may call a person given in full by a given-name character (何文斌 → 文哥, 斌哥), by the given
    name (冯汉生 → 汉生哥, for 汉生叔), and by the birth order it holds (侯立三 → 侯三; 李四虎 → 四虎, 李四)."""
    if not name.full or not _HANZI.match(name.full):
        return set()
    given = name.full[len(name.surname):]
    forms = {f"{ch}哥" for ch in given}
    if len(given) == 2:
        forms.add(f"{given}哥")
        if given[0] in _RANK[1:]:
            forms |= {given, f"{name.surname}{given[0]}"}
        if given[1] in _RANK[1:]:
            forms.add(f"{name.surname}{given[1]}")
    return forms


def other_names(raw: str, content: str) -> list[str]:
    """Names a report gives for one person besides the name itself: in brackets in the name (刘某某（刘大个）) or
    right after it in the content (陈四毛（陈志勇））."""
    text = _NAME_NOTE.sub("", unicodedata.normalize("NFKC", raw or "")).strip()
    found = _BRACKETED.findall(text)
    bare = re.sub(r"\(.*?\)", "", text)
    if len(bare) >= 2:
        found += re.findall(re.escape(bare) + _BRACKETED.pattern, unicodedata.normalize("NFKC", content or ""))
    return [name for name in found if not _NOT_A_NAME.search(name)]


_NOT_A_NAME = re.compile(r"[的了是在和与及等人]|外号|绰号|村民|负责|经理|老板|书记|主任")


# Words no name holds: a description written where a name should be (村里一把手, 管事的那个人).
_DESCRIPTION = re.compile(r"村里|镇上|一把手|那个|这个|管事|负责人|领导|干部|人员|的")


@dataclass(frozen=True)
class PersonName:
    full: str = ""  # 张伟 (titles stripped); empty when only a surname or a stand-in is given
    surname: str = ""  # 张 for 张伟, 张主任, 老张, 张某, 村支书张某
    mask: str = ""  # 张*军 for 张某军 (a withheld middle character)
    post: str = ""  # 所长 for 钱所长 and 副所长钱卫东, as one word per post (see _POST_NAMES)
    nickname: str = ""  # 刘三 for 刘三, 刘老三


# A surname said as a surname (黄姓老板, 一名王姓男子, 蔡姓兄弟): the person is given by surname only.
_SURNAME_SAID = re.compile(r"^(?:一[名个位伙帮]|有个|有一?[名个位])?(?P<surname>[\u4e00-\u9fff])姓(?P<rest>.*)$")
# A family said by its surname (魏家兄弟, 王家父子, 刘家人): the people are given by surname only.
_FAMILY_SAID = re.compile(
    r"^(?P<surname>[\u4e00-\u9fff])[家氏]那?(?:几个?兄弟|几?兄弟|弟兄|哥俩|哥仨|兄弟俩|姐妹|父子|母子|叔侄|人|族人|家族|一家)$")
# A surname said after 姓 (姓陈的, 老板姓杨): the person is given by surname only, with the post before it.
_SURNAME_AFTER = re.compile(r"^(?P<rest>.*?)姓(?P<surname>[\u4e00-\u9fff])(?:的|那个|那家伙)?$")
# and before a post (姓吉的老板, 征拆办姓周的副主任): the surname with that post.
_SURNAME_BEFORE_POST = re.compile(rf"^(?P<rest>.*?)姓(?P<surname>[\u4e00-\u9fff])的?(?P<post>{_POST})$")
# A family said by its surname alone (聂家, 老郑家): its people, given by surname only.
_FAMILY_BARE = re.compile(r"老?([\u4e00-\u9fff])家")
# What someone looks like before a surname or a given-name character (光头李, 刀疤强, 胖子王).
_LOOKS_BEFORE = re.compile(r"(?:光头|刀疤|疤脸|胖子|瘦子|瘦猴|矮子|麻子|秃子|黑皮|大头|独眼)([\u4e00-\u9fff])")
# A nickname by what someone looks like or is (黑子, 胖子, 黑蛋, 瘦猴): not a surname 黑 or 胖.
_LOOKS = re.compile(r"^[\u4e00-\u9fff][子蛋猴娃皮狗佬]$")
# A post said short after a surname (孙所 for 孙所长, 张局, 马队).
_SHORT_POSTS = {"所": "所长", "局": "局长", "队": "队长"}
# A body before a post (派出所所长, 水利站站长, 安监中队队长, 煤矿保卫科长): the body's post, no name.
_BODY_BEFORE_POST = re.compile(r"[所站局院校厂矿队科办委司店社组会]|中心|公司|物业")
# Someone described, not named (同村人, 派出所有人, 本村村民, 兄弟二人, 该男子, 他): no one in particular.
_SOMEONE = re.compile(
    r"(?:有人|的人|那人|此人|伙人|帮人|些人|个人|村人|组人|地人|乡人|年轻人|男人|女人|家人|[二两三几等]人|男子|女子|男的|女的|"
    r"村民|居民|群众|兄弟|弟兄|姐妹|他们|她们|黑社会|社会人|混混)$|"
    r"^(?:他|她|该|本村|本组|同村|同组|同乡|几个|两个|一伙|一帮|有个|有些|不知名|外地|外村)")
# A job and a name after it (包工头赖永福, 砂场老板黄德广): that person, with the post where it is one.
_JOB_BEFORE_NAME = re.compile(rf"^[\u4e00-\u9fff]{{0,10}}?(?P<post>{_POST}|包工头|工头)(?P<name>[\u4e00-\u9fff]{{2,3}})$")
# A post not in _POST_NAMES (防疫员, 民政专干, 干事): someone of a body by their job, no name.
_JOB = re.compile(r"^[\u4e00-\u9fff]{1,4}(?:员|专干|干事)$")


_PLACE_BEFORE_POST = re.compile(r"(?:村|社区|嘎查|镇|乡|苏木|街道|居委会|村委会)$")
# A place's level word alone before a post (社区书记, 村书记, 嘎查书记): the post of the report's own place.
_LEVEL_WORD = frozenset({"村", "社区", "嘎查", "镇", "乡", "苏木", "街道", "居委会", "村委会"})


def parse_name(raw: str) -> PersonName:
    """The person a name field gives (see _parse_name); 村干部 and 干部 give no one: a village's cadres, any of them."""
    name = _parse_name(raw)
    return PersonName() if name == PersonName(post="干部") else name


def _parse_name(raw: str) -> PersonName:
    """Posts and forms of address stripped (村支书张某 → 张, 张主任 → 张, 老李 → 李, 小宋 → 宋), stand-ins kept as
    the surname only (张某, 李**), a withheld character as a mask (王某军 → 王*军), a nickname by birth order as
    the surname with the nickname (胡老四 → 胡, 胡四)."""
    raw = _NAME_NOTE.sub("", unicodedata.normalize("NFKC", raw or ""))
    text = normalise_text(raw.replace("·", "").replace("•", ""))
    text = _KIN.sub("", text)
    if (after := _SURNAME_AFTER.match(text)) and after["surname"] in _COMMON_SURNAMES:
        # 姓陈的, 老板姓杨: a surname said as such, with whatever post comes before it
        rest = parse_name(after["rest"]) if after["rest"] else PersonName()
        return PersonName(surname=after["surname"], post=rest.post)
    if (said := _SURNAME_BEFORE_POST.match(text)) and said["surname"] in _COMMON_SURNAMES:
        return PersonName(surname=said["surname"], post=_POST_OF[said["post"]])
    if _SOMEONE.search(text) and not (_FAMILY_SAID.match(text) or _SURNAME_SAID.match(text)):
        found = _TRAILING_POST.search(text)
        return PersonName(post=_POST_OF[found.group()] if found else "")  # 外地老板: a post, no one named
    if (job := _JOB_BEFORE_NAME.match(text)) and job["name"][0] in _COMMON_SURNAMES and "某" not in job["name"]:
        return PersonName(full=job["name"], surname=job["name"][0], post=_POST_OF.get(job["post"], ""))
    if "的" in text:
        text = text.rsplit("的", 1)[1]  # 敬老院的潘某
    if not text or not _HANZI.match(re.sub(r"[*x某]", "", text) or "x"):
        return PersonName(full=normalise_name(raw))
    if text in _POST_OF:
        return PersonName(post=_POST_OF[text])  # 书记, 副站长: a post, no name
    if brother := _BROTHER.fullmatch(text) or _AH.fullmatch(text):
        # 斌哥, 芳姐, 彬仔, 阿彬: a given-name character and 哥, 姐 or 仔, or after 阿; or 张哥, a surname (both kept:
        # which it is, no one knows)
        character = brother[1] or brother[2]
        return PersonName(surname=character, nickname=character + "哥")
    if (given := _GIVEN_ADDRESSED.fullmatch(text)) and given[1][0] not in _COMMON_SURNAMES:
        return PersonName(nickname=given[1] + "哥")  # 汉生叔: 冯汉生 by his given name
    if given := _GIVEN_CALLED.fullmatch(text):
        return PersonName(nickname=given[1] + "哥")  # 永福仔, 福山公: 赖永福, 农福山 by the given name
    if family := _FAMILY_SAID.match(text):
        return PersonName(surname=family["surname"])
    if _LOOKS.match(text) and text[0] not in _COMMON_SURNAMES:
        # 斌子, 军娃: in the north-west a given name's character with 子 or 娃, as 斌哥 elsewhere (李文斌)
        return PersonName(nickname=text[0] + "哥" if text[1] in "子娃" else text)
    if _JOB.match(text) and text not in _POST_OF and not any(text.endswith(word) for word in _POST_OF):
        return PersonName(post=text)
    if said := _SURNAME_SAID.match(text):
        # 黄姓老板, 蔡姓兄弟, 一名王姓男子: a surname said as such, with whatever post follows it
        rest = parse_name(said["surname"] + said["rest"]) if said["rest"] else PersonName()
        return PersonName(surname=said["surname"], post=rest.post)
    post = ""
    stripped = text
    if (found := _LEADING_POST.match(stripped)) and found.end() == len(stripped) and found.start("post") >= 3:
        return PersonName(post=_POST_OF[_whole_post(stripped[:found.end()])])  # 柳塘村主任: a place's post, no name
    if found and len(stripped) > found.end():
        post = _POST_OF[_whole_post(stripped[:found.end()])]
        stripped = stripped[found.end():]
    if len(stripped) > 1 and (found := _TRAILING_POST.search(stripped)) and found.start() > 0:
        post = post or _POST_OF[found.group()]
        stripped = stripped[: found.start()]
    if post and (stripped in _LEVEL_WORD or len(stripped) > 2 and _PLACE_BEFORE_POST.search(stripped)
                 or _BODY_BEFORE_POST.search(stripped)):
        return PersonName(post=post)  # 钱家港村书记, 石门镇镇长, 社区书记, 派出所所长: a place's post, no name
    if post and _given_only(stripped):
        return PersonName(nickname=stripped + "哥", post=post)  # 德旺书记: 洪德旺 by his given name and post
    if len(text) == 2 and text[0] in _COMMON_SURNAMES and text[1] in "生太":
        return PersonName(surname=text[0])  # 黄生, 邝太: Mr Huang, Mrs Kuang, as the south says
    if len(text) == 2 and text[0] in _COMMON_SURNAMES and text[1] in _SHORT_POSTS:
        return PersonName(surname=text[0], post=_SHORT_POSTS[text[1]])  # 孙所, 张局, 马队: a surname and a post, short
    if len(stripped) == 2 and stripped[0] in "老小大" and (stripped[1] in _COMMON_SURNAMES or stripped[1] in "阎萧"):
        return PersonName(surname=stripped[1], post=post)  # 老李, 小马, 大刘, 老李书记, 网格员小付
    if len(stripped) == 2 and stripped[0] == "小" and len(text) == 2:
        return PersonName(surname=stripped[1], nickname=stripped[1] + "哥")  # 小辉: 程辉's given name, as 辉哥
    if len(stripped) == 2 and stripped[0] == "大" and len(text) == 2:
        return PersonName(nickname=stripped + "哥")  # 大伟, 大牛: 刘大伟's given name, or what everyone calls him
    if len(stripped) == 2 and stripped[0] == "老" and len(text) == 2:
        return PersonName(nickname=stripped)  # 老疤: a nickname, no surname
    if len(stripped) == 3 and stripped[0] == "老" and len(text) == 3 and stripped[1] not in _COMMON_SURNAMES:
        return PersonName(nickname=stripped)  # 老狐狸, 老黑子: a nickname, no 老 family
    if stripped in ("某", "某某"):
        return PersonName(post=post)  # 某科长: a post, the name withheld
    if (nickname := _NICKNAME.match(stripped)) and nickname[1] not in "老小大阿":
        return PersonName(surname=nickname[1], nickname=nickname[1] + nickname[2], post=post)
    if (looks := _SURNAME_LOOKS.match(stripped)) and looks[1] in _COMMON_SURNAMES:
        return PersonName(surname=looks[1], nickname=stripped, post=post)
    if (len(stripped) in (2, 3) and stripped[0] in _RANK[1:] and _HANZI.match(stripped)
            and stripped[1] not in "组队社号楼栋层村户年月日天次个人"):
        return PersonName(nickname=stripped, post=post)  # 二毛, 四毛, 二愣子: a nickname without a surname
    if not stripped or stripped[0] in "一二三四五六七八九十0123456789":  # 四组组长: a post, no name
        return PersonName(post=post)
    if (family := _FAMILY_BARE.fullmatch(stripped)) and family[1] in _COMMON_SURNAMES:
        return PersonName(surname=family[1], post=post)  # 聂家, 老郑家: a family by its surname
    if looks := _LOOKS_BEFORE.fullmatch(stripped):
        # 光头李: a surname after what someone looks like; 刀疤强 (光头强): a nickname as it is
        return PersonName(surname=looks[1] if looks[1] in _COMMON_SURNAMES else "", nickname=stripped, post=post)
    if len(stripped) == 3 and stripped[1] == "老" and stripped[0] in _COMMON_SURNAMES:
        return PersonName(surname=stripped[0], nickname=stripped, post=post)  # 魏老黑, 刘老歪: a surname's nickname
    surname = next((s for s in _DOUBLE_SURNAMES if stripped.startswith(s)), stripped[0])
    rest = stripped[len(surname):]
    if re.fullmatch(r"某[^某]", rest):
        return PersonName(surname=surname, mask=f"{surname}*{rest[1]}", post=post)
    if not rest or "某" in rest or "*" in rest or "x" in rest:
        return PersonName(surname=surname, post=post)
    full = normalise_name(stripped)
    if _DESCRIPTION.search(full):
        return PersonName(post=post)  # 村里一把手, 管事的那个人: a description, no name
    # 海军: two characters whose first is no common surname are more likely a given name (黄海军) than a full name;
    # kept as both.
    # 金德主任: with a post, two characters may be a given name too (郑金德), as people of the south call officials.
    called = f"{full}哥" if text == stripped and _given_only(full) or post and len(full) == 2 else ""
    return PersonName(full=full, surname=surname if full else "", post=post, nickname=called)


def _given_only(text: str) -> bool:
    """Two characters that read as a given name rather than a full name: the first is no common surname."""
    return (len(text) == 2 and _HANZI.match(text) is not None and text[0] not in _COMMON_SURNAMES
            and not text.startswith(_DOUBLE_SURNAMES) and not _PLACE_OR_BODY.search(text)
            and not _DESCRIPTION.search(text) and text[0] not in "某一二三四五六七八九十老小大阿")


def _whole_post(text: str) -> str:
    """The longest post word `text` ends with (联合社社长, not 社长 after a body 联合社)."""
    return next(word for word in _POSTS if text.endswith(word))


def nicknames_in(content: str) -> set[str]:
    """Nicknames a report gives for someone (刘国强（外号刘三）, 人称“胡老四”), as parse_name writes them."""
    found = set()
    for raw in _NICKNAME_IN_TEXT.findall(unicodedata.normalize("NFKC", content or "")):
        name = parse_name(raw)
        found.add(name.nickname or raw)
    return found


_VILLAGER = "村民"


def post_tokens(content: str, names: tuple[PersonName, ...] = ()) -> set[str]:
    """The posts a report names, in its text or with a name (副所长钱卫东, 钱所长 → "@所长"): not personal data, kept
    with the content grams so that 钱所长 can be held against a report about 副所长钱卫东 of the same place."""
    text = normalise_text(content)
    posts = {_POST_OF[word] for word in _POST_IN_TEXT.findall(text)}
    # The posts written right beside the people's names (组长韦明高, 韦明高组长) are theirs; where each named person
    # has one so, another post in the text (卖给外地老板) is someone else's. A villager (村民王某林) is marked as such.
    written = [f for name in names if not name.post and (
        f := name.full or name.mask.replace("*", "某") or (name.surname + "某" if name.surname and not name.nickname
                                                           else ""))]
    if written:
        own = [{_POST_OF.get(word, word)
                for pair in re.findall(rf"({_POST}|{_VILLAGER}){re.escape(f)}|{re.escape(f)}({_POST})", text)
                for word in pair if word} - {""} for f in written]
        if all(own):
            posts = set().union(*own)
    posts.update(name.post for name in names)
    return {f"@{post}" for post in posts if post}


@lru_cache(maxsize=65536)
def name_sound(name: str) -> str:
    """The name's pinyin without tones (王晓东 and 王小东 both wangxiaodong)."""
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name))


# Common surnames (a few hundred cover nearly everyone): a surname parsed from a name is taken as one with confidence
# only from this list or _DOUBLE_SURNAMES, so that a post or a description read as a surname (副镇长 → 副, 姓杜的护工
# → 护, 柏树村党支部书记 → 柏) never sets two reports apart. Characters that are also common words (国, 明, 和, 都)
# are left out: missing one only means no contradiction is read.
_COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱丘江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲"
    "翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景宫费卜冷晏席卫米柏宗"
    "瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥班储栗燕楚鄢洪赖"
    "劳谌奚皮粟冼蔺楼盘满闻厉伊仝区郜阚权帅屠朴盖练廉禹井祖漆巴丰卿狄计索宣晋初容敬扈晁芮普阙浦戈伏鹿薄邸雍辜羊乌"
    "裘亓邰赫杭况宿逯隆茹诸慕危亢嵇湛宾戎勾茅揭尉冶檀昝幸奉衡尧闭"
)


# A "full name" that is a place or a body (柏树村党支部书记 → 柏树村): no surname in it.
_PLACE_OR_BODY = re.compile("[村镇乡县区街社组站所局院校厂店司委办]")


def surname_sound(name: PersonName) -> str:
    """The pinyin of the surname (no tone) when the name gives one with confidence: a full name of two to three
    characters, a surname with a post or stand-in (周某, 罗书记, 老李), a nickname by birth order (胡老四); not a
    given-name character with 哥 / 姐 (斌哥: surname or given name, no one knows), a nickname without a surname
    (二毛), a post alone, or a character no common surname (a post or description read as one)."""
    surname = name.surname
    if not (surname in _COMMON_SURNAMES or surname in _DOUBLE_SURNAMES):
        return ""
    if name.nickname and name.nickname.endswith("哥") and not name.full:
        return ""
    if name.full and (not 1 <= len(name.full) - len(surname) <= 2 or _PLACE_OR_BODY.search(name.full)):
        return ""
    return name_sound(surname)


def name_masks(name: PersonName) -> set[str]:
    """The full name with one given-name character masked: two names one substitution apart share one."""
    if name.mask:
        return {name.mask}
    full = name.full
    if len(full) < 3 or not _HANZI.match(full):
        return set()
    start = len(name.surname)
    return {full[:i] + "*" + full[i + 1 :] for i in range(start, len(full))}


# --- organisations -------------------------------------------------------------------------------------------

_LEGAL_FORMS = re.compile(
    r"(?:股份有限公司|有限责任公司|有限公司|集团公司|分公司|公司|服务部|经营部|商行|商店|门市部|工作室|合作社)$"
)
_PREPARING = re.compile(r"(?:筹备组|筹委会|筹备?)$")
_VILLAGE_WORD = re.compile(r"^(.{2,}?)(?:村|社区)(?=.{2,})")
# 社区 is a community; 乡贤, 乡村, 市场 are words, not a township or a city.
_ADMIN_PREFIX = re.compile(r"^(.{2,}?)(?:省|市|(?<!社)区|县|旗|镇|乡|街道)(?![贤村场民政亲土级镇])(?=.{2,})")
# "市殡仪馆", "县救助管理站": the city's or county's own (but 市场监管所 is no city's).
_OWN_PREFIX = re.compile(r"^[市县](?![场民政区委级])(?=.{3,})")
# The body an institution belongs to, written before it: 城东区公安分局七里派出所, 县自然资源局石门自然资源所.
_PARENT_BODY = re.compile(r"^.{2,}?(?:分局|局)(?=.{2,}(?:所|站|队|中心|院|馆)$)")
# A branch of an association: 乡村振兴促进会城西工作站 is the 促进会's; a company's branch (……有限公司石门分公司,
# ……公司城南营业部) is the company's.
_BRANCH = re.compile(r"(?<=会).{2,4}?(?:工作站|分会|办事处|联络处|代表处)$")
_COMPANY_BRANCH = re.compile(r"(?<=公司)[\u4e00-\u9fff]{2,4}?(?:分公司|营业部|门店|分店)$")
# Words between an association's trade and its kind: 餐饮行业协会 = 餐饮业协会 = 餐饮协会, 乡贤联谊会 = 乡贤会.
_ASSOCIATION_FILLER = re.compile(r"(?:行业|产业|联谊|发展|服务|业)(?=(?:协会|商会|促进会|联合会|会)$)")
# Government bodies and institutions people call by another name (an abbreviation, an older name), written as
# one: 治超站 = 超限检测站 = 超限超载检测站; 国土所 = 自然资源所; 交通局 = 交通运输局.
_BODY_SYNONYMS = {
    "超限检测站": ("超限超载检测站", "超限超载治理检测站", "治超检测站", "治超站", "超限站", "超限检测站"),
    "自然资源所": ("国土资源管理所", "国土资源所", "国土所", "自然资源所"),
    "自然资源局": ("国土资源局", "国土局", "自然资源和规划局", "自然资源局"),
    "交通运输局": ("交通局", "交通运输局"),
    "市场监管所": ("市场监督管理所", "市监所", "工商所", "市场监管所"),
    "市场监管局": ("市场监督管理局", "市监局", "工商局", "市场监管局"),
    "生态环境局": ("环保局", "环境保护局", "生态环境局"),
    "农业农村局": ("农业局", "农业农村局"),
    "城市管理局": ("城管局", "城管执法局", "城市管理执法局", "城市管理局"),
    "人社局": ("人力资源和社会保障局", "人力资源社会保障局", "人社局"),
    "救助管理站": ("救助站", "救助管理站"),
    "社会福利院": ("福利院", "社会福利院"),
    "卫生健康局": ("卫健局", "卫生局", "卫生健康局"),
    "电动自行车": ("电动车", "电瓶车", "电动自行车"),
    "残疾人联合会": ("残联", "残疾人联合会"),
    "卫生院": ("中心卫生院", "卫生院"),
    "客运": ("汽车客运", "客运"),
    # 县医院 is what people call the county's 人民医院.
    "医院": ("人民医院",),
}
# A hospital's department names the hospital (县人民医院骨科: the hospital's, as another report writes it).
_DEPARTMENT = re.compile(r"(?<=医院)[\u4e00-\u9fff]{1,4}(?:科|病区)$")
# What a registered name adds after the trade and people leave out: 鑫盛物业服务 = 鑫盛物业, 安居物业管理 = 安居物业,
# 恒通信息咨询 = 恒通商务咨询 = 恒通咨询, 河道管理所 = 河道所, 水产批发市场 = 水产市场.
_NAME_FILLER = re.compile(r"(?<=.{4})(?:服务|管理|中心)$|(?:商务|信息)(?=(?:信息)?咨询)|(?<=.{2})管理(?=[所站处]$)|"
                          r"(?<=.{2})批发(?=市场$)")
# An association named by the first word of its trade and its kind (水产流通协会 as 水产协会, 个体劳动者协会 as 个体协会).
_ASSOCIATION_TRADE = re.compile(r"([\u4e00-\u9fff]{2})[\u4e00-\u9fff]{2,4}?(协会|商会)")
_SYNONYM_OF = {word: canonical for canonical, words in _BODY_SYNONYMS.items() for word in words}
_SYNONYM = re.compile("|".join(sorted(_SYNONYM_OF, key=len, reverse=True)))
# Trade words: what an organisation does rather than which one it is (安康殡葬服务 and 安康殡葬 are one).
_TRADES = sorted(
    ["殡葬服务", "殡仪服务", "殡葬", "殡仪", "丧葬", "陵园", "公墓", "墓园", "养老服务", "养老", "老年人", "老年", "服务",
     "管理", "物业", "家政", "运输", "客运", "物流", "建材", "砂石", "石材", "石料", "建筑", "建设", "工程", "劳务",
     "科技", "信息", "商贸", "贸易", "实业", "投资", "咨询", "置业", "房地产", "地产", "开发", "农业", "水利", "机械", "加工",
     "文化", "传媒", "餐饮", "托管", "培训", "教育", "协会", "商会", "理事会", "促进会", "联合会", "中心", "养老院",
     # Kinds of business people name a firm by (金皇朝KTV = 金皇朝娱乐会所, 鑫泰搅拌站 = 鑫泰商品混凝土有限公司,
     # 顺风驾校 = 顺风驾驶培训学校, 汇通咨询 = 汇通商务咨询) and markets, which are named after their place.
     "商务", "娱乐会所", "娱乐", "会所", "ktv", "歌厅", "酒吧", "驾驶培训学校", "驾驶员培训学校", "驾驶培训", "驾校",
     "商品混凝土", "混凝土", "商砼", "搅拌站", "汽车客运", "汽车", "车行", "医疗器械", "器械", "农贸市场", "菜市场", "市场",
     "水电安装", "安装", "水电", "装饰", "装修", "维修", "租赁", "页岩砖", "页岩", "砖厂",
     # Lenders by what they are called (富众金融 = 富众信息咨询), and foot and bath houses (金足缘足浴店 = 金足缘足浴).
     "金融", "小额贷款", "贷款", "借贷", "足浴店", "足浴", "足疗", "洗浴", "洗脚城", "按摩",
     # Houses people gamble, drink or stay in, named by their kind as often as not (聚友茶楼 = 聚友茶园).
     "茶楼", "茶园", "茶馆", "茶室", "茶社", "棋牌室", "棋牌", "麻将馆", "网吧", "养生馆", "歌舞厅", "夜总会", "酒店", "宾馆",
     "饭店",
     # What a place makes or deals in, left out as often as the kind (云雾茶厂 = 云雾茶业, 顺通沙场 = 顺通砂石, 永福屠宰场 =
     # 永福生猪屠宰, 宏基公司 = 宏基拆迁服务).
     "茶业", "茶叶", "茶", "沙", "砂", "拆迁", "屠宰", "生猪", "养殖", "水产", "食品",
     "院", "班", "厂", "场"],
    key=len,
    reverse=True,
)
_TRADE_SUFFIX = re.compile(rf"(?:{'|'.join(_TRADES)})$")
# A core that is only a kind of institution (派出所, 检测站) names no particular one.
_INSTITUTION = re.compile(r"[所站局院馆队办]$")
# A name that says only what kind of local body it is (see organisation_key_sets).
_LOCAL_KIND = re.compile(
    r"(?:中心|镇|乡)?(?:[\u4e00-\u9fff]{1,3}[所站院队办]|[\u4e00-\u9fff]{1,4}局|第?[一二三四五六七八九十]{0,3}[小中]学|完小|学校|幼儿园|医院|卫生院)"
)


def _peel(text: str) -> tuple[str, str]:
    """(the name without legal form, administrative prefixes and parent body; the last prefix's name without its
    level word, "" if none)."""
    text = _COMPANY_BRANCH.sub("", _PREPARING.sub("", text))
    last = ""
    for _ in range(3):
        text = _LEGAL_FORMS.sub("", text)
        found = _ADMIN_PREFIX.match(text)
        if found is None:
            break
        last, text = found[1], text[found.end():]
    text = _OWN_PREFIX.sub("", _LEGAL_FORMS.sub("", text))
    return _PARENT_BODY.sub("", text), last


def organisation_stem(name: str) -> str:
    """The name as written without administrative prefix, legal form and （筹）: 北山县马家沟村砂石有限公司 →
    马家沟村砂石 (how a report's content names it)."""
    return _peel(normalise_organisation(name))[0]


def _core(text: str) -> str:
    core = text
    for _ in range(4):
        shorter = _TRADE_SUFFIX.sub("", core)
        if shorter == core or len(shorter) < 2:
            break
        core = shorter
    return re.sub(r"(?<=.{2})村$", "", core)


def _name_forms(raw: str) -> list[str]:
    """The name as one string and each name given in brackets beside it: 市殡葬服务中心（殡仪馆） gives
    市殡葬服务中心 and 殡仪馆; （筹） is not a name."""
    text = unicodedata.normalize("NFKC", raw or "")
    inside = [part for part in re.findall(r"\(([^()]*)\)", text) if not _PREPARING.fullmatch(normalise_text(part))]
    outside = re.sub(r"\(([^()]*)\)", lambda m: "" if m.group(1) in inside else m.group(), text)
    forms = [normalise_organisation(outside)] + [normalise_organisation(part) for part in inside]
    # 梅岭二中 = 梅岭县第二中学, 三小 = 第三小学.
    forms = [re.sub(r"第?([一二三四五六七八九十]{1,3})(中|小)学?$", r"第\1\2学", form) for form in forms]
    # 县二院 = 县第二人民医院 (as 县医院 = 县人民医院, below).
    forms = [re.sub(r"第?([一二三四五六七八九十])(?:人民)?医?院$", r"第\1医院", form) for form in forms]
    forms = [_DEPARTMENT.sub("", form) for form in forms]
    return [_SYNONYM.sub(lambda m: _SYNONYM_OF[m.group()], form) for form in forms if len(form) >= 2]


def organisation_keys(name: str) -> tuple[str, str]:
    """(name, core): the name without administrative prefix (城东区, 南湖县白石乡), legal form (有限公司,
    有限责任公司, 公司 …), （筹） and a village's level word; the core also without trade words (殡葬服务, 养老,
    协会 …). "城东区安康殡葬服务有限公司" gives ("安康殡葬服务", "安康"), "安康殡葬公司" gives ("安康殡葬", "安康"),
    "北山县马家沟村砂石有限公司" ("马家沟砂石", "马家沟")."""
    text = _VILLAGE_WORD.sub(r"\1", _peel(normalise_organisation(name))[0])
    core = _core(text)
    return (text if len(text) >= 2 else ""), (core if len(core) >= 2 else "")


def organisation_key_sets(name: str, places: tuple[str, ...] = ()) -> tuple[set[str], set[str]]:
    """Every form of organisation_keys that another report may write for the same organisation: a body's usual
    names as one (治超站 = 超限检测站, 国土所 = 自然资源所), an association's filler words dropped (餐饮行业协会 =
    餐饮协会), its parent body and branch dropped, a name in brackets as another name, and the name with its place
    written bare (城西区餐饮协会 also as 城西餐饮协会, as people write it). The cores also lose a leading name of
    the report's own places (城东鑫盛投资 in 城东: 鑫盛), unless only a kind of institution is left (七里派出所)."""
    names, cores = set(), set()
    for form in _name_forms(name):
        text, last = _peel(form)
        text = _BRANCH.sub("", text)
        text = _VILLAGE_WORD.sub(r"\1", _ASSOCIATION_FILLER.sub("", _ASSOCIATION_FILLER.sub("", text)))
        if len(text) < 2:
            continue
        if _LOCAL_KIND.fullmatch(text):
            # A kind of local body (水管站, 中心小学, 派出所) is a name only with its place: 望江镇水管站 and 大坪乡水管站
            # are two bodies. The place is the one written before it, else the report's own.
            for place in [last] if last else places:
                if len(place) >= 2 and not text.startswith(place):
                    names.add(place + text)
                    cores.add(_core(place + text))
            continue
        plains = {text, _NAME_FILLER.sub("", text)}
        if trade := _ASSOCIATION_TRADE.fullmatch(text):
            plains.add(trade[1] + trade[2])  # 水产流通协会 = 水产协会: an association by its trade's first word
        for plain in plains:
            if plain != text and _LOCAL_KIND.fullmatch(plain):
                # 河道管理所 as 河道所: a kind of local body, a name only with its place (as above)
                names.update(place + plain for place in ([last] if last else places)
                             if len(place) >= 2 and not plain.startswith(place))
                continue
            names.add(plain)
            if last and len(last) >= 2:
                names.add(last + plain)
        cores.add(_core(text))
        for place in places:
            if len(place) >= 2 and text.startswith(place) and len(text) - len(place) >= 2:
                local = _core(text[len(place):])
                if not _INSTITUTION.search(local):
                    cores.add(local)
    # A core that is a place of the report's (城西 of 城西餐饮协会) or a trade alone (餐饮) names no organisation.
    cores = {core for core in cores if len(core) >= 2 and core not in places and not _TRADE_SUFFIX.fullmatch(core)}
    # A core of three characters or more also by its sound: a name taken down by ear (金足源 / 金足缘, 鑫隆 written
    # 新隆 is two characters and too common a sound to count).
    return names, cores | {SOUND_MARK + name_sound(core) for core in cores if len(core) >= 3 and _HANZI.match(core)}


SOUND_MARK = "♪"


# --- content weights ------------------------------------------------------------------------------------------


class _Weights(dict):
    """gram → weight, each computed once (the stats it reads do not change while it is in use)."""

    def __init__(self, stats: ContentStats):
        super().__init__()
        self.stats = stats

    def __missing__(self, gram: str) -> float:
        if gram in _MARKERS or gram[0] == PROBLEM_TOKEN or gram[0] == TRADE_TOKEN:
            self[gram] = 0.0  # whether a report names someone, or which kind of problem, is no wording
            return 0.0
        df = self.stats.df.get(gram, 0)
        weight = math.log(1 + (self.stats.documents - df + 0.5) / (df + 0.5))
        if len(gram) == 1:
            weight *= CHARACTER_WEIGHT
        self[gram] = weight
        return weight


class ContentStats:
    """Document frequencies of content grams (characters, bigrams, numbers) over a corpus of clues (at intake: the recent clues the content
    comparison looks at), so that bigrams every second complaint uses weigh little and rare ones much."""

    def __init__(self, documents=()):
        self.documents = 0
        self.df: dict[str, int] = {}
        self._weights = _Weights(self)
        for doc in documents:
            self.add(doc)

    def add(self, shingles_: frozenset[str] | set[str]) -> None:
        self.documents += 1
        df = self.df
        for gram in shingles_:
            df[gram] = df.get(gram, 0) + 1
        self._weights.clear()

    def remove(self, shingles_: frozenset[str] | set[str]) -> None:
        """A document leaves the corpus (the oldest clue of a pool that slides on)."""
        self.documents -= 1
        df = self.df
        for gram in shingles_:
            left = df[gram] - 1
            if left:
                df[gram] = left
            else:
                del df[gram]
        self._weights.clear()

    def weight(self, gram: str) -> float:
        # BM25's inverse document frequency: positive however small the corpus (two clues sharing a bigram in a
        # corpus of two still count it), near 0 for a bigram in every clue.
        return self._weights[gram]

    def total(self, grams) -> float:
        return sum(map(self._weights.__getitem__, grams))

    def getter(self) -> Callable[[str], float]:
        """gram → weight as a plain lookup, for loops over thousands of clues (see repeats.find_and_link)."""
        return self._weights.__getitem__


def content_similarity(
    a: MatchKeys | frozenset[str], b: MatchKeys | frozenset[str], stats: ContentStats | None = None
) -> float:
    """0..1: the weighted share of the shorter text's grams (characters, bigrams, numbers) found in the other,
    smoothed for short texts.

    Containment, not Jaccard, because the commonest repeat is a short hotline summary of a long letter, which
    Jaccard scores near 0. Each gram weighs its inverse document frequency over the corpus (`stats`; all 1 without
    one), so the stock wording of complaints counts for little and a rare word (越野车, 门面房) for much:
    Σw(A ∩ B) / Σw(shorter) · n / (n + SMOOTHING), n the shorter text's gram count. Texts with fewer than
    MIN_SHINGLES informative grams, or sharing fewer than MIN_COMMON, score 0. Near-identical texts score their
    weighted Jaccard index when it is higher, so that the same text is 1.0.
    """
    sa = a.shingles if isinstance(a, MatchKeys) else a
    sb = b.shingles if isinstance(b, MatchKeys) else b
    if len(sa) < MIN_SHINGLES or len(sb) < MIN_SHINGLES:
        return 0.0
    common = sa & sb
    if len(common) < MIN_COMMON:
        return 0.0
    if stats is None:
        wa, wb, wc = len(sa), len(sb), len(common)
    else:
        wc, wa, wb = stats.total(common), stats.total(sa), stats.total(sb)
    return weighted_similarity(wc, wa, len(sa), wb, len(sb))


def weighted_similarity(wc: float, wa: float, na: int, wb: float, nb: float) -> float:
    """content_similarity from the weights already summed (Σw of the common bigrams, of each text) and the texts'
    bigram counts: intake sums each pooled clue's weight once, not at every comparison."""
    if wc <= 0:
        return 0.0
    small, n = (wa, na) if wa <= wb else (wb, nb)
    return min(1.0, max(wc / small * n / (n + SMOOTHING), wc / (wa + wb - wc)))


# --- keys and comparison --------------------------------------------------------------------------------------


def match_keys(facts: ClueFacts) -> MatchKeys:
    chain = place_chain(facts.region)
    mentioned = places_in_text(facts.content, chain + _places_of_bodies(facts.organisations, chain))
    mentioned = _places_of_bodies(facts.organisations, chain) + mentioned
    places = with_places(chain, frozenset(_place_tokens(mentioned)))
    # A township or village named in the text is read by its last two characters (长湖嘴村 as 湖嘴: where its name
    # begins is not known), so names are keyed there by those too, for a report that gives it only in its text.
    ends = [stem[-2:] for kind, stem in places
            if _kind(kind) in ("town", "village") and MENTIONED not in kind and len(stem) >= 3]
    stems = [stem for kind, stem in places if kind != "city"]
    stems += [end for end in ends if end not in stems]
    cities = [stem for kind, stem in places if kind == "city"]
    # Near names (a sound, one character, a surname, a nickname) are keyed at the township and the village, so that
    # a report giving only the township (黄泥镇杨老板) meets one giving the village too (黄泥镇杨家湾村杨金贵).
    near = [stem for kind, stem in places if _kind(kind) in ("town", "village")] or stems[-1:]
    near += [end for end in ends if end not in near]
    # Near names are keyed at the county too (a report giving only the county meets one giving the township), where
    # compare asks the content to agree as well; a surname there only with a post (黄@站长: 黄副站长, 副站长黄卫东).
    counties = [stem for kind, stem in places if _kind(kind) == "county"]
    wide = near + [stem for stem in counties if stem not in near]
    ids, name_regions, id_name_regions = set(), set(), set()
    sounds, masks, surnames, withheld, nicknames, surname_only = set(), set(), set(), set(), set(), set()
    forms, surname_sounds, forms_anywhere = set(), set(), set()
    persons = [(person, parse_name(person.name)) for person in facts.persons]
    persons += [(Person(other), parse_name(other)) for person in facts.persons
                for other in other_names(person.name, facts.content)]
    names = [name for _, name in persons]
    # Posts as the text names them, its places' names taken out first (长埗镇长埗村 names no 镇长).
    post_text = _without_places(facts.content, places)
    posts = {token[1:] for token in post_tokens(post_text, tuple(names))}
    anywhere = set()
    for person, name in persons:
        number = _valid_id_number(person.id_number) if person.id_number else ""
        if number:
            ids.add(number)
        if sound_of_surname := surname_sound(name):
            surname_sounds.add(sound_of_surname)
        anywhere.update(_person_anywhere(name, posts))
        forms_anywhere.update(nick_forms(name))
        if not stems:
            continue
        if name.full:
            for stem in stems:
                name_regions.add(f"{name.full}|{stem}")
                if number:
                    id_name_regions.add(f"{name.full}|{stem}")
        sound = name_sound(name.full) if near and name.full and _HANZI.match(name.full) else ""
        one_apart = name_masks(name) if near else ()
        called = nick_forms(name)
        for stem in wide:
            if sound:
                sounds.add(f"{sound}|{stem}")
            masks.update(f"{m}|{stem}" for m in one_apart)
            if name.mask:
                withheld.add(f"{name.mask}|{stem}")
            if name.nickname:
                nicknames.add(f"{name.nickname}|{stem}")
            forms.update(f"{form}|{stem}" for form in called)
        for stem in near:
            if name.surname:
                surnames.add(f"{name.surname}|{stem}")
                if not name.full:
                    surname_only.add(f"{name.surname}|{stem}")
        for stem in counties:
            if name.surname:
                for post in {name.post} if name.post else posts:
                    surnames.add(f"{name.surname}@{post}|{stem}")
                    if not name.full:
                        surname_only.add(f"{name.surname}@{post}|{stem}")
    for nickname in nicknames_in(facts.content) if near else ():
        nicknames.update(f"{nickname}|{stem}" for stem in wide)
    anywhere.update(nicknames_in(facts.content))
    content = unicodedata.normalize("NFKC", facts.content or "").lower()
    for found in _ID_IN_TEXT.findall(content):
        number = _valid_id_number(found)
        if number:
            ids.add(number)
    codes, org_names, org_cores = set(), set(), set()
    subjects = [name.full for name in names if name.full]
    for org in facts.organisations:
        if is_generic_organisation(org.name):
            # A body that stands for a place (村委会, 镇政府, 民政办) is compared as the place: its name is not the
            # content's either.
            own = {stem for kind, stem in place_chain(normalise_organisation(org.name)) if GUESSED not in kind}
            if own and own <= {stem for _, stem in places}:
                subjects += [org.name, organisation_stem(org.name)]
            continue
        code = _valid_credit_code(org.credit_code) if org.credit_code else ""
        if code:
            codes.add(code)
        # A report filed at the city names the city's own bodies (市中医院): the city is their place.
        org_keys, cores = organisation_key_sets(org.name, tuple(stems or cities))
        org_names |= org_keys
        org_cores |= cores
        subjects += [org.name, organisation_stem(org.name), *organisation_keys(org.name), *org_keys, *(core for core in cores if not core.startswith(SOUND_MARK))]
    # The places the content names (鹿鸣村 where the region stops at the county, a township's former name) as the
    # region's own: compared as places (place_level), not again as wording.
    subjects += [stem for _, stem in places if len(stem) >= 2]
    grams = shingles(facts.content, facts.region, tuple(subjects))
    return MatchKeys(
        id_numbers=frozenset(ids),
        credit_codes=frozenset(codes),
        name_regions=frozenset(name_regions),
        name_sounds=frozenset(sounds),
        name_masks=frozenset(masks),
        surnames=frozenset(surnames),
        org_names=frozenset(org_names),
        org_cores=frozenset(org_cores),
        shingles=(grams | post_tokens(post_text, tuple(names)) | _place_tokens(mentioned)
                  | problem_kinds(facts.content)
                  | {TRADE_TOKEN + kind[1:] for org in facts.organisations for kind in problem_kinds(org.name)}
                  | ({NAMED_TOKEN} if any(name.full or name.mask for name in names) else set())
                  | ({WITHHELD_TOKEN} if any(name.mask and not name.full for name in names) else set())
                  | ({POSTED_TOKEN} if any(name.post and not (name.full or name.surname or name.mask or name.nickname)
                                           for name in names) else set())
                  # (and where a full name may be a given name: 满仓书记, 海军; see forms_markers)
                  | ({SURNAMED_TOKEN} if any((name.surname or name.nickname) and not (name.full or name.mask)
                                             or name.full and name.nickname for name in names) else set())),
        id_name_regions=frozenset(id_name_regions),
        name_withheld=frozenset(withheld),
        nicknames=frozenset(nicknames),
        surname_only=frozenset(surname_only),
        nick_forms=frozenset(forms),
        surname_sounds=frozenset(surname_sounds),
        names_anywhere=frozenset(anywhere),
        called_anywhere=frozenset(token for token in anywhere if "@" not in token),
        unplaced=frozenset(anywhere) if is_unplaced(places) else frozenset(),
        forms_anywhere=frozenset(forms_anywhere),
        places=places,
    )


def _without_places(content: str, places: tuple[tuple[str, str], ...]) -> str:
    """The content with the names of its places and their level words taken out."""
    stems = sorted({stem for _, stem in places if len(stem) >= 2}, key=len, reverse=True)
    if not stems:
        return content
    pattern = "|".join(re.escape(stem) for stem in stems)
    return re.sub(rf"(?:{pattern})(?:街道|社区|嘎查|苏木|[镇乡村县区市])", "，", content)


def _person_anywhere(name: PersonName, posts: set[str]) -> set[str]:
    """A person as names_anywhere keeps them: the full name by its sound (王晓东 = 王小东), a nickname, a surname with
    its post (王书记, 村支书王某). Not a name one character apart (王*明): anywhere in a city that is a thousand
    people, and over every labelled set (3,950 reports) it found no repeat the other forms miss."""
    keys = set()
    if name.full:
        keys.add(name_sound(name.full) if _HANZI.match(name.full) else name.full)
    if name.nickname:
        keys.add(name.nickname)
    if name.surname:
        keys.update(f"{name.surname}@{post}" for post in ({name.post} if name.post else posts))
    return keys


def is_unplaced(places: tuple[tuple[str, str], ...]) -> bool:
    """The report gives no place below the city, in its region or its text (a note: 王书记贪污低保，请查)."""
    return not any(_kind(kind) != "city" for kind, _ in places)


def _places_of_bodies(organisations: tuple[Organisation, ...],
                      chain: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The township or village a body that stands for its place names (幸福社区居委会, 青石镇人民政府) where the
    region stops above it, as places the report names (MENTIONED): one each, else none."""
    have = {_kind(kind) for kind, _ in chain}
    found: dict[str, set[str]] = {"town": set(), "village": set()}
    for org in organisations:
        if is_generic_organisation(org.name):
            for kind, stem in place_chain(normalise_organisation(org.name)):
                if kind in found:
                    found[kind].add(stem)
    deepest = max((_ORDER[kind] for kind in have), default=-1)
    return tuple((kind + MENTIONED, stems.pop()) for kind, stems in found.items()
                 if len(stems) == 1 and _ORDER[kind] > deepest)


def _place_tokens(mentioned: tuple[tuple[str, str], ...]) -> frozenset[str]:
    return frozenset(f"{PLACE_TOKEN}{kind.rstrip(MENTIONED)}:{stem}" for kind, stem in mentioned)


def content_threshold(level: str) -> float:
    """How similar the wording of two reports at this place level (place_level) must be to make a candidate alone."""
    return _CONTENT_THRESHOLDS.get(level, CONTENT_THRESHOLD)


_CONTENT_THRESHOLDS = {"village": SAME_PLACE_THRESHOLD, "town": SAME_PLACE_THRESHOLD, "conflict": math.inf}


def _villages_differ(a: tuple[tuple[str, str], ...], b: tuple[tuple[str, str], ...], level: str = "village") -> bool:
    """Both chains name a village or community (in the region or the text), and not the same one (or, with
    `level` "town", a township: 排羊乡 in the region, 大塘镇 in the other's text). A name written
    without its level word is at the level the other chain gives it (沙港 alone and 沙港镇三岔村: no second village),
    and two names that sound alike are one village written two ways (三岔 / 三汊)."""
    va = _names(a, _typed(a, b)).get(level, set())
    vb = _names(b, _typed(b, a)).get(level, set())
    if not (va and vb) or _agree(va, vb, True):
        return False
    return {_sound(v) for v in va}.isdisjoint(_sound(v) for v in vb)


@lru_cache(maxsize=8192)
def _sound(place: str) -> str:
    """A place's name by its sound, and without the 家 people leave out (陈家坡 is called 陈坡, 王家庄 王庄)."""
    if len(place) == 3 and place[1] == "家":
        place = place[0] + place[2]
    return name_sound(place) if _HANZI.match(place) else place


def _bare_elsewhere(a: tuple[tuple[str, str], ...], b: tuple[tuple[str, str], ...]) -> bool:
    """One region is a place written bare (南门, 沙尾: no level word) and the other gives a township whose name, and
    its village's, have nothing in common with it: another place (a bare name that is that township or village
    written short, 铁炉 / 原铁炉乡, 沙尾渔港 / 沙尾街道, agrees)."""
    def bare(chain):
        return {stem for kind, stem in chain if GUESSED in kind and MENTIONED not in kind}

    def local(chain):
        return {stem for kind, stem in chain if _kind(kind) in ("town", "village") and GUESSED not in kind}

    for one, other in ((a, b), (b, a)):
        names, there = bare(one), local(other)
        if names and there and not local(one) and not any(
                x in y or y in x or x[:2] == y[:2] or x[-2:] == y[-2:] for x in names for y in there):
            return True
    return False


def place_named_in_text(places_a: tuple[tuple[str, str], ...], grams_a: frozenset[str],
                        places_b: tuple[tuple[str, str], ...], grams_b: frozenset[str]) -> str:
    """The level ("village", "town") of a place one report gives (in its region or text) whose name the other's
    text holds where their places say nothing in common (place_level ""): a report giving no place, or a landmark,
    that names the village bare (孟湖的, 东湖那一片 塌陷水面 ... 孟湖; 黄湾渡口). Read from the other's grams, so it
    asks every character pair of the name (沈家湾: 沈家 and 家湾). Over the 40 labelled sets before this stop it
    found 29 repeats and 4 hard negatives more, and held 25 more matters as one."""
    found = ""
    for places, grams in ((places_a, grams_b), (places_b, grams_a)):
        for kind, stem in places:
            level = _kind(kind)
            if (level in ("town", "village") and ALIAS not in kind and len(stem) >= 2
                    and all(stem[i:i + 2] in grams for i in range(len(stem) - 1))
                    and (not found or _ORDER[level] > _ORDER[found])):
                found = level
    return found


def _where(level: str, named: str) -> str:
    """The place two reports share, as a reason says it: 同村（社区）, or so by a place one names in its text."""
    return f"{LEVEL_WORDS[level]}（据内容所写地名）" if named else LEVEL_WORDS[level]


def _local_conflict(a: tuple[tuple[str, str], ...], b: tuple[tuple[str, str], ...]) -> bool:
    """The two chains name two different townships or villages (not only two districts)."""
    def local(chain):
        return tuple(entry for entry in chain if _kind(entry[0]) in ("town", "village"))

    return place_level(local(a), local(b)) == "conflict"


def below_threshold(keys: MatchKeys) -> tuple[tuple[frozenset[str], float, frozenset[str], str], ...]:
    """For a search by wording (intake): the grams through which `compare` may make an earlier report sharing no
    fact a candidate below what their common place asks of the wording alone, each with the least similarity it
    asks, the grams an earlier report must not hold for it and the place level where it holds: a village's post
    both name (SUPPORT_THRESHOLD, in one village; not both naming someone in full) and a kind of problem, one of
    the two naming no one (POST_SUPPORT_THRESHOLD in one village, SUPPORT_THRESHOLD in one township). compare
    judges."""
    posts = frozenset(gram for gram in keys.shingles if gram[:1] == "@" and gram[1:] in _VILLAGE_POSTS)
    kinds = frozenset(gram for gram in keys.shingles if gram[:1] == PROBLEM_TOKEN) - _CIVIL_KINDS
    barred = frozenset() if _names_no_one(keys) else _SUBJECT_MARKERS
    entries = ((posts, SUPPORT_THRESHOLD, frozenset({NAMED_TOKEN} & keys.shingles), "village"),
               (kinds, POST_SUPPORT_THRESHOLD, barred, "village"),
               (kinds, SUPPORT_THRESHOLD, barred, "town"))
    return tuple(entry for entry in entries if entry[0])


def _surname_alone(keys: MatchKeys) -> bool:
    """Someone is given by a surname alone (李老大, 姓陈的): keyed at a place (surname_only), or marked so by a
    report giving no place (¦, and no one named in full)."""
    return bool(keys.surname_only) or (SURNAMED_TOKEN in keys.shingles and NAMED_TOKEN not in keys.shingles)


def surname_wide_markers(keys: MatchKeys) -> frozenset[str]:
    """For a search by wording (intake): the marker grams an earlier report must hold for compare's surname rule
    where only the county is common or no place compares (SURNAME_WIDE_THRESHOLD): with a surname given alone here,
    one naming someone there in full or by surname; with a surname given in full here, one given by surname there."""
    if _surname_alone(keys):
        return frozenset({NAMED_TOKEN, SURNAMED_TOKEN})
    return frozenset({SURNAMED_TOKEN, WITHHELD_TOKEN}) if keys.surname_sounds else frozenset()


def forms_markers(keys: MatchKeys) -> frozenset[str]:
    """For a search by wording (intake): the marker grams an earlier report must hold for compare to meet a nickname
    given here with what a full name there is called, or the other way (forms_anywhere), where one of the two gives
    no place: with someone given by a nickname or surname alone here, one naming someone in full there; with someone
    named in full here, one giving someone by a nickname or surname alone there."""
    markers = set()
    if keys.names_anywhere and SURNAMED_TOKEN in keys.shingles:
        markers.add(NAMED_TOKEN)
    if keys.forms_anywhere:
        markers.add(SURNAMED_TOKEN)
    return frozenset(markers)


def anywhere_markers(keys: MatchKeys) -> frozenset[str]:
    """For a search by wording (intake): the marker grams an earlier report must hold for compare to meet someone
    given alike where the two reports' places do not compare (name_anywhere at no common level): one naming someone
    in full, or by a nickname or surname alone."""
    return frozenset({NAMED_TOKEN, SURNAMED_TOKEN}) if keys.names_anywhere or keys.forms_anywhere else frozenset()


def _names_no_one(keys: MatchKeys) -> bool:
    """The report gives no person, by name, surname, nickname or post (a hotline summary: 有人, 村干部)."""
    return keys.shingles.isdisjoint(_SUBJECT_MARKERS)


_CADRE = "@干部"


def _posts_apart(new: MatchKeys, old: MatchKeys) -> bool:
    """One report gives someone by a post alone, the other names someone or a post alone too, and no post either
    names (with a person or in the text) is the other's."""
    a, b = new.shingles, old.shingles
    if not (POSTED_TOKEN in a or POSTED_TOKEN in b):
        return False
    if not ((NAMED_TOKEN in a or POSTED_TOKEN in a) and (NAMED_TOKEN in b or POSTED_TOKEN in b)):
        return False
    # 村干部 is any of a village's posts (its 书记 too), not one that sets two people apart
    return not any(gram.startswith("@") for gram in a & b) and _CADRE not in a | b


def surnames_contradict(new: MatchKeys, old: MatchKeys) -> bool:
    """Both reports name someone by a surname given with confidence (a full name, 周某, 罗书记; `surname_sound`), and
    no surname of one sounds like one of the other's (肖 / 萧 agree): about other people, wherever each places them."""
    return bool(new.surname_sounds and old.surname_sounds) and new.surname_sounds.isdisjoint(old.surname_sounds)


# Posts held in a township's or county's office or an institution (所长, 校长, 民警), and posts of a village only
# (文书, 会计, 组长; 书记 and 主任 are posts of offices too, 医生 of a clinic): a report about one of each is about two
# people of two bodies.
_BODY_POSTS = frozenset({"镇长", "局长", "所长", "站长", "院长", "园长", "校长", "民警", "法官", "股长", "科长", "场长"})
_ONLY_VILLAGE_POSTS = _VILLAGE_POSTS - {"书记", "主任", "医生", "委员"}


def posts_contradict(new: MatchKeys, old: MatchKeys) -> bool:
    """One report names only posts of a village (村文书, 组长), the other only posts of an office or institution
    (国土所所长, 校长): two people of two bodies, whatever the stock wording (索要好处费) shares."""
    def kinds(keys: MatchKeys) -> set[str]:
        posts = {gram[1:] for gram in keys.shingles if gram.startswith("@")} - {"干部", ""}
        return {"village" if p in _ONLY_VILLAGE_POSTS else "body" if p in _BODY_POSTS else "other" for p in posts}

    return {frozenset(kinds(new)), frozenset(kinds(old))} == {frozenset({"village"}), frozenset({"body"})}


def _villager_against_post(new: MatchKeys, old: MatchKeys) -> bool:
    """One report's person is a villager (村民王某林) and the other's holds a post (村委会主任王某): two people."""
    def posts(keys: MatchKeys) -> set[str]:
        return {gram[1:] for gram in keys.shingles if gram.startswith("@")} - {"干部"}

    a, b = posts(new), posts(old)
    return bool(a and b) and (a == {_VILLAGER}) != (b == {_VILLAGER}) and (a | b) - {_VILLAGER} <= (
        _VILLAGE_POSTS | _BODY_POSTS)


# What a firm's workers, customers, landlords and neighbours complain of (wages, fire safety, debts): the civil
# matters of an organisation, which a complaint about its conduct in the campaign's sense is not.
_CIVIL_KINDS = frozenset({f"{PROBLEM_TOKEN}劳资", f"{PROBLEM_TOKEN}消防", f"{PROBLEM_TOKEN}欠款"})


def _civil_against_campaign(new: MatchKeys, old: MatchKeys) -> bool:
    """One report is only of civil kinds (unpaid wages, a blocked fire exit) and the other of the campaign's kinds
    only (a monopoly, sand mining): two matters of one organisation, however its name and place agree."""
    kinds_new = {gram for gram in new.shingles if gram[0] == PROBLEM_TOKEN}
    kinds_old = {gram for gram in old.shingles if gram[0] == PROBLEM_TOKEN}
    if not (kinds_new and kinds_old):
        return False
    return (kinds_new <= _CIVIL_KINDS and kinds_old.isdisjoint(_CIVIL_KINDS)
            or kinds_old <= _CIVIL_KINDS and kinds_new.isdisjoint(_CIVIL_KINDS))


def _civil_against_unsaid(new: MatchKeys, old: MatchKeys) -> bool:
    """One report is only of civil kinds (unpaid wages) and the other names no kind of problem at all: for an
    organisation's name or code, as likely two of its matters as one (its workers, its neighbours). Over the 40
    labelled sets before this stop, asking its name what two people's wording would left 8 fewer hard negatives
    with a candidate and lost 1 repeat; not for the wording alone, where it lost 20 repeats (a wage claim told
    without the word)."""
    kinds_new = {gram for gram in new.shingles if gram[0] == PROBLEM_TOKEN}
    kinds_old = {gram for gram in old.shingles if gram[0] == PROBLEM_TOKEN}
    return (bool(kinds_new) and kinds_new <= _CIVIL_KINDS and not kinds_old
            or bool(kinds_old) and kinds_old <= _CIVIL_KINDS and not kinds_new)


def ids_contradict(new: MatchKeys, old: MatchKeys) -> bool:
    """Both reports name people by identity number, and not one of them alike: about other people."""
    return bool(new.id_numbers and old.id_numbers) and new.id_numbers.isdisjoint(old.id_numbers)


def compare(new: MatchKeys, old: MatchKeys, stats: ContentStats | None = None) -> list[Reason]:
    """Why `old` may be the same matter as `new`, strongest first; empty when it is not a candidate.

    Strong facts make a candidate alone: the same identity number (linked at once), the same full name in the same
    village or township, the same nickname there (刘三; 刘国强（外号刘三）), the same sounding name there, a name
    with a withheld character (郑某彪) that fits a full name of the same village (郑大彪). A surname with the same
    post as the other report names (钱所长; 副所长钱卫东) at the same place needs the content to agree a little
    (POST_SUPPORT_THRESHOLD). Weaker ones need more (SUPPORT_THRESHOLD): a name one character apart, a surname
    alone (老李), an organisation's name or core. The same credit code links at once only for the same text again
    (DUPLICATE_TEXT_THRESHOLD); with the content agreeing (CONTENT_THRESHOLD) or in part (ORG_SUPPORT_THRESHOLD) it
    is a candidate; reports of one institution about other matters (below that) are not one matter.

    Where only the county is common (one report gives no township), a near name, a nickname (斌哥 for 何文斌, 二毛)
    or a surname with its post needs SUPPORT_THRESHOLD; a surname given alone (李老大, 姓陈的) against a surname of the
    same sound, there or where no place compares (one report gives none), SURNAME_WIDE_THRESHOLD. A surname with its post in two different villages of one
    township (one perhaps named only in the text) is two people, and the same complaint there is no candidate on
    its wording alone, nor is it from a place written bare (南门) that is not the other report's township. An
    organisation's name from two different townships needs CONTENT_THRESHOLD and its core
    counts not at all; about two differently named people, OTHER_SUBJECT_THRESHOLD. A report too short for the
    wording to say anything (fewer than MIN_SHINGLES grams: 东湖星光KTV涉毒) meets the same organisation's name at a
    place both give without it. Wording alone never makes a candidate between reports naming people of surnames
    that sound different (surnames_contradict).
    """
    reasons = []
    similarity = content_similarity(new, old, stats)
    supported = similarity >= SUPPORT_THRESHOLD
    # A firm's unpaid wages against its hold on a trade: one organisation's two matters. Its name or code then asks
    # what two people's wording would (OTHER_SUBJECT_THRESHOLD), and the code no partial agreement. Over the five
    # sets written this stop (nobody had read them) 5 of 36 hard negatives went, and no repeat.
    other_kind = _civil_against_campaign(new, old)
    if not new.id_numbers.isdisjoint(old.id_numbers):
        reasons.append(Reason("id_number", "同一身份证号", 1.0, True))
    if not new.credit_codes.isdisjoint(old.credit_codes):
        if similarity >= DUPLICATE_TEXT_THRESHOLD:
            reasons.append(Reason("credit_code", "同一统一社会信用代码且内容几乎相同", 1.0, True))
        elif similarity >= CONTENT_THRESHOLD:
            reasons.append(Reason("credit_code", "同一统一社会信用代码且内容相符，请确认是否同一事项",
                                  CODE_CONTENT_SCORE, False))
        elif similarity >= ORG_SUPPORT_THRESHOLD and not other_kind:
            reasons.append(Reason("credit_code", "同一统一社会信用代码，内容部分相符，请确认是否同一事项",
                                  CODE_ONLY_SCORE, False))
    # A name both clues give with an identity number is settled by the numbers, not the name.
    names = (new.name_regions & old.name_regions) - (new.id_name_regions & old.id_name_regions)
    near = (
        not new.name_sounds.isdisjoint(old.name_sounds),
        not new.name_masks.isdisjoint(old.name_masks),
        bool(new.surname_only or old.surname_only) and not new.surnames.isdisjoint(old.surnames),
    )
    nickname = not (new.nicknames.isdisjoint(old.nicknames) and new.nicknames.isdisjoint(old.name_regions)
                    and old.nicknames.isdisjoint(new.name_regions) and new.nicknames.isdisjoint(old.nick_forms)
                    and old.nicknames.isdisjoint(new.nick_forms))
    withheld = not (new.name_withheld.isdisjoint(old.name_masks) and old.name_withheld.isdisjoint(new.name_masks))
    # Both name people by identity number: the numbers say whether it is one person, not a near name.
    numbered = bool(new.id_numbers and old.id_numbers)
    placed = place_level(new.places, old.places)
    # One report gives no place at a level, or one that does not compare, and its text names the other's village or
    # township (孟湖的塌陷水面 against 孟湖镇孟湖村): that place (place_named_in_text).
    named = "" if placed else place_named_in_text(new.places, new.shingles, old.places, old.shingles)
    level = placed or named
    # Two villages named, one perhaps only in the text (石板村 / 龙潭村的村主任): a surname with a post there is two
    # people, and the same complaint from two villages of one township is two matters.
    apart = level == "town" and _villages_differ(new.places, old.places)
    # The kinds of problem both name, but civil ones (unpaid wages: too common a complaint to say so; _CIVIL_KINDS).
    kinds = sorted(gram[1:] for gram in new.shingles & old.shingles - _CIVIL_KINDS if gram[0] == PROBLEM_TOKEN)
    if names or nickname or any(near):
        where = _where(level, named) if level in LEVEL_WORDS else ""
        close = level in ("village", "town")
        # Only the county in common: a near name there is one person only with the content agreeing besides.
        county = level == "county" and supported
        posts = sorted(gram[1:] for gram in new.shingles & old.shingles if gram.startswith("@") and gram[1:] != _VILLAGER)
        if names and (close or supported) and where:
            reasons.append(Reason("name_region", f"被反映人同名且{where}", NAME_REGION_SCORE, False))
        elif nickname and (close or county):
            reasons.append(Reason("nickname", f"被反映人绰号相同且{where}", NAME_REGION_SCORE, False))
        elif numbered or not (close or county):
            pass
        elif near[0]:
            reasons.append(Reason("name_sound", f"被反映人姓名同音且{where}", NAME_SOUND_SCORE, False))
        elif withheld and (level == "village" or county or level == "town" and similarity >= POST_SUPPORT_THRESHOLD):
            reasons.append(Reason("name_typo", f"被反映人姓名（隐去一字）相符且{where}", NAME_TYPO_SCORE, False))
        elif near[1] and supported:
            reasons.append(Reason("name_typo", f"被反映人姓名仅差一字且{where}", NAME_TYPO_SCORE, False))
        elif near[2] and set(posts) <= _VILLAGE_POSTS and (apart or _villages_differ(new.places, old.places, "town")):
            # a village's 主任 of another village, or of a village of another township, one perhaps named only in
            # the text (大塘镇大塘村村委会主任潘某); a township's 镇长 or 所长 is the same wherever reported from
            pass
        elif near[2] and _villager_against_post(new, old):
            pass  # 村民王某林 and 村委会主任王某: a villager is not the village's official
        elif near[2] and posts and similarity >= (POST_SUPPORT_THRESHOLD if close else SUPPORT_THRESHOLD):
            reasons.append(Reason("surname", f"被反映人同姓且职务相同（{'、'.join(posts)}），{where}",
                                  SURNAME_SCORE, False))
        elif near[2] and supported and close:
            reasons.append(Reason("surname", f"被反映人同姓（去除职务称谓）且{where}", SURNAME_SCORE, False))
        elif near[2] and close and similarity >= POST_SUPPORT_THRESHOLD and kinds:
            # 何某 and 何芳 of one township, both for 涉黄: a surname and the kind of problem say what the wording
            # (a hotline's line against a letter) cannot. Over the 40 labelled sets before this stop: 16 repeats and
            # 2 hard negatives more.
            reasons.append(Reason("surname", f"被反映人同姓且反映问题类别相同（{'、'.join(kinds)}），{where}",
                                  SURNAME_SCORE, False))
    # One report gives no place below the city (a note, a call that did not say where), or the two give places that
    # do not compare (榕树头 / 江南街道, 老城关 / 德隆市: a landmark, an old name, a county against a township named
    # bare): it may be from wherever the other is, so a person given alike (by name or its sound, a nickname, a
    # surname with its post, or a nickname the other's full name is called by: 熊哥 for 熊志强) is compared as
    # within one county: with the content agreeing besides. Over every labelled set, places that do not compare
    # found 9 repeats (5 of them on sets nobody had read) and no hard negative more.
    unplaced = is_unplaced(new.places) or is_unplaced(old.places)
    # The same full name (by its sound) or nickname where one gives no place asks less (CALLED_ANYWHERE_THRESHOLD).
    called = unplaced and not new.called_anywhere.isdisjoint(old.names_anywhere)
    if (not reasons and (supported or called and similarity >= CALLED_ANYWHERE_THRESHOLD) and not numbered
            and (unplaced or placed == "")
            and not (new.names_anywhere.isdisjoint(old.names_anywhere)
                     and new.names_anywhere.isdisjoint(old.forms_anywhere)
                     and old.names_anywhere.isdisjoint(new.forms_anywhere))):
        where = "（一方未写地点）" if unplaced else "（两地无从比较）"
        reasons.append(Reason("name_anywhere", f"被反映人姓名或称谓相符{where}", NAME_TYPO_SCORE, False))
    if (not reasons and placed in WIDE_LEVELS and similarity >= SURNAME_WIDE_THRESHOLD and not numbered
            and (_surname_alone(new) or _surname_alone(old))
            and not new.surname_sounds.isdisjoint(old.surname_sounds)
            and not (placed == "" and _bare_elsewhere(new.places, old.places))
            and not _villages_differ(new.places, old.places, "town") and not _villager_against_post(new, old)):
        where = "且同区县" if placed == "county" else "（一方未写地点或地点无从比较）"
        reasons.append(Reason("surname", f"被反映人同姓（去除职务称谓）{where}", SURNAME_SCORE, False))
    # A village's post given alone (村会计) where the other report names its holder (会计刘某某) in the same village:
    # a village has one, so it is that person when the wording agrees as for a near name (never two people whose
    # surnames differ). Only where the wording alone falls short: otherwise the content is the reason.
    shared_posts = sorted(gram[1:] for gram in new.shingles & old.shingles
                          if gram.startswith("@") and gram[1:] in _VILLAGE_POSTS)
    if (not reasons and level == "village" and shared_posts and supported and similarity < content_threshold(level)
            and (NAMED_TOKEN not in new.shingles or NAMED_TOKEN not in old.shingles)
            and not surnames_contradict(new, old)):
        reasons.append(Reason("post", f"被反映人职务相同（{'、'.join(shared_posts)}）且同村（社区）",
                              SURNAME_SCORE, False))
    # A report that names no one (来电人反映：鱼塘村有人非法采砂) and one from the same village about the same kind of
    # problem (采砂: 偷采河沙, 抽沙船): a hotline summary of the letter, whose wording shares too little with it to
    # say so. Only where the wording alone falls short; in one township (it has many such matters) with the wording
    # agreeing as for a near name, and not from two villages of it. Over the five sets written this stop (nobody
    # had read them) the township found 7 repeats and 2 hard negatives more.
    if (not reasons and kinds and (level == "village" or level == "town" and not apart and supported)
            and POST_SUPPORT_THRESHOLD <= similarity < content_threshold(level)
            and (_names_no_one(new) or _names_no_one(old))):
        reasons.append(Reason("problem", f"反映问题类别相同（{'、'.join(kinds)}）且{_where(level, named)}，一方未指明被反映人",
                              PROBLEM_SCORE, False))
    # One organisation reported from two different townships or villages (a company's two housing estates, a
    # chain's two shops) is another matter unless the content says it is the same one: its name then asks what
    # content alone would from anywhere, and its core (a word many firms share) nothing. Two districts are no such
    # conflict: the city's own institutions (市殡仪馆) serve them all.
    elsewhere = level == "conflict" and _local_conflict(new.places, old.places)
    # Both name someone, and no one alike: one organisation's two people, two matters unless the wording agrees as
    # much as between two people (OTHER_SUBJECT_THRESHOLD).
    others = (NAMED_TOKEN in new.shingles and NAMED_TOKEN in old.shingles
              and not (names or nickname or withheld or any(near)))
    # One gives someone by a post alone (团山村支书), the other names someone (or a post alone) and no post of theirs
    # agrees (院长祁某): two people too.
    posted = _posts_apart(new, old) and not (names or nickname or withheld or any(near))
    others = others or posted
    # (and one only civil against one naming no kind: _civil_against_unsaid)
    org_needs = (CONTENT_THRESHOLD if elsewhere else OTHER_SUBJECT_THRESHOLD
                 if others or other_kind or _civil_against_unsaid(new, old)
                 else ORG_SUPPORT_THRESHOLD)
    org_supported = similarity >= org_needs or (
        not elsewhere and not others and level in ("county", "town", "village")
        and min(len(new.shingles), len(old.shingles)) < MIN_SHINGLES)
    supported_core = similarity >= max(org_needs, SUPPORT_THRESHOLD) and not elsewhere
    if org_supported and not new.org_names.isdisjoint(old.org_names):
        reasons.append(Reason("org_name", "被反映组织同名（去除行政区划、组织形式，统一常用简称）", ORG_NAME_SCORE, False))
    elif supported_core and not new.org_cores.isdisjoint(old.org_cores):
        reasons.append(Reason("org_name", "被反映组织名称主干相同（去除行业用语）", ORG_CORE_SCORE, False))
    # The same organisation's name and the same kind of problem (金色年华KTV: 有偿陪侍; 龙腾歌厅: 吸毒) where the
    # wording agrees only a little, or not at all: a hotline's summary of the letter about that place (潭口镇悦来足浴城
    # 存在卖淫嫖娼活动, all of whose words but the kind are the body's name). Another matter of the same body is mostly
    # another kind of problem (wages, fire safety, noise). Asking no wording at all (POST_SUPPORT_THRESHOLD before)
    # found 5 repeats and 1 hard negative more over the 40 labelled sets before this stop.
    # A kind a body's name says (宏基拆迁服务: 拆迁) is its trade: every matter of it is of that kind.
    org_kinds = sorted(gram[1:] for gram in new.shingles & old.shingles - _CIVIL_KINDS if gram[0] == PROBLEM_TOKEN
                       and TRADE_TOKEN + gram[1:] not in new.shingles | old.shingles)
    # In one village or township its core will do (聚友茶楼 / 聚友茶园, 金皇冠 / 金皇冠KTV). Over the development
    # sets: 5 repeats and no hard negative more; over blind50–54, 2 repeats more.
    same_name = not new.org_names.isdisjoint(old.org_names)
    if (not reasons and org_kinds and not elsewhere and not others
            and (same_name or level in ("village", "town") and not new.org_cores.isdisjoint(old.org_cores))):
        named_alike = "同名" if same_name else "名称主干相同"
        reasons.append(Reason("org_name", f"被反映组织{named_alike}且反映问题类别相同（{'、'.join(org_kinds)}）",
                              ORG_CORE_SCORE, False))
    # Where both reports say where it happened, the place weighs in: the same village or township asks less of the
    # wording (a hotline summary of a letter from there), two different places much more (the same stock complaint
    # about another village). Two villages of one township (one perhaps named only in the text), the wording alone
    # says nothing: the campaign's stock complaints (放高利贷, 危房改造补助, 聚众赌博) are made in every village. Over
    # every labelled set, once a name without its level word is read at the other report's level and names that
    # sound alike agree (_villages_differ), 9 false candidates and no repeat were found so.
    threshold = math.inf if apart or level == "" and _bare_elsewhere(new.places, old.places) \
        else content_threshold(level)
    # People of different surnames on the two sides (罗某 / 黄某, wherever each places them): two people, so two
    # matters, however alike the stock wording (放高利贷, 优亲厚友, 危房改造补助) of the campaign reads. Over every
    # labelled set no repeat was found on its wording alone between such reports, and 9 false candidates were.
    # Likewise one report about a village's 文书 or 组长 and the other about an office's 所长 or a school's 校长
    # (posts_contradict), or both naming people by identity numbers none of which agree (ids_contradict).
    if not reasons and (surnames_contradict(new, old) or similarity >= SAME_PLACE_THRESHOLD and (
            posts_contradict(new, old) or ids_contradict(new, old))):
        return []
    if not reasons and (NAMED_TOKEN in new.shingles and NAMED_TOKEN in old.shingles or posted) \
            and not (names or nickname or withheld or any(near) or new.surnames & old.surnames
                     or new.org_cores & old.org_cores or new.org_names & old.org_names
                     or new.credit_codes & old.credit_codes):
        threshold = max(threshold, OTHER_SUBJECT_THRESHOLD)
    if not reasons and other_kind:
        threshold = max(threshold, OTHER_SUBJECT_THRESHOLD)  # a civil matter and a campaign matter, as above
    if similarity >= threshold or (reasons and supported):
        # How many informative characters, words and numbers they share, not which: the words could name someone.
        shared = len(new.shingles & old.shingles)
        # The place once per candidate: a name's reason above already says it.
        place = f"，且{_where(level, named)}" if level in ("village", "town") and not reasons else ""
        # The figure as the office reads it, in the label and as the score the page shows beside it (one figure).
        shown = round(similarity, 2)
        reasons.append(Reason("content", f"内容相似度 {shown:.2f}：{shared} 处相同字词（已扣除常见用语）{place}",
                              shown, False))
    reasons.sort(key=lambda r: (-r.score, not r.exact))
    return reasons


# --- the same subject's other clues ---------------------------------------------------------------------------
# Beside the candidates, the clue page lists the other clues about the same subject (queries.same_subject), each
# with 是同一事项 beside it: context for the office, not candidates (no wording is asked). Pairs of key kinds (this
# clue's, the other's), strongest first: the same organisation, identity number or full name at a place; then a
# person given by surname only (李书记, 老李, 村支书李某) and the same surname in the same township or village, as the
# office would search its own ledger for him. Over blind15–54 this list holds 5 % more matters as one once the
# office confirms it (candidates alone: 1,503 → 1,603 of 1,920), listing 0.3 clues per report there.
SAME_SUBJECT_KEYS = (
    (("credit_codes", "credit_codes"), ("org_names", "org_names"), ("id_numbers", "id_numbers"),
     ("name_regions", "name_regions")),
    (("surname_only", "surnames"), ("surnames", "surname_only")),
)
SAME_SUBJECT_LABELS = ("同一单位或同一被反映人", "同乡镇（村）同姓，其中一方仅给出姓氏")
SAME_SUBJECT_LIMIT = 10  # listed per page


def same_subject_rank(new: MatchKeys, old: MatchKeys) -> int | None:
    """Which tier of SAME_SUBJECT_KEYS two clues' keys meet at (0 strongest), or None."""
    for rank, pairs in enumerate(SAME_SUBJECT_KEYS):
        if any(getattr(new, mine) & getattr(old, other) for mine, other in pairs):
            return rank
    return None
