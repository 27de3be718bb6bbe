"""Issue 20: the ways people write the same subject differently, one category each (made-up examples, not taken
from the labelled sets): bodies by their short names, an organisation by its distinctive core, a surname with a
post, nicknames, places with and without their level, near names at another depth; and what must stay apart.
No database."""

from qicha.clues import similarity as sim

# Content weights as the clue corpus gives them: stock complaints about other matters, so that the words every
# complaint uses weigh little.
CORPUS = [
    "村干部优亲厚友，把不符合条件的亲戚评上低保，群众意见很大。",
    "有人在河道非法采砂，晚上挖砂船作业，河堤被挖塌了。",
    "工地老板拖欠农民工工资，找他要钱就叫人打人。",
    "殡葬服务公司强制消费，骨灰盒卖得很贵，不买不让火化。",
    "村里修路的钱不知去向，账目不公开。",
    "物业公司强收停车费，不交就锁车，还打业主。",
]
STATS = sim.ContentStats(sim.match_keys(sim.ClueFacts(text, "西河县")).shingles for text in CORPUS)


def keys(content, region, persons=(), organisations=()):
    return sim.match_keys(sim.ClueFacts(
        content, region,
        tuple(sim.Person(*p) if isinstance(p, tuple) else sim.Person(p) for p in persons),
        tuple(sim.Organisation(*o) if isinstance(o, tuple) else sim.Organisation(o) for o in organisations),
    ))


def codes(found):
    return [r.code for r in found]


# --- government bodies by their short names; an organisation by its core -----------------------------------------


def test_a_body_written_by_its_short_name_is_the_same_body():
    for short, full in [
        ("青石治超站", "西河县青石超限超载检测站"),
        ("青石国土所", "西河县自然资源局青石自然资源所"),
        ("城南派出所", "西河县公安局城南派出所"),
        ("县交通局", "西河县交通运输局"),
        ("救助站", "市救助管理站"),
        ("县残联", "西河县残疾人联合会"),
        ("西河二中", "西河县第二中学"),
        ("青石中心卫生院", "青石镇卫生院"),
    ]:
        # A body named by its kind only (县交通局) is the body of the report's place (西河县).
        assert sim.organisation_key_sets(short, ("西河",))[0] & sim.organisation_key_sets(full)[0], (short, full)
    # Two counties' bureaus of one kind are two bureaus.
    assert not sim.organisation_key_sets("西河县公安局")[0] & sim.organisation_key_sets("东山县公安局")[0]
    # Two stations of two townships stay two.
    assert not sim.organisation_key_sets("青石治超站")[0] & sim.organisation_key_sets("白马超限检测站")[0]


def test_an_association_with_and_without_its_filler_words_and_place():
    pairs = [
        ("西河县个体劳动者协会", "个体劳动者协会"),
        ("西河县电动自行车行业协会（筹）", "西河电动车协会"),
        ("白马镇老乡联谊会", "白马老乡会"),
        ("兴农促进会青石工作站", "兴农促进会"),
        ("市婚庆服务中心（婚庆协会）", "婚庆协会"),
    ]
    for a, b in pairs:
        assert sim.organisation_key_sets(a)[0] & sim.organisation_key_sets(b)[0], (a, b)


def test_a_company_by_its_distinctive_core():
    # 恒通公司 for 西河县恒通建设工程有限公司: the place, legal form and trade words go; 恒通 is left.
    names, cores = sim.organisation_key_sets("西河县恒通建设工程有限公司")
    assert "恒通" in cores and "恒通" in sim.organisation_key_sets("恒通公司")[1]
    # A leading name of the report's own place goes from the core too (西河恒通 written in 西河县) ...
    assert "恒通" in sim.organisation_key_sets("西河恒通建设", ("西河",))[1]
    # ... but a place's institution keeps its place (青石派出所 is not any 派出所), and a trade alone is no core.
    assert "派出所" not in sim.organisation_key_sets("青石派出所", ("青石",))[1]
    assert sim.organisation_key_sets("西河餐饮协会", ("西河",))[1] == set()
    # A firm by the kind of business people call it by: 金龙KTV = 金龙娱乐会所, 宏达搅拌站 = 宏达商品混凝土有限公司.
    for a, b in [("金龙KTV", "西河县金龙娱乐有限公司"), ("宏达搅拌站", "西河县宏达商品混凝土有限公司"),
                 ("安顺驾校", "西河县安顺驾驶培训学校"), ("恒信咨询", "西河县恒信商务咨询有限公司")]:
        assert sim.organisation_key_sets(a)[1] & sim.organisation_key_sets(b)[1], (a, b)
    # A market is named after its place: two towns' 农贸市场 share no core.
    assert not sim.organisation_key_sets("青石农贸市场", ("青石",))[1] & sim.organisation_key_sets(
        "白马农贸市场管理有限公司", ("白马",))[1]


def test_a_same_name_organisation_with_content_agreeing_in_part_is_a_candidate_not_a_link():
    letter = keys("恒通建设工程有限公司承包青石河堤工程，拖欠四十多名民工工资七十万元，老板让人拿钢管威胁讨薪的工人。",
                  "西河县青石镇", organisations=("西河县恒通建设工程有限公司",))
    call = keys("恒通公司在河堤工地欠民工工资七十万，还叫人威胁讨薪工人。", "青石镇", organisations=("恒通公司",))
    found = sim.compare(call, letter, STATS)
    assert "org_name" in codes(found) and not any(r.exact for r in found)


def test_the_same_credit_code_with_agreeing_content_is_the_first_candidate_and_another_matter_is_none():
    code = "91110102MA01AB3C4W"
    fees = keys("恒通物业强收停车费每月三百元，业主不交就给车轮上锁，还让保安打了两个业主。", "西河县青石镇",
                organisations=(("恒通物业服务有限公司", code),))
    again = keys("恒通物业每月强收三百元停车费，不交就锁车轮，保安还打了业主，请查处。", "青石镇",
                 organisations=(("恒通物业", code),))
    lifts = keys("小区电梯坏了三个月没人修，维修基金账目从来不公开。", "青石镇", organisations=(("恒通物业", code),))
    found = sim.compare(again, fees, STATS)
    assert found[0] == sim.Reason("credit_code", "同一统一社会信用代码且内容相符，请确认是否同一事项",
                                  sim.CODE_CONTENT_SCORE, False)
    assert not any(r.exact for r in found)
    assert sim.compare(lifts, fees, STATS) == []
    # The firm's other matter told in its same words (name, place, trade, stock complaint): still only a candidate.
    parking = keys("恒通物业强收停车费每月三百元，业主不交就给车轮上锁，这次又把小区绿地改成停车位收费。", "西河县青石镇",
                   organisations=(("恒通物业服务有限公司", code),))
    assert not any(r.exact for r in sim.compare(parking, fees, STATS))


# --- persons: posts, nicknames, near names at another depth -------------------------------------------------------

LETTER = ("青石镇白马村村民委员会主任孟庆丰把村里的光伏扶贫电站收益拿去给自家承包的鱼塘修路，"
          "三年共挪用二十多万元，收益分配表上的贫困户一分钱没领到。")


def test_a_surname_with_the_post_the_earlier_report_names_at_the_same_township():
    letter = keys(LETTER, "西河县青石镇白马村", persons=("孟庆丰",))
    call = keys("青石镇孟主任挪用光伏电站的钱，贫困户没分到。", "青石镇", persons=("孟主任",))
    found = sim.compare(call, letter, STATS)
    assert sim.Reason("surname", "被反映人同姓且职务相同（主任），同乡镇（街道）", sim.SURNAME_SCORE, False) in found
    # Another post of the same surname there, on other business, is someone else.
    other = keys("青石镇孟会计把五保户的米面卖了。", "青石镇", persons=("孟会计",))
    assert sim.compare(other, letter, STATS) == []


def test_a_surname_alone_in_the_same_village_needs_the_content_to_agree():
    letter = keys(LETTER, "西河县青石镇白马村", persons=("孟庆丰",))
    neighbour = keys("白马村老孟家的狗咬了人，不肯赔钱。", "青石镇白马村", persons=("老孟",))
    assert sim.compare(neighbour, letter, STATS) == []


def test_a_nickname_meets_the_name_it_stands_for():
    assert sim.parse_name("马老二") == sim.PersonName(surname="马", nickname="马二")
    assert sim.parse_name("马二") == sim.PersonName(surname="马", nickname="马二")
    letter = keys("白马镇马德才（外号马老二）带人垄断镇上的沙石生意，外地车进镇卸沙每车交一百元。", "西河县白马镇",
                  persons=("马德才",))
    call = keys("白马的马二又在收卸沙的钱了。", "白马", persons=("马二",))
    found = sim.compare(call, letter, STATS)
    assert found[0] == sim.Reason("nickname", "被反映人绰号相同且同乡镇（街道）", sim.NAME_REGION_SCORE, False)
    # The same nickname in another township is someone else.
    assert sim.compare(keys("河口的马二打人。", "河口镇", persons=("马二",)), letter, STATS) == []


def test_one_character_apart_by_sound_at_another_depth():
    # 韩玫 given with the village, 韩梅 with the township only: the same sound in the same township.
    letter = keys("卫生院护士长韩玫把临聘护士的工资扣下一半。", "西河县青石镇白马村", persons=("韩玫",))
    call = keys("青石镇韩梅扣护士工资。", "西河县青石镇", persons=("韩梅",))
    assert codes(sim.compare(call, letter, STATS))[0] == "name_sound"


def test_two_people_by_identity_number_are_not_near_names_of_each_other():
    a = keys("甲", "青石镇白马村", persons=(("孟庆丰", "110105198001011238"),))
    b = keys("乙", "青石镇白马村", persons=(("孟庆峰", "110105198001011254"),))
    assert sim.compare(b, a) == []


def test_posts_and_places_before_a_name_are_stripped():
    assert sim.parse_name("白马村支书孟某") == sim.PersonName(surname="孟", post="书记")
    assert sim.parse_name("卫生院的韩某") == sim.PersonName(surname="韩")
    assert sim.parse_name("三组组长") == sim.PersonName(post="组长")
    assert sim.parse_name("钱站长").post == sim.parse_name("副站长").post == "站长"


def test_a_post_of_the_reports_own_place_names_no_one_and_a_pastoral_village_has_its_head():
    # 社区书记, 村书记: the community's or village's secretary, not a person surnamed 社 or 村
    assert sim.parse_name("社区书记") == sim.parse_name("村书记") == sim.parse_name("嘎查书记") == sim.PersonName(
        post="书记")
    assert sim.parse_name("巴彦嘎查会计") == sim.PersonName(post="会计")
    # 嘎查达 (嘎查长) heads a pastoral village's committee as a 村主任 does a village's
    assert sim.parse_name("嘎查达孟和") == sim.parse_name("嘎查长孟和") == sim.PersonName(
        full="孟和", surname="孟", post="主任")
    assert sim.parse_name("图门嘎查嘎查达") == sim.PersonName(post="主任")
    # 村长 is what people call the 村委会主任; a clan's 族长 is a post of its own
    assert sim.parse_name("王村长") == sim.parse_name("王主任") == sim.PersonName(surname="王", post="主任")
    assert sim.parse_name("谭族长") == sim.PersonName(surname="谭", post="族长")


def test_a_pastoral_village_and_township_named_in_the_text_are_places():
    letter = keys("塔林苏木图门嘎查的嘎查达孟和把集体草场低价包给亲家，每亩八块钱，嘎查牧民大会都没开。",
                  "哈日努旗塔林苏木图门嘎查", persons=["孟和"])
    summary = keys("来电反映：图门嘎查集体草场发包不公开，嘎查达孟和低价包给亲属，要求核查。", "哈日努旗塔林苏木",
                   persons=["嘎查达孟和"])
    assert sim.place_level(summary.places, letter.places) == "village"
    assert "name_region" in codes(sim.compare(summary, letter, STATS))
    county = keys("来电反映：乌兰嘎查的嘎查长私卖集体母羊。", "额尔敦旗")
    assert [level for level, _ in county.places] == ["county", "village~"]


def test_village_cadres_are_no_post_that_sets_them_apart_from_the_village_secretary():
    # 村干部 is any of a village's cadres: no one in particular, as 有人
    assert sim.parse_name("村干部") == sim.parse_name("干部") == sim.PersonName()
    assert sim.parse_name("张干部") == sim.PersonName(surname="张", post="干部")
    letter = keys("西崖村党支部书记崔建华把村里的山场承包给外地老板开石料厂，承包费没进村账，放炮震裂民房。",
                  "崮山县青石乡西崖村", persons=["崔建华"])
    summary = keys("来电反映：青石乡西崖村山场被承包开石料厂，承包费去向不明，放炮震裂民房，疑有村干部参与。",
                   "崮山县青石乡", persons=["村干部"])
    assert "content" in codes(sim.compare(summary, letter, STATS))


def test_forms_of_address_and_relatives_name_the_family():
    assert sim.parse_name("孟老汉") == sim.PersonName(surname="孟")
    assert sim.parse_name("韩大妈") == sim.PersonName(surname="韩")
    assert sim.parse_name("孟庆丰的小舅子") == sim.parse_name("孟庆丰")
    assert sim.parse_name("孟书记的侄子") == sim.PersonName(surname="孟", post="书记")


# --- places -------------------------------------------------------------------------------------------------------


def test_a_place_without_its_level_word_is_at_the_level_the_other_report_gives_it():
    assert sim.place_level(sim.place_chain("青石"), sim.place_chain("西河县青石镇")) == "town"
    assert sim.place_level(sim.place_chain("青石"), sim.place_chain("西河县青石镇白马村")) == "town"
    assert sim.place_level(sim.place_chain("白马"), sim.place_chain("青石镇白马村")) == "village"
    # A bare name that is not the other's village may be a natural village or a landmark inside it (田心, 岭头):
    # the two places do not compare, where 白马村 against 黄土村 are two villages.
    assert sim.place_level(sim.place_chain("白马"), sim.place_chain("青石镇黄土村")) == ""
    assert sim.place_level(sim.place_chain("白马村"), sim.place_chain("青石镇黄土村")) == "conflict"
    assert sim.place_level(sim.place_chain("青石镇白马"), sim.place_chain("青石镇黄土村")) == "town"


def test_a_place_written_as_people_of_the_place_call_it_is_that_place():
    def level(a, b):
        return sim.place_level(sim.place_chain(a), sim.place_chain(b))

    # a natural village or named group below the village, written bare
    assert level("田心", "上濂县古坳镇罗田村田心组") == "village"
    assert level("周家嘴", "白鹭县三湖垸镇王家台村周家嘴组") == "village"
    assert level("五组", "白鹭县三湖垸镇王家台村五组") == ""  # a number names no place
    # a numbered group after a bare village name; a colloquial ending (三台子, 东沙岙, 东门口); an estate's name
    assert level("黑水滩五组", "沙河区黑水滩镇黑水滩村") == "village"
    assert level("三台子", "螺丝湖镇三台村") == "village"
    assert level("屿头镇东沙岙", "海屿县屿头镇东沙村") == "village"
    assert level("东门口", "文峰街道东门社区") == "village"
    assert level("幸福家园", "坪山街道幸福家园社区") == "village"
    # a relocation settlement, an old town and a resettlement area by their place
    assert level("红沙岗镇六号移民新村", "白墩县红沙岗镇六号村") == "village"
    assert level("鼓楼坪安置区", "白岩县白岩镇鼓楼坪社区") == "village"
    assert level("龙潭古镇", "龙潭县龙潭镇古镇社区") == "town"


def test_a_facility_stands_for_its_place_and_a_vague_place_for_none():
    assert sim.place_level(sim.place_chain("南门菜市场"), sim.place_chain("西河县城关镇南门社区")) == "village"
    assert sim.place_chain("市区") == () and sim.place_chain("高铁站") == ()


def test_a_report_filed_under_the_county_that_names_the_village_in_its_text_meets_one_filed_under_the_village():
    letter = keys("桃溪镇杏花村会计吕永庆把修水渠的钱挪去放贷，村民问账目他就骂人。", "南川县桃溪镇杏花村",
                  persons=["吕永庆"])
    summary = keys("杏花村修渠款被会计挪用，经手人吕勇庆，请核查。", "南川县", persons=["吕勇庆"])
    assert sim.place_level(summary.places, letter.places) == "village"
    assert "name_sound" in codes(sim.compare(summary, letter, STATS))


def test_a_place_named_in_passing_never_sets_two_reports_apart_and_ordinary_words_are_no_place():
    letter = keys("吕永庆在杏花村当会计，挪用修渠款。", "南川县桃溪镇杏花村", persons=["吕永庆"])
    other = keys("吕永庆的亲戚住在梨园村，他挪用修渠款给亲戚盖房。", "南川县桃溪镇", persons=["吕永庆"])
    assert sim.place_level(other.places, letter.places) == "town"
    assert sim.places_in_text("我们村和本镇的干部都不管，农村的事没人问。", sim.place_chain("南川县")) == ()


def test_the_same_complaint_about_another_named_person_of_the_same_township_is_no_candidate():
    one = keys("青山镇支书蒋立平把低保给了自己的亲家和弟媳，两家都开店，真正困难的老人评不上。", "南川县青山镇",
               persons=["蒋立平"])
    other = keys("青山镇支书万德明搞关系保，表弟家吃低保，有车有房。", "南川县青山镇", persons=["万德明"])
    unnamed = keys("青山镇支书搞关系保，表弟家吃低保，有车有房。", "南川县青山镇")
    assert sim.compare(other, one, STATS) == []
    # Naming no one, the same wording from the same township is for the office to look at.
    assert codes(sim.compare(unnamed, one, STATS)) == ["content"]


def test_a_local_body_named_by_its_kind_is_one_body_only_with_its_place():
    station = keys("望江镇水管站站长收钱，江堤护坡偷工减料垮了两段，验收时不看就签字。", "南川县望江镇",
                   organisations=["望江镇水管站"])
    other_station = keys("大坪乡水管站验收饮水工程不看就签字，管子偷工减料冻裂十几处。", "南川县大坪乡",
                         organisations=["大坪乡水管站"])
    same_station = keys("望江水管站验收走过场，护坡偷工减料垮了。", "南川县", organisations=["望江水管站"])
    assert "org_name" not in codes(sim.compare(other_station, station, STATS))
    assert "org_name" in codes(sim.compare(same_station, station, STATS))


def test_a_street_is_no_township_and_a_wharf_is_the_place_it_is_named_after():
    street = sim.place_chain("南川县解放路")
    assert sim.place_level(street, sim.place_chain("南川县青山镇")) == "county"
    assert sim.place_level(sim.place_chain("南川县江湾码头"), sim.place_chain("南川县江湾街道")) == "town"


def test_a_county_seat_and_a_development_zone_are_their_county():
    assert sim.place_chain("南川县城") == (("county", "南川"),)
    assert sim.place_level(sim.place_chain("南川开发区"), sim.place_chain("南川县经济开发区")) == "county"
    assert sim.place_level(sim.place_chain("南川县城"), sim.place_chain("南川县青山镇")) == "county"


def test_an_area_is_the_place_it_is_named_after():
    assert sim.place_level(sim.place_chain("杏林片区"), sim.place_chain("南川县江湾街道杏林社区")) == "village"


def test_a_merged_township_by_its_former_name_in_the_content_is_the_same_place():
    merged = keys("原梨园乡（现并入南川县桃溪镇）的鲁长贵开设赌场，抽头渔利。", "南川县桃溪镇梨园片区",
                  persons=["鲁长贵"])
    by_old_name = sim.place_chain("梨园乡")
    assert sim.place_level(merged.places, by_old_name) == "town"
    # A former name counts where it is written, and only for the place it names.
    assert sim.place_level(merged.places, sim.place_chain("杏花乡")) == "conflict"
    plain = keys("鲁长贵开设赌场，抽头渔利。", "南川县桃溪镇")
    assert sim.place_level(plain.places, by_old_name) == "conflict"
    old_village = keys("老杨柳村并到了新河村，村会计把两村的账混在一起。", "南川县桃溪镇新河村")
    assert sim.place_level(old_village.places, sim.place_chain("桃溪镇杨柳村")) == "village"


def test_a_place_the_content_names_by_three_characters_meets_its_full_name():
    summary = keys("马家湾镇有人开赌场，派出所副所长邓志刚通风报信。", "南川县", persons=["邓志刚"])
    letter = sim.place_chain("南川县马家湾镇")
    assert sim.place_level(summary.places, letter) == "town"
    # 村民 after a verb is no village (欺压村民).
    assert sim.places_in_text("他经常欺压村民。", sim.place_chain("南川县")) == ()


def test_one_organisation_reported_from_two_townships_is_another_matter_unless_the_content_agrees():
    one = keys("恒通物业在青石镇锦园小区强收停车费，不交就锁车，保安还打了业主。", "西河县青石镇锦园小区",
               organisations=["西河县恒通物业服务有限公司"])
    other = keys("白马镇翠湖小区的恒通物业把电梯广告费全拿走了，五年没公开过公共收益账目。", "西河县白马镇翠湖小区",
                 organisations=["西河县恒通物业服务有限公司"])
    same = keys("恒通物业在锦园小区乱收停车费，不交锁车，还打业主。", "西河县白马镇",
                organisations=["恒通物业服务有限公司"])
    assert sim.compare(other, one, STATS) == []
    assert "org_name" in codes(sim.compare(same, one, STATS))


# --- nicknames by a given-name character, names in brackets, near names within a county --------------------------

GAMBLING = ("青石镇尤文斌在镇上开地下赌场，每晚几十人赌牌九，抽头渔利，输了钱的被他手下逼着写借条。", "西河县青石镇")


def test_a_given_name_character_with_ge_or_jie_meets_the_full_name_in_the_same_place():
    assert sim.parse_name("斌哥") == sim.PersonName(surname="斌", nickname="斌哥")  # or a surname, as 张哥
    assert sim.parse_name("芳姐") == sim.parse_name("芳哥") and sim.parse_name("张哥").surname == "张"
    letter = keys(*GAMBLING, persons=["尤文斌"])
    call = keys("青石斌哥开赌场，好多人输得倾家荡产。", "青石镇", persons=["斌哥"])
    assert codes(sim.compare(call, letter, STATS))[0] == "nickname"
    # Elsewhere it is someone else; and two full names sharing a character are not one person by their forms.
    assert "nickname" not in codes(sim.compare(keys("白马斌哥打人。", "白马镇", persons=["斌哥"]), letter, STATS))
    other = keys("青石镇鲁志斌占了河滩种菜。", "西河县青石镇", persons=["鲁志斌"])
    assert sim.compare(other, letter, STATS) == []


def test_the_ways_people_call_someone_by_a_given_name_or_a_nickname():
    # the south's 阿彬 and 彬仔 are 斌哥's form, as 小辉 is; 汉生叔 calls 冯汉生 by his given name; 老疤 and 二愣子
    # are nicknames, not people surnamed 疤; 老李, 小马 and 大刘 stay surnames
    assert sim.parse_name("阿彬") == sim.parse_name("彬仔") == sim.PersonName(surname="彬", nickname="彬哥")
    assert sim.parse_name("汉生叔") == sim.PersonName(nickname="汉生哥")
    assert "汉生哥" in sim.nick_forms(sim.parse_name("冯汉生"))
    assert sim.parse_name("老疤") == sim.PersonName(nickname="老疤")
    assert sim.parse_name("小辉") == sim.PersonName(surname="辉", nickname="辉哥")  # 程辉, by his given name
    assert sim.parse_name("二愣子") == sim.PersonName(nickname="二愣子")
    assert [sim.parse_name(n).surname for n in ("老李", "小马", "大刘", "梁姨")] == ["李", "马", "刘", "梁"]
    # a birth order the full name holds: 侯立三 is 侯三, 李四虎 is 四虎
    assert {"侯三"} <= sim.nick_forms(sim.parse_name("侯立三"))
    assert {"四虎", "李四"} <= sim.nick_forms(sim.parse_name("李四虎"))


def test_a_surname_said_after_xing_a_family_a_body_before_a_post_and_a_job_are_read_as_such():
    assert sim.parse_name("姓陈的") == sim.parse_name("姓陈") == sim.PersonName(surname="陈")
    assert sim.parse_name("老板姓杨") == sim.PersonName(surname="杨", post="老板")
    assert sim.parse_name("赵家弟兄") == sim.PersonName(surname="赵")
    assert sim.parse_name("许氏兄弟") == sim.PersonName(surname="许")
    assert sim.parse_name("李氏家族") == sim.parse_name("李家那几兄弟") == sim.PersonName(surname="李")
    # 黑皮 and 肥仔明 (明 of 陈国明) are nicknames, 炳叔 a given-name character; 老李书记 and 网格员小付 a surname with a
    # post; 二组组长冯某 and 业委会主任许某 a post before a surname; 茶园村三组组长 and 某科长 a post alone
    assert sim.parse_name("黑皮") == sim.PersonName(nickname="黑皮")
    assert sim.parse_name("肥仔明") == sim.PersonName(surname="明", nickname="明哥")
    assert sim.parse_name("炳叔") == sim.PersonName(nickname="炳哥")
    assert sim.parse_name("老李书记") == sim.PersonName(surname="李", post="书记")
    assert sim.parse_name("网格员小付") == sim.PersonName(surname="付", post="网格员")
    assert sim.parse_name("二组组长冯某") == sim.PersonName(surname="冯", post="组长")
    assert sim.parse_name("业委会主任许某") == sim.PersonName(surname="许", post="主任")
    assert sim.parse_name("茶园村三组组长") == sim.PersonName(post="组长")
    assert sim.parse_name("某科长") == sim.PersonName(post="科长")
    # a surname and what someone looks like (陈胖子, 刘瘸子) or a birth order with 哥 or 娃 (肖二哥, 马二娃)
    assert sim.parse_name("刘瘸子") == sim.PersonName(surname="刘", nickname="刘瘸子")
    assert sim.parse_name("肖二哥") == sim.parse_name("肖老二") == sim.PersonName(surname="肖", nickname="肖二")
    # a post said short after a surname: 孙所 is 孙所长
    assert sim.parse_name("孙所") == sim.parse_name("孙所长") == sim.PersonName(surname="孙", post="所长")
    # a nickname by looks (黑蛋, 胖子), not a surname 黑 or 胖
    assert sim.parse_name("黑蛋") == sim.PersonName(nickname="黑蛋")
    # a body's post, no one named 派出所; 中队长 and 小组长 are posts, 报账员 the village's accountant
    assert sim.parse_name("黄楼镇派出所所长") == sim.parse_name("派出所所长") == sim.PersonName(post="所长")
    assert sim.parse_name("中队长") == sim.PersonName(post="队长")
    assert sim.parse_name("村民小组长") == sim.PersonName(post="组长")
    assert sim.parse_name("报账员") == sim.PersonName(post="会计")
    assert sim.parse_name("防疫员") == sim.PersonName(post="防疫员")


def test_a_place_written_two_ways_or_by_a_former_name_beginning_with_shang_is_one_place():
    assert sim.place_level(sim.place_chain("河口镇柳树湾村"), sim.place_chain("岚城区河口镇柳树塆村")) == "village"
    letter = keys("新河村（原上河村）的曹立新，外号曹二，霸占河洲水面，每家每年要交他两千块水面费。", "岚城区河口镇新河村",
                  persons=["曹立新"])
    note = keys("上河村曹二收水面费收了好几年了，哪个不交就砸哪个的船。", "河口镇上河村", persons=["曹二"])
    assert sim.place_level(note.places, letter.places) == "village"


def test_a_village_named_after_a_family_in_the_text_is_a_village():
    # 蒋家村: a family's name and 家 (我家, 回家 are no place)
    chain = sim.place_chain("梅岭县")
    assert ("village~", "蒋家") in sim.places_in_text("举报金鸡镇蒋家村报账员刘某斌围标串标。", chain)
    assert sim.places_in_text("他回家村里的人都知道，我家村口就是。", chain) == ()
    # so that 刘某斌 of 蒋家村 and 刘文华 of 石门坎村, both 会计 of one township, are two people
    letter = keys("石门坎村村会计刘文华在校舍维修工程中找公司陪标，让侄子中标。", "梅岭县金鸡镇石门坎村", persons=["刘文华"])
    other = keys("举报金鸡镇蒋家村报账员刘某斌在村道硬化项目中组织围标串标，中标方实际施工人为其亲属。", "梅岭县",
                 persons=["刘某斌"])
    assert "surname" not in codes(sim.compare(other, letter, STATS))


def test_a_nickname_the_letter_says_people_call_someone_meets_a_note_giving_no_place():
    letter = keys("白马镇卫生院门口的医托是一伙人，头子叫熊志强，外面喊他熊哥，专门把看病的老人拉去私人诊所，"
                  "一次检查收好几千。", "西河县白马镇", persons=["熊志强"])
    note = keys("熊哥那帮医托又在门口拉老人去私人诊所了，亲戚们当心，我舅舅花了八千冤枉钱。", "", persons=["熊哥"])
    assert codes(sim.compare(note, letter, STATS))[0] == "name_anywhere"
    # what a full name is called by (强哥 for 熊志强) meets it as well where one report gives no place
    plain = keys("白马镇卫生院门口的医托是一伙人，头子叫熊志强，专门把看病的老人拉去私人诊所，一次检查收好几千。",
                 "西河县白马镇", persons=["熊志强"])
    called = keys("强哥那帮医托又在门口拉老人去私人诊所了，亲戚们当心，我舅舅花了八千冤枉钱。", "", persons=["强哥"])
    assert codes(sim.compare(called, plain, STATS))[0] == "name_anywhere"
    assert codes(sim.compare(plain, called, STATS))[0] == "name_anywhere"
    # what people call someone, not whom one calls (叫他还钱)
    assert sim.nicknames_in("催债的天天上门叫他还钱。") == set()


def test_a_nickname_without_a_surname_and_a_name_in_brackets():
    assert sim.parse_name("二狗") == sim.PersonName(nickname="二狗")
    letter = keys("白马镇的砂石生意被鲁长贵（外号“二狗”）一伙人垄断，外地车进镇每车交两百。", "西河县白马镇",
                  persons=["鲁长贵"])
    call = keys("白马二狗收砂石车过路费，不交就打。", "白马镇", persons=["二狗"])
    assert "nickname" in codes(sim.compare(call, letter, STATS))
    # The other name a report gives in brackets, in the name or in the content, is the same person's.
    assert sim.other_names("鲁某某（二狗）", "") == ["二狗"]
    assert sim.other_names("二狗", "白马的二狗（鲁长贵）收过路费") == ["鲁长贵"]
    summary = keys("白马的二狗（鲁长贵）收砂石车过路费。", "西河县", persons=["二狗"])
    assert "name_region" in codes(sim.compare(summary, letter, STATS))


def test_a_near_name_within_one_county_needs_the_content_to_agree():
    # A report giving only the county (the station named in its text) against one giving the township.
    letter = keys("西河县青石治超站副站长黄卫东收货车司机的钱，超载车给两百块就放行，不给就罚两千。", "西河县青石镇",
                  persons=["黄卫东"], organisations=["青石超限检测站"])
    by_post = keys("治超站的黄副站长收钱放超载车，不给钱就重罚。", "西河县", persons=["黄副站长"])
    by_sound = keys("治超站副站长黄维东收司机好处费，超载车交钱就放行。", "西河县", persons=["黄维东"])
    found = sim.compare(by_post, letter, STATS)
    assert "surname" in codes(found) and not any(r.exact for r in found)
    assert "name_sound" in codes(sim.compare(by_sound, letter, STATS))
    # The same surname and post in the county on another matter is no candidate.
    other = keys("县医院黄副院长收红包。", "西河县", persons=["黄副院长"])
    assert sim.compare(other, letter, STATS) == []
    unrelated = keys("黄维东家的狗咬了人不赔钱，邻居找他理论还挨了骂。", "西河县", persons=["黄维东"])
    assert "name_sound" not in codes(sim.compare(unrelated, letter, STATS))


def test_a_reason_says_the_place_once_and_the_content_figure_is_its_score():
    letter = keys(LETTER, "西河县青石镇白马村", persons=("孟庆丰",))
    call = keys("白马村孟庆丰主任挪用光伏电站收益二十多万修自家鱼塘的路，贫困户一分没拿到。", "青石镇白马村",
                persons=("孟庆丰",))
    found = sim.compare(call, letter, STATS)
    assert codes(found) == ["name_region", "content"]
    assert sum("同村" in r.label for r in found) == 1
    content = found[1]
    assert content.label.startswith(f"内容相似度 {content.score:.2f}：") and content.score == round(content.score, 2)


def test_two_villages_of_one_township_keep_a_surname_with_its_post_and_a_stock_complaint_apart():
    one = keys("青石镇白马村村主任孟庆丰挪用产业扶贫资金四十万元，油茶苗只栽了几十亩就报完工。", "西河县青石镇白马村",
               persons=["孟庆丰"])
    other = keys("黄土村的孟主任占了村里后山的山林养猪，猪粪排进塘里，提意见就打人。", "青石镇", persons=["孟主任"])
    assert sim.compare(other, one, STATS) == []
    # The same village written in the text is the same place: the post and a little agreement suffice.
    same = keys("白马村的孟主任把扶贫资金挪了，油茶苗没栽几亩。", "青石镇", persons=["孟主任"])
    assert "surname" in codes(sim.compare(same, one, STATS))
    # 村里 and 村民 after a word are no village (租金被村里……, 欺压村民).
    assert sim.places_in_text("租金被村里吃了差价。", sim.place_chain("西河县青石镇")) == ()


def test_one_organisation_about_two_named_people_asks_the_wording_to_agree_as_between_two_people():
    one = keys("西河县城管局执法队员黄志刚在新华路把卖水果的老人推倒，三轮车也掀翻了。", "西河县城关镇",
               persons=["黄志刚"], organisations=["西河县城市管理局"])
    other = keys("西河县城市管理局的黄俊向流动摊贩收管理费，每个摊位每月两三百，不交就没收秤。", "西河县城关镇",
                 persons=["黄俊"], organisations=["西河县城市管理局"])
    assert sim.compare(other, one, STATS) == []
    unnamed = keys("城管局的执法队员在新华路推倒卖水果的老人，掀翻三轮车。", "西河县城关镇",
                   organisations=["西河县城市管理局"])
    assert "org_name" in codes(sim.compare(unnamed, one, STATS))


def test_a_description_is_no_name():
    assert sim.parse_name("村里一把手").full == ""
    assert sim.parse_name("欧阳春晓").full == "欧阳春晓"
    assert sim.parse_name("阿卜杜·热合曼").full == "阿卜杜热合曼"


def test_a_place_named_by_what_is_there_counts_at_the_level_the_other_report_gives_it():
    call = keys("青石农贸市场猪肉被一家人垄断，外地摊贩被赶走。", "西河县")
    assert sim.place_level(call.places, sim.place_chain("西河县青石镇")) == "town"
    assert sim.place_level(call.places, sim.place_chain("西河县青石镇白马村")) == "town"
    # Named in passing, it never sets two reports apart.
    assert sim.place_level(call.places, sim.place_chain("西河县白马镇")) == "county"


def test_a_place_written_by_its_former_name_with_what_it_is_now():
    old_name = keys("原梨园乡杏花村（现并入桃溪镇）的鲁长贵霸占集体山塘。", "梨园乡杏花村")
    assert sim.place_level(old_name.places, sim.place_chain("南川县桃溪镇杏花村")) == "village"
    assert sim.place_level(old_name.places, sim.place_chain("南川县白马镇杏花村")) == "conflict"


def test_more_posts_and_kinds_of_business():
    assert sim.parse_name("骆法官").post == sim.parse_name("法官骆振东").post == "法官"
    assert sim.parse_name("黄股长").post == "股长"
    for a, b in [("融信车行", "西河县融信汽车服务有限公司"), ("红星砖厂", "西河县红星页岩砖厂"),
                 ("源泉水电", "西河县源泉水电安装有限公司")]:
        assert sim.organisation_key_sets(a)[1] & sim.organisation_key_sets(b)[1], (a, b)
    assert sim.organisation_key_sets("大坪客运", ("大坪",))[0] & sim.organisation_key_sets("西河县大坪汽车客运有限公司")[0]


def test_a_housing_estate_named_after_its_community_is_there():
    assert sim.place_level(sim.place_chain("锦绣河湾小区"), sim.place_chain("西河县河湾街道河湾社区")) == "village"
    # Two estates are two places: they do not compare, and the same stock complaint from each is no candidate.
    assert sim.place_level(sim.place_chain("锦绣华庭小区"), sim.place_chain("西河县河湾街道滨江花园")) == ""
    one = keys("小区物业经理带人强收停车费，不交就砸车玻璃，业主敢怒不敢言。", "锦绣华庭小区")
    other = keys("小区物业经理带人强收停车费，不交就砸车玻璃，业主敢怒不敢言。", "西河县河湾街道滨江花园")
    assert sim.compare(other, one, STATS) == []


def test_a_township_post_is_the_same_person_whichever_village_reports_it():
    one = keys("青石镇白马村村民反映：镇长孟庆丰把白马村的扶贫资金四十万元挪去修镇政府的大门。", "西河县青石镇白马村",
               persons=["孟庆丰"])
    other = keys("黄土村的人也说孟镇长挪用扶贫资金修镇政府大门。", "青石镇", persons=["孟镇长"])
    assert "surname" in codes(sim.compare(other, one, STATS))


def test_a_body_that_stands_for_its_place_does_not_also_count_as_content():
    # A township's 民政办 is compared as the township (a generic body): its name does not make two of its matters
    # read alike as well.
    one = keys("石门镇民政办办事拖拉，我母亲的高龄补贴材料交上去半年了没有音讯，去问就推说在走流程。", "北川县石门镇",
               organisations=["石门镇民政办"])
    other = keys("石门镇民政办经办人员收钱办低保，一户要送一千块，不送钱材料就压着不往上报。", "北川县石门镇",
                 organisations=["石门镇民政办"])
    same = keys("石门民政办把我妈的高龄补贴材料压了半年不批。", "石门镇")
    assert sim.compare(other, one, STATS) == []
    assert codes(sim.compare(same, one, STATS)) == ["content"]
    # Its place not among the report's own (filed under the district only), the body's name is the only place the
    # report gives: it is found in the text and counts as the report's place (not as its wording either).
    county = keys("城南街道幸福社区的公租房名单有问题，主任的亲戚两户都有房。", "白沙区", organisations=["城南街道幸福社区"])
    assert {("town~", "城南"), ("village~", "幸福")} <= set(county.places)
    assert not {"幸福", "城南"} & county.shingles


def test_people_of_different_surnames_need_the_wording_of_two_people():
    # The same stock complaint from one village, one report about 肖主任: another report naming someone of another
    # surname (罗书记) is about someone else unless the wording agrees as between two people; 萧某 sounds the same
    # (肖 / 萧), and a nickname (彪哥) or a post read as a name (副镇长) says nothing of the surname.
    one = keys("龙潭村的低保名单有问题，村干部把自己家亲戚都报上了低保，真正困难的老人却评不上，请上级来查一查。",
               "西河县石门镇龙潭村", persons=["肖主任"])
    text = "龙潭村评低保不公平，亲戚吃低保，困难户评不上，没人管。"
    assert sim.SAME_PLACE_THRESHOLD < sim.content_similarity(keys(text, "西河县石门镇龙潭村", persons=["罗书记"]), one,
                                                             STATS) < sim.OTHER_SUBJECT_THRESHOLD
    assert sim.compare(keys(text, "西河县石门镇龙潭村", persons=["罗书记"]), one, STATS) == []
    for same_or_unknown in ("萧某", "彪哥", "副镇长", "肖"):
        assert "content" in codes(sim.compare(keys(text, "西河县石门镇龙潭村", persons=[same_or_unknown]), one, STATS))
    # The surname's sound is keyed with no place: a report giving only the district meets one giving the street.
    county = keys("有人把公租房分给自己的亲戚，两户都有商品房还占着公租房，群众意见很大，请区里查处。", "白沙区",
                  persons=["宁某英"])
    street = "公租房给了亲戚，有房户还占着公租房，排队三年排不上。"
    assert not sim.surnames_contradict(keys(street, "白沙区城南街道", persons=["宁某"]), county)
    # (宁某 is a surname given alone, 宁某英 the same surname, only the district in common: the surname says so too.)
    assert codes(sim.compare(keys(street, "白沙区城南街道", persons=["宁某"]), county, STATS)) == ["surname", "content"]
    assert sim.surnames_contradict(keys(street, "白沙区城南街道", persons=["周某"]), county)


def test_only_a_surname_given_with_confidence_is_sounded():
    sound = {name: sim.surname_sound(sim.parse_name(name))
             for name in ("肖主任", "萧某", "老李", "胡老四", "村支书张某", "黎志华", "欧阳明", "彪哥", "张哥", "二毛",
                          "副镇长", "姓杜的护工", "柏树村党支部书记", "书记")}
    assert sound["肖主任"] == sound["萧某"] == "xiao"
    assert (sound["老李"], sound["胡老四"], sound["村支书张某"], sound["黎志华"], sound["欧阳明"]) == (
        "li", "hu", "zhang", "li", "ouyang")
    assert not any(sound[n] for n in ("彪哥", "张哥", "二毛", "副镇长", "姓杜的护工", "柏树村党支部书记", "书记"))


def test_a_registered_name_meets_the_name_people_use_without_its_filler_words():
    # What a registered name adds after the trade (服务, 管理, 中心; 信息 before 咨询) people leave out.
    for full, short in [
        ("东山市瑞丰物业服务有限公司", "瑞丰物业"),
        ("南川县康宁物业管理有限公司", "康宁物业公司"),
        ("东山市汇元信息咨询服务有限公司", "汇元咨询公司"),
        ("西河县金沙湾足浴中心", "金沙湾足浴"),
    ]:
        assert sim.organisation_key_sets(full)[0] & sim.organisation_key_sets(short)[0], (full, short)
    # Another firm of the same trade stays another firm; a trade alone names none.
    assert not sim.organisation_key_sets("东山市瑞丰物业服务有限公司")[0] & sim.organisation_key_sets("瑞祥物业")[0]
    assert not sim.organisation_key_sets("汇元信息咨询")[1] & sim.organisation_key_sets("汇通咨询")[1]
    assert "物业" not in sim.organisation_key_sets("东山物业服务有限公司", ("东山",))[0] - {"东山物业"}


def test_a_county_hospital_by_its_common_name_and_by_a_department():
    # 县医院 is the county's 人民医院; a department (骨科, 妇产科, 三病区) names its hospital.
    for a, b in [("南川县人民医院", "南川县医院"), ("南川县人民医院骨科", "南川县医院"),
                 ("南川县医院妇产科", "南川县人民医院"), ("东山市第一人民医院三病区", "东山市第一医院")]:
        assert sim.organisation_key_sets(a)[0] & sim.organisation_key_sets(b)[0], (a, b)
    # Another county's hospital, or another hospital of the county, stays apart.
    assert not sim.organisation_key_sets("南川县人民医院")[0] & sim.organisation_key_sets("西河县人民医院")[0]
    assert not sim.organisation_key_sets("南川县人民医院")[0] & sim.organisation_key_sets("南川县中医院")[0]


def test_a_village_named_in_a_passive_sentence_is_still_found():
    # "……砖厂被村书记……": 被 (like 把, 给) is a word of the sentence, never part of a place, so the one village the
    # content names (石坪村) is found.
    assert sim.places_in_text("反映：南川县青龙镇石坪村村办砂场被村主任亲戚低价承包，钱给村干部分了。",
                              sim.place_chain("南川县")) == (("town~", "青龙"), ("village~", "石坪"))
    assert sim.places_in_text("厂子被村里卖了，钱被镇上拿走。", sim.place_chain("南川县")) == ()


def test_a_surname_said_as_such_is_a_surname_only():
    # 黄姓老板, 一名王姓男子, 蔡姓兄弟: the person by surname (and post), never a full name 黄姓老.
    assert sim.parse_name("黄姓老板") == sim.PersonName(surname="黄", post="老板")
    assert sim.parse_name("一名王姓男子") == sim.PersonName(surname="王")
    assert sim.parse_name("孙姓兄弟") == sim.PersonName(surname="孙")
    # so it meets the full name of the same township when the wording agrees in part
    letter = keys("白石镇所有工地的砂石都要买黄德海的，价格高出三成，别家砂石车进不去工地。", "南川县白石镇",
                  ["黄德海"])
    summary = keys("来电人反映：白石镇工地被一黄姓老板垄断，强迫工地购买其砂石，价格高。", "南川县", ["黄姓老板"])
    assert "surname" in codes(sim.compare(summary, letter, STATS))
    # and another surname said so is someone else
    other = keys("来电人反映：白石镇工地被一郑姓老板垄断，强迫工地购买其砂石，价格高。", "南川县", ["郑姓老板"])
    assert "surname" not in codes(sim.compare(other, letter, STATS))


def test_a_withheld_character_meets_the_full_name_in_the_same_township_with_the_wording_agreeing_a_little():
    # 陈某芳 fits 陈玉芳 of the same township (one report perhaps naming the township only in its text) when the
    # wording agrees a little; a name it does not fit stays apart.
    letter = keys("河口乡的陈玉芳放高利贷，月息十分，还不上就带人到家里坐着不走，还把摩托车开走。", "西河县河口乡",
                  ["陈玉芳"])
    summary = keys("来电人反映：河口乡有妇女陈某芳放贷，利息高，暴力索债，要求查处。", "西河县", ["陈某芳"])
    assert "name_typo" in codes(sim.compare(summary, letter, STATS))
    other = keys("来电人反映：河口乡有妇女陈某兰放贷，利息高，暴力索债，要求查处。", "西河县", ["陈某兰"])
    assert "name_typo" not in codes(sim.compare(other, letter, STATS))


def test_a_township_named_after_its_county_or_a_village_after_its_township_is_found_in_the_text():
    # A district and its street office of one name (东湖区 and 东湖街道), a township and its seat village (青山乡
    # and 青山村): the content naming the lower one gives that level, so that it can agree or differ.
    assert sim.places_in_text("东湖街道一家足浴店涉黄。", sim.place_chain("东湖区")) == (("town~", "东湖"),)
    assert sim.places_in_text("青山村有人聚众赌博。", sim.place_chain("南川县青山乡")) == (("village~", "青山"),)
    assert sim.places_in_text("东湖区有人聚众赌博。", sim.place_chain("东湖区")) == ()


def test_a_lender_or_a_foot_bath_by_what_people_call_it_and_a_firm_taken_down_by_ear():
    # 金融 / 贷款 / 足浴店 say what a firm does, not which one it is; a core of three characters meets its homophone.
    for full, short in [
        ("东山市汇金信息咨询有限公司", "汇金金融"),
        ("东山市汇金信息咨询有限公司", "汇金贷款公司"),
        ("西河县金沙湾足浴有限公司", "金沙湾足浴店"),
        ("西河县金足缘足浴店", "金足源足疗"),
        ("南川县鑫源汇商贸有限公司", "新源汇商贸"),
    ]:
        assert sim.organisation_key_sets(full)[1] & sim.organisation_key_sets(short)[1], (full, short)
    # Another firm stays another: a different sound, or a two-character core whose sound many firms share.
    for a, b in [("西河县金足缘足浴店", "金福缘足浴"), ("东山市鑫隆商贸有限公司", "新隆商贸"),
                 ("东山市汇金信息咨询有限公司", "汇通金融")]:
        assert not sim.organisation_key_sets(a)[1] & sim.organisation_key_sets(b)[1], (a, b)
    # The sound is a key, never a word cut out of the content.
    assert not any(gram.startswith(sim.SOUND_MARK)
                   for gram in keys("金足缘足浴店涉黄。", "西河县", (), ["金足缘足浴店"]).shingles)


def test_an_association_by_the_first_word_of_its_trade():
    # 水产流通协会 is called 水产协会, 个体劳动者协会 个体协会; another trade's association stays another.
    for full, short in [("东山市水产流通协会", "水产协会"), ("西河县个体劳动者协会", "个体协会"),
                        ("南川县建材经营商会", "建材商会")]:
        assert sim.organisation_key_sets(full)[0] & sim.organisation_key_sets(short)[0], (full, short)
    assert not sim.organisation_key_sets("东山市水产流通协会")[0] & sim.organisation_key_sets("水果协会")[0]
    assert not sim.organisation_key_sets("东山市水产流通协会")[0] & sim.organisation_key_sets("渔业协会")[0]


def test_a_one_line_report_too_short_to_compare_meets_the_same_named_organisation_of_its_place():
    # "东湖星光KTV涉毒。" says too little for the wording to agree or differ: the same organisation of the same
    # district is a candidate (never a link); the same name from another township, or a long report that does not
    # agree, is not.
    letter = keys("东湖街道星光KTV老板容留吸毒，包厢里有人吸K粉，还卖奶茶包，警察来之前总有人通知。", "东湖区东湖街道",
                  (), ["星光KTV"])
    short = keys("东湖星光KTV涉毒。", "东湖区", (), ["星光ktv"])
    found = sim.compare(short, letter, STATS)
    assert "org_name" in codes(found) and not any(r.exact for r in found)
    elsewhere = keys("青山镇星光KTV涉毒。", "东湖区青山镇", (), ["星光ktv"])
    assert not sim.compare(elsewhere, letter, STATS)
    other = keys("星光KTV拖欠服务员三个月工资，找老板要钱就说没钱，还把人赶出来，劳动监察也不管。", "东湖区",
                 (), ["星光KTV"])
    assert "org_name" not in codes(sim.compare(other, letter, STATS))


def test_a_village_clerk_is_a_post_and_a_family_said_by_its_surname_is_a_surname_only():
    # 村文书 is a village post (never a person named 村文书); 魏家兄弟, 王家父子: people given by surname only.
    assert sim.parse_name("村文书") == sim.PersonName(post="文书")
    assert sim.parse_name("李文书") == sim.PersonName(surname="李", post="文书")
    for said, surname in [("魏家兄弟", "魏"), ("王家父子", "王"), ("刘家人", "刘")]:
        assert sim.parse_name(said) == sim.PersonName(surname=surname), said
    letter = keys("西河县青石镇柳塘村文书李国强把外出户的耕地补贴报在自己名下，每年多领一万多元，村民一分没拿到。",
                  "西河县青石镇柳塘村", ["李国强"])
    summary = keys("来电人反映：青石镇柳塘村文书冒领耕地补贴，村民没有领到。", "西河县青石镇", ["村文书"])
    assert sim.compare(summary, letter, STATS)
    clan = keys("西河县青石镇柳塘村周大海、周大江兄弟把持村务，外姓村民分宅基地受排挤，讨说法的被围着打。",
                "西河县青石镇柳塘村", ["周大海", "周大江"])
    family = keys("柳塘村周家兄弟是村霸，外姓村民分宅基地受排挤。", "青石镇柳塘村", ["周家兄弟"])
    assert "surname" in codes(sim.compare(family, clan, STATS))
    # another family of the village is someone else
    other = keys("柳塘村吴家兄弟是村霸，外姓村民分宅基地受排挤。", "青石镇柳塘村", ["吴家兄弟"])
    assert "surname" not in codes(sim.compare(other, clan, STATS))


def test_a_township_and_its_village_run_together_without_their_level_words():
    # 青石柳塘 for 青石镇柳塘村: the village is found by what follows the township; another village of the
    # township (青石马塘) stays another place.
    assert sim.place_level(sim.place_chain("青石柳塘"), sim.place_chain("西河县青石镇柳塘村")) == "village"
    assert sim.place_level(sim.place_chain("白沙小河湾"), sim.place_chain("西河县白沙镇小河湾村")) == "village"
    assert sim.place_level(sim.place_chain("青石马塘"), sim.place_chain("西河县青石镇柳塘村")) == "conflict"
    assert sim.place_chain("桃园") == (("village" + sim.GUESSED, "桃园"),)
    letter = keys("西河县青石镇柳塘村党支部书记周建华的儿媳、妹夫都吃低保，妹夫在县城开装修公司，有车有房。",
                  "西河县青石镇柳塘村", ["周建华"])
    short = keys("柳塘周书记家亲戚吃低保，关系保。", "青石柳塘", ["周书记"])
    assert "surname" in codes(sim.compare(short, letter, STATS))
    elsewhere = keys("马塘周书记家亲戚吃低保，关系保。", "青石马塘", ["周书记"])
    assert "surname" not in codes(sim.compare(elsewhere, letter, STATS))


def test_a_village_post_given_alone_meets_its_named_holder_in_the_same_village():
    # 村会计 alone against 会计刘某某 of the same village, the wording agreeing as for a near name but short of what
    # the same village asks of the wording alone: a candidate; the same post in another village, or a holder of
    # another surname named on both sides, is not.
    letter = keys("西河县青石镇柳塘村会计刘秀兰把她娘家哥哥、她婆婆都报成低保户，她哥家有两辆货车。真正困难的老人评不上。",
                  "西河县青石镇柳塘村", ["刘秀兰"])
    summary = keys("来电人称：柳塘村村会计给亲戚办人情保，多年不公开账目，要求核查。", "西河县青石镇", ["村会计"])
    assert sim.content_similarity(summary, letter, STATS) < sim.SAME_PLACE_THRESHOLD
    assert "post" in codes(sim.compare(summary, letter, STATS))
    elsewhere = keys("来电人称：马塘村村会计给亲戚办人情保，要求核查。", "西河县青石镇", ["村会计"])
    assert "post" not in codes(sim.compare(elsewhere, letter, STATS))
    other = keys("柳塘村会计陈国富给亲戚办人情保，要求核查。", "西河县青石镇柳塘村", ["陈国富"])
    assert not sim.compare(other, letter, STATS)


def test_an_autonomous_county_written_short_is_the_same_county():
    # 西河苗族自治县 is what people write as 西河县 (and 自治 with several peoples, 布依族苗族); another county
    # stays another, and a hospital of the county is one hospital by either name.
    assert sim.place_chain("西河苗族自治县青石镇柳塘村") == sim.place_chain("西河县青石镇柳塘村")
    assert sim.place_chain("南岭布依族苗族自治县") == (("county", "南岭"),)
    assert sim.place_level(sim.place_chain("西河彝族自治县青石镇"), sim.place_chain("东坡县青石镇")) == "conflict"
    assert sim.normalise_organisation("西河苗族自治县人民医院") == sim.normalise_organisation("西河县人民医院")
    assert sim.place_chain("广西壮族自治区") == sim.place_chain("广西壮族自治区")  # a province's name is kept
    letter = keys("西河苗族自治县青石镇柳塘村支书周建华把集体林地划到自己名下，砍了杉木卖钱，群众去问就被他兄弟打。",
                  "西河苗族自治县青石镇柳塘村", ["周建华"])
    summary = keys("来电人反映：青石镇柳塘村支书周某霸占集体林地砍伐卖钱，其亲属殴打村民，要求核查。", "西河县", ["周某"])
    assert sim.compare(summary, letter, STATS)


def test_a_hotline_number_after_the_region_is_no_place():
    # 西河县12345 (the hotline that took the call) is the county; the township the content names still counts.
    assert sim.place_chain("西河县12345") == (("county", "西河"),)
    summary = keys("来电人反映：青石镇柳塘村支书周某为亲属违规办理低保，请核查。", "西河县12345", ["周某"])
    assert sim.place_level(summary.places, sim.place_chain("西河县青石镇柳塘村")) == "village"


def test_a_place_whose_name_begins_with_xin_is_found_in_the_text():
    # 新寨乡新寨村 after a colon or a level word is a place; 移民新村, 我们新镇 are words.
    assert sim.places_in_text("来电人反映：新寨乡新桥村换届拉票", (("county", "西河"),)) == (
        ("town~", "新寨"), ("village~", "新桥"))
    assert sim.places_in_text("搬到移民新村后，我们新镇的人", (("county", "西河"),)) == ()


def test_people_of_different_surnames_at_two_bodies_or_two_villages_stay_apart_whatever_the_wording():
    # The same stock hotline wording about 派出所民警潘某 and 综治办干部龙某 of one township, or about two village
    # heads of different surnames in two villages: two matters. The same person by a withheld name is still met.
    police = keys("来电人反映：青石镇派出所民警潘某涉嫌为辖区赌博窝点通风报信、充当保护伞。", "西河县",
                  ["潘某"], ["西河县公安局青石派出所"])
    office = keys("来电人反映：青石镇综治办干部龙某为镇上的卖淫窝点通风报信，涉嫌充当保护伞。", "西河县青石镇",
                  ["龙某"], ["青石镇综治办"])
    assert sim.content_similarity(office, police, STATS) >= sim.OTHER_SUBJECT_THRESHOLD
    assert not sim.compare(office, police, STATS)
    same = keys("来电人反映：青石镇派出所民警潘某为赌博窝点通风报信、充当保护伞。", "西河县青石镇",
                ["潘某"], ["青石派出所"])
    assert sim.compare(same, police, STATS)
    head = keys("来电人反映：青石镇柳塘村村委会主任王某将亲属违规纳入低保，困难户未纳入，请核实。", "西河县", ["王某"])
    other = keys("来电人反映：青石镇马塘村村委会主任胡某为亲属违规办理低保。", "西河县青石镇", ["胡某"])
    assert not sim.compare(other, head, STATS)


def test_a_village_ending_in_shang_or_xia_right_after_its_township_is_found_in_the_text():
    # 青石镇坪上村, 青石乡岩下村 are villages; 晚上村干部, 乡下村里 are words.
    assert sim.places_in_text("来电人反映：青石镇坪上村村委会主任胡某", (("county", "西河"),)) == (
        ("town~", "青石"), ("village~", "坪上"))
    assert sim.places_in_text("青石乡岩下村有人采砂", (("county", "西河"),))[-1] == ("village~", "岩下")
    assert sim.places_in_text("晚上村干部来了", (("county", "西河"),)) == ()


def test_a_place_the_content_names_is_compared_as_a_place_not_again_as_wording():
    # Two hotline summaries filed under the county, each naming the township and village in the text, about two
    # matters: the place makes them neighbours (the same village asks less of the wording), not alike.
    fees = keys("来电人反映：青石镇柳塘村小学乱收补课费，每个学生八百元。", "西河县")
    sand = keys("来电人反映：青石镇柳塘村有人在河边挖沙卖钱，河堤都挖空了。", "西河县")
    assert sim.place_level(fees.places, sand.places) == "village"
    assert not {"青石", "柳塘", "塘村"} & (fees.shingles | sand.shingles)
    assert sim.compare(sand, fees, STATS) == []
    # A summary naming the place in the text meets the letter whose region gives it on what happened, the place
    # words no longer weighing on the summary's side only.
    letter = keys("我们村的河滩被人挖沙挖空了，晚上几辆挖机一起干，河堤塌了一段。", "西河县青石镇柳塘村")
    assert "content" in codes(sim.compare(sand, letter, STATS))


def test_a_township_named_after_its_quarter_of_the_town_is_found_in_the_text():
    # 城南街道, 城关镇 are townships; 城中村, 城乡 are words.
    assert sim.places_in_text("来电人反映：城南街道柳巷社区有人强收停车费", (("county", "白沙"),)) == (
        ("town~", "城南"), ("village~", "柳巷"))
    assert sim.places_in_text("城关镇的菜市场", (("county", "白沙"),)) == (("town~", "城关"),)
    assert sim.places_in_text("城中村改造，城乡结合部", (("county", "白沙"),)) == ()


def test_the_first_village_a_report_names_is_where_it_happened():
    # A report naming its village first and a phrase that reads like another later (霸占村集体, 通过社区初审): the
    # first is the place.
    assert sim.places_in_text("来电人反映：青石镇柳塘村村民张某霸占村集体鱼塘。", (("county", "西河"),)) == (
        ("town~", "青石"), ("village~", "柳塘"))
    assert sim.places_in_text("幸福社区的名单已通过社区初审", (("county", "白沙"),)) == (("village~", "幸福"),)


def test_people_of_different_surnames_are_two_matters_however_alike_the_wording():
    # The same stock complaint (放高利贷, 暴力催收) about 罗某 and about 黄某: two people, two matters, however much
    # of the wording agrees; a report naming no one, or someone of the same surname, still meets it.
    one = keys("白马镇罗某放高利贷，借一万每月利息一千，还不上就上门泼油漆、堵门。", "东山县白马镇", ["罗某"])
    other = keys("白马镇黄某放高利贷，借一万每月利息一千，还不上就派人堵门泼油漆。", "东山县", ["黄某"])
    assert sim.content_similarity(other, one, STATS) >= sim.OTHER_SUBJECT_THRESHOLD
    assert sim.compare(other, one, STATS) == []
    for same_or_unknown in (["罗老板"], []):
        again = keys("白马镇有人放高利贷，借一万每月利息一千，还不上就上门泼油漆。", "东山县", same_or_unknown)
        assert "content" in codes(sim.compare(again, one, STATS))


def test_a_cooperative_is_a_legal_form_not_wording():
    # 专业合作社, like 有限公司, says what an organisation is, not what happened.
    found = keys("丰收农机专业合作社的收割机把秸秆掉在公路上。", "东山县白马镇", organisations=["丰收农机专业合作社"])
    assert not {"合作", "作社"} & found.shingles
    other = keys("白马镇的养殖合作社粪水直排河沟。", "东山县白马镇")
    assert not {"合作", "作社"} & other.shingles


def test_the_same_stock_complaint_from_two_villages_of_one_township_is_two_matters():
    # 放高利贷, 暴力讨债 in 柳塘村 and in 马塘村 of one township: two matters however alike the wording, whichever
    # report gives its village in the region and whichever in the text; the same village still meets it.
    one = keys("白马镇柳塘村有人放高利贷，月息五分，还不上就暴力讨债，扣押借款人的车。", "东山县白马镇柳塘村")
    other = keys("来电人反映：白马镇马塘村有人放高利贷月息五分，暴力讨债，扣车。", "东山县")
    assert sim.content_similarity(other, one, STATS) >= sim.CONTENT_THRESHOLD
    assert sim.compare(other, one, STATS) == []
    same = keys("来电人反映：白马镇柳塘村有人放高利贷月息五分，暴力讨债，扣车。", "东山县")
    assert "content" in codes(sim.compare(same, one, STATS))


def test_a_name_without_its_level_word_or_written_by_ear_is_not_a_second_village():
    # 白马 alone is the township the other report gives (白马镇柳塘村), not a second village; 三岔 and 三汊 sound
    # alike: one village written two ways. 柳塘 and 马塘 are two.
    letter = sim.place_chain("东山县白马镇柳塘村")
    assert not sim._villages_differ(sim.place_chain("白马"), letter)
    assert not sim._villages_differ(sim.place_chain("东山县白马镇三岔村"), sim.place_chain("东山县白马镇三汊村"))
    assert sim._villages_differ(sim.place_chain("东山县白马镇马塘村"), letter)


def test_a_village_beginning_with_xia_or_shang_after_its_township_and_no_village_of_a_township_word():
    # 石塘镇下湾村 and 来电人反映：上坪村 name villages; 请镇村级组织 (the township and its villages) names none.
    assert sim.places_in_text("来电人反映：石塘镇下湾村支书刘某霸占村集体鱼塘。", (("county", "西河"),)) == (
        ("town~", "石塘"), ("village~", "下湾"))
    assert sim.places_in_text("来电人反映：上坪村换届拉票。", (("county", "西河"),)) == (("village~", "上坪"),)
    assert sim.places_in_text("请镇村级组织换届工作领导小组核查。", (("county", "西河"), ("town", "石塘"))) == ()


def test_a_post_of_a_place_given_as_the_name_is_no_name():
    # 柳湾村书记 or 白马镇镇长 in the name field: the post of that place, no one named 柳湾村.
    for raw, post in [("柳湾村书记", "书记"), ("白马镇镇长", "镇长")]:
        name = sim.parse_name(raw)
        assert (name.full, name.surname, name.post) == ("", "", post), raw
    assert sim.parse_name("张村长").surname == "张"


def test_a_place_written_bare_that_is_not_the_other_reports_township_is_another_place():
    # 南门 (no level word) against a letter from 白马镇: another place, so the same stock wording (围标串标) is no
    # candidate; 白马渔港 or 原白马乡 written bare is the township itself, and a report giving only the county says
    # nothing either way.
    letter = keys("白马镇的道路硬化工程，宏达建筑围标串标，每次都拉几家公司陪标，中标后再转包给小包工头。",
                  "东山县白马镇", organisations=["宏达建筑"])
    text = "有建筑公司围标串标，每次都拉三四家公司陪标，中标后再转包。"
    assert sim.content_similarity(keys(text, "南门"), letter, STATS) >= sim.CONTENT_THRESHOLD
    assert sim.compare(keys(text, "南门"), letter, STATS) == []
    for same_or_unknown in ("白马渔港", "东山县"):
        assert "content" in codes(sim.compare(keys(text, same_or_unknown), letter, STATS)), same_or_unknown


def test_a_place_and_its_post_given_as_the_name_is_a_post_alone_and_another_post_someone_else():
    # 柳塘社区主任 typed where the name goes is the community's 主任, no one named 柳塘社区: against its named holder
    # of the same community the wording asks what the same community asks of it.
    assert sim.parse_name("柳塘社区主任") == sim.PersonName(post="主任")
    assert sim.parse_name("青石镇副镇长") == sim.PersonName(post="镇长")
    assert sim.parse_name("张村主任").surname == "张"  # a surname and its post, not a place
    summary = keys("来电人反映：柳塘社区主任为亲属违规办理低保，请核查。", "西河县青石街道", ["柳塘社区主任"])
    letter = keys("青石街道柳塘社区主任王丽给她亲妹妹办了低保，她妹妹在超市上班，家里有两套房。",
                  "西河县青石街道柳塘社区", ["王丽"])
    assert sim.content_similarity(summary, letter, STATS) < sim.OTHER_SUBJECT_THRESHOLD
    assert "content" in codes(sim.compare(summary, letter, STATS))
    # A village's 支书 given alone and a hospital's named 院长 are two people: the same stock closing words
    # (严重损害群众利益) ask the wording of two people.
    secretary = keys("我们村的支书优亲厚友，低保都给了他的亲戚，真正困难的群众评不上。严重损害群众利益，请领导高度重视。",
                     "西河县青石镇柳塘村", ["柳塘村支书"])
    doctor = keys("青石镇卫生院院长钱卫国伙同医保经办人员套取医保基金，让村里老人挂名住院。严重损害群众利益，恳请彻查。",
                  "西河县青石镇", ["钱卫国"], ["西河县青石镇卫生院"])
    assert sim.SAME_PLACE_THRESHOLD <= sim.content_similarity(secretary, doctor, STATS) < sim.OTHER_SUBJECT_THRESHOLD
    assert not sim.compare(secretary, doctor, STATS)


def test_a_township_run_into_its_village_with_the_village_word():
    # 青石柳塘村 for 青石镇柳塘村: the village's word is there, the township's not; still the village 柳塘.
    assert sim.place_level(sim.place_chain("青石柳塘村"), sim.place_chain("西河县青石镇柳塘村")) == "village"
    assert sim.place_level(sim.place_chain("青石马塘村"), sim.place_chain("西河县青石镇柳塘村")) == "conflict"
    assert sim.place_chain("柳塘村") == (("village", "柳塘"),)


def test_more_registered_words_people_leave_out_and_numbered_hospitals():
    # 河道管理所 = 河道所 (with its place, a kind of local body), 商务信息咨询 = 咨询, 水产批发市场 = 水产市场,
    # a company's branch is the company's, 县二院 = 县第二人民医院.
    for a, b in [("西河县河道所", "西河县水利局河道管理所"), ("恒达咨询公司", "东山市恒达商务信息咨询有限公司"),
                 ("青石水产市场", "青石水产批发市场"), ("西河县二院", "西河县第二人民医院"),
                 ("东山市快贷通商务咨询有限公司青石分公司", "快贷通咨询")]:
        assert sim.organisation_key_sets(a)[0] & sim.organisation_key_sets(b)[0], (a, b)
    assert "快贷通" in sim.organisation_key_sets("东山市快贷通商务咨询有限公司青石分公司")[1]
    # ... but a station by its kind alone names none: 河道所 is a county's only with the county.
    assert "河道所" not in sim.organisation_key_sets("西河县水利局河道管理所")[0]
    assert not sim.organisation_key_sets("西河县二院")[0] & sim.organisation_key_sets("东山县第二人民医院")[0]


def test_a_city_body_named_by_a_report_filed_at_the_city_is_the_citys():
    # 市中医院 in a report filed at 东山市 is 东山市中医院.
    summary = keys("来电人反映：市中医院骨科指定使用高价钢板，疑收回扣，请卫健委核查。", "东山市", (), ["市中医院"])
    letter = keys("东山市中医院骨科医生收医药代表回扣，给病人用指定的进口钢板，一块贵两万。", "东山市", (), ["东山市中医院"])
    assert "org_name" in codes(sim.compare(summary, letter, STATS))
    other = keys("来电人反映：市中医院骨科指定使用高价钢板，疑收回扣。", "南岭市", (), ["市中医院"])
    assert not other.org_names & letter.org_names


def test_a_body_that_stands_for_its_place_names_the_place_where_the_region_stops_above_it():
    # A report filed at the district about 柳塘社区居委会 is from 柳塘社区, even when its text names no place (or two).
    summary = keys("来电人反映：安置房分配中社区负责人收取好处费，请核查。", "西河区", (), ["柳塘社区"])
    assert ("village" + sim.MENTIONED, "柳塘") in summary.places
    letter = keys("柳塘社区是易地搬迁安置点，社区主任分房子要收好处费，给了钱的能分到好楼层。", "西河区青石街道柳塘社区",
                  (), ["柳塘社区居委会"])
    assert sim.place_level(summary.places, letter.places) == "village"
    # The region's own village wins: a body named for it is no second place.
    assert keys("……", "西河区青石街道马塘社区", (), ["柳塘社区"]).places == sim.place_chain("西河区青石街道马塘社区")


def test_a_housing_estate_called_a_home_is_named_after_its_place():
    # 南关家园小区 is 南关's estate: a report from 南关社区 is from there.
    assert sim.place_level(sim.place_chain("河东区南关家园小区"), sim.place_chain("南关社区")) == "village"


def test_a_report_naming_no_one_meets_one_from_the_same_village_about_the_same_kind_of_problem():
    # The stock words of one kind of problem, however else worded: 开赌场 / 打大牌 / 六合彩, 偷采河沙 / 非法采砂.
    assert sim.problem_kinds("开赌场，天天打大牌") == sim.problem_kinds("有人卖六合彩") == {sim.PROBLEM_TOKEN + "赌博"}
    assert sim.problem_kinds("偷采河沙") == sim.problem_kinds("非法采砂") == {sim.PROBLEM_TOKEN + "采砂"}
    # A hotline summary naming no one, of a letter from the same village: the wording shares too little to say so
    # (a kind of problem is no wording), the kind of problem and the village do.
    letter = keys("柳塘村河段天天晚上有人偷采河沙，几条抽沙船从半夜干到天亮，河堤都被挖塌了。领头的叫周国富，村里没人敢拦。",
                  "西河县青石镇柳塘村", ["周国富"])
    summary = keys("来电人反映：青石镇柳塘村河道有人使用挖机非法采砂，破坏河道，请水务部门查处。", "西河县")
    assert sim.content_similarity(summary, letter, STATS) < sim.SUPPORT_THRESHOLD
    assert codes(sim.compare(summary, letter, STATS)) == ["problem"]
    # Not another village of the township, nor the township alone with the wording this far apart (it has many such
    # matters), nor where both name someone, nor another kind of problem.
    for content, persons in [("来电人反映：青石镇马塘村河道有人使用挖机非法采砂，破坏河道。", ()),
                             ("来电人反映：青石镇河道有人使用挖机非法采砂，破坏河道。", ()),
                             ("来电人反映：青石镇柳塘村王大军使用挖机非法采砂，破坏河道。", ["王大军"]),
                             ("来电人反映：青石镇柳塘村有人在家中组织赌博，请公安查处。", ())]:
        assert not sim.compare(keys(content, "西河县", persons), letter, STATS), content
    # Intake looks for such reports by their kind of problem below what the village asks of the wording.
    assert sim.below_threshold(summary) == (
        (frozenset({sim.PROBLEM_TOKEN + "采砂"}), sim.POST_SUPPORT_THRESHOLD, frozenset(), "village"),
        (frozenset({sim.PROBLEM_TOKEN + "采砂"}), sim.SUPPORT_THRESHOLD, frozenset(), "town"))
    # In one township, with the wording agreeing as for a near name: the summary of a letter from one of its villages.
    call = keys("来电反映：青石镇有船只非法抽砂，河堤坍塌，请水务部门查处。", "西河县青石镇")
    assert sim.SUPPORT_THRESHOLD <= sim.content_similarity(call, letter, STATS) < sim.SAME_PLACE_THRESHOLD
    assert codes(sim.compare(call, letter, STATS))[0] == "problem"
    assert not sim.compare(keys("来电反映：青石镇有船只非法抽砂，堤坝坍塌，请查处。", "西河县青石镇"), letter, STATS)
    # A report that names someone looks so only for earlier reports that name no one.
    assert sim.below_threshold(letter)[0][2] == {sim.NAMED_TOKEN, sim.POSTED_TOKEN, sim.SURNAMED_TOKEN}


def test_the_kinds_of_problem_cover_a_project_built_badly_a_road_barred_and_a_clan_holding_a_village():
    # A village road or water project built badly (偷工减料 / 一压就开裂), a road barred for money (设卡 / 过路费),
    # collective property taken (集体厂房 / 承包费), a clan ruling a village (宗族 / 外姓): the stock words of each
    # kind, so that a hotline summary naming no one meets the letter from the same village.
    for words, kind in [(("村道偷工减料", "路面一压就开裂"), "工程质量"), (("在路口设卡", "收过路费"), "阻工设卡"),
                        (("集体厂房被占", "承包费不交"), "集体资产"), (("宗族势力把持村务", "外姓人受欺负"), "宗族势力"),
                        (("有人卖罂粟", "种大烟"), "毒品"), (("小姐拉客", "有偿陪侍"), "涉黄")]:
        for text in words:
            assert sim.PROBLEM_TOKEN + kind in sim.problem_kinds(text), text
    letter = keys("岭下村去年修的通组水泥路，设计十八公分厚，实际不到十公分，半年不到到处开裂，村主任的堂弟包的工程，"
                  "用的料都是次的。", "西河县青石镇岭下村", ["刘志国"])
    summary = keys("来电人反映：青石镇岭下村新修道路偷工减料，要求核查。", "西河县")
    assert sim.content_similarity(summary, letter, STATS) < sim.SUPPORT_THRESHOLD
    assert codes(sim.compare(summary, letter, STATS)) == ["problem"]
    # Rent and land words are no kind: every village's collective land is let, and a farm's business is 流转.
    assert not sim.problem_kinds("土地流转的租金没有给") & {sim.PROBLEM_TOKEN + "集体资产"}


def test_a_village_post_and_an_office_post_are_two_people():
    # One report about a village's 文书 (or 组长, 会计), the other about a township office's 所长 or a school's 校长:
    # two people of two bodies, however alike the stock wording (索要好处费). Two reports both about a 所长, or one
    # naming only a 干部, stay comparable on the wording.
    village = keys("反映柳塘村文书在危房改造中向申请户索要好处费，每户一两千元，不给就不报。", "东山县")
    office = keys("反映白马镇国土所所长在危房改造审批中向申请户索要好处费，不给就拖着不报。", "东山县")
    assert sim.content_similarity(village, office, STATS) >= sim.CONTENT_THRESHOLD
    assert sim.posts_contradict(village, office) and sim.posts_contradict(office, village)
    assert sim.compare(village, office, STATS) == []
    cadre = keys("反映白马镇有干部在危房改造审批中向申请户索要好处费，不给就拖着不报。", "东山县")
    assert not sim.posts_contradict(cadre, office)
    assert "content" in codes(sim.compare(cadre, office, STATS))


def test_people_named_by_different_identity_numbers_are_two_matters_on_the_wording():
    # Both reports give identity numbers and none agree (a 刘 of one township and another 刘): two people, whatever
    # the township's stock complaints share; the same number is one person.
    one = keys("柳塘镇刘建业（110101198001010010）开设赌场，天天有人打大牌，一晚上输赢上万，还放贷。", "东山县柳塘镇",
               persons=[("刘建业", "110101198001010010")])
    other = keys("柳塘镇刘建民（110101197505050038）开设赌场，天天打大牌，输赢上万，还放高利贷。", "东山县柳塘镇",
                 persons=[("刘建民", "110101197505050038")])
    assert sim.content_similarity(one, other, STATS) >= sim.SAME_PLACE_THRESHOLD
    assert sim.ids_contradict(one, other)
    assert "content" not in codes(sim.compare(one, other, STATS))


def test_a_township_beginning_with_xin_after_a_reporting_verb_is_found():
    # 反映新桥镇… or 位于新桥镇…: 新 begins the township's name (not 新 "new"), and its village after it is found too.
    chain = (("county", "东山"),)
    assert sim.places_in_text("信访件：反映新桥镇柳塘村组长截留补偿款。", chain) == (("town~", "新桥"), ("village~", "柳塘"))
    assert sim.places_in_text("工厂位于新桥镇，排污。", chain) == (("town~", "新桥"),)
    assert sim.places_in_text("他们又盖了新楼镇上的人都知道。", chain) == ()


def test_a_village_post_of_another_township_named_in_the_text_is_someone_else():
    # 赵主任 of a village of 白马镇 and 青石镇青石村村委会主任赵某 (the township only in the text of a report giving the
    # county): two villages' 主任 of two townships, whatever the stock complaint (低保) shares; the same township's
    # village named alike stays a candidate.
    letter = keys("白马镇柳塘村村主任赵某把低保名额给关系好的人，搞人情保，困难户评不上。", "东山县白马镇柳塘村",
                  persons=["赵某"])
    other = keys("来电人反映：青石镇青石村村委会主任赵某将亲属违规纳入低保，请核实。", "东山县", persons=["赵某"])
    assert sim._villages_differ(letter.places, other.places, "town")
    assert sim.SUPPORT_THRESHOLD <= sim.content_similarity(other, letter, STATS) < sim.CONTENT_THRESHOLD
    assert sim.compare(other, letter, STATS) == []
    same = keys("来电人反映：白马镇柳塘村村委会主任赵某将亲属违规纳入低保，请核实。", "东山县", persons=["赵某"])
    assert "surname" in codes(sim.compare(same, letter, STATS))


def test_the_post_written_beside_a_name_is_that_persons_and_another_post_in_the_text_someone_elses():
    # 组长吴德胜 …卖给外地老板: 吴德胜 is the 组长, the 老板 someone else; so 吴老板 of the township is not he. A text
    # naming its person without a post beside the name keeps every post it names.
    assert sim.post_tokens("柳塘村三组组长吴德胜把组里的集体林地卖给外地老板种果树。", (sim.parse_name("吴德胜"),)) == {"@组长"}
    assert sim.post_tokens("吴德胜是村里的组长，把林地卖给外地老板。", (sim.parse_name("吴德胜"),)) == {"@组长", "@老板"}
    boss = keys("白马镇上吴老板放高利贷，借钱要先押车，利息八分。", "东山县白马镇", persons=["吴老板"])
    leader = keys("柳塘村三组组长吴德胜把组里的集体林地卖给外地老板种果树，钱去哪了没人知道。", "东山县白马镇柳塘村",
                  persons=["吴德胜"])
    assert "surname" not in codes(sim.compare(boss, leader, STATS))


def test_a_villager_is_not_the_villages_official_of_the_same_surname():
    # 村民吴某林 building on farmland and 村委会主任吴某 of the same village: two people of one surname, so no
    # surname candidate however the stock wording (违规, 请核实) reads.
    assert sim.post_tokens("柳塘村村民吴某林在基本农田上建房。", (sim.parse_name("吴某林"),)) == {"@村民"}
    villager = keys("来电人反映：白马镇柳塘村村民吴某林在基本农田上违规建房，请核实查处。", "东山县白马镇",
                    persons=["吴某林"])
    official = keys("来电人反映：白马镇柳塘村村委会主任吴某将亲属违规纳入低保，请核实查处。", "东山县",
                    persons=["吴某"])
    assert sim._villager_against_post(villager, official)
    assert "surname" not in codes(sim.compare(villager, official, STATS))


def test_a_report_giving_no_place_meets_the_person_wherever_the_other_puts_them():
    # A note that says no place (nothing below the city, in the region or the text) may be from wherever the other
    # report is: 王书记 with the same complaint meets 村支书王德明 of a village as within one county, with the wording
    # agreeing besides; the same wording about no one alike, or a person alike with the wording apart, is none.
    letter = keys("柳塘村党支部书记王德明把低保名额给了自己的弟弟和儿媳，他弟弟在县城有门面有车，困难户申请三回都评不上。",
                  "东山县白马镇柳塘村", persons=["王德明"])
    note = keys("王书记搞关系保，他兄弟开着小车也吃低保，老百姓有意见。", "", persons=["王书记"])
    assert sim.is_unplaced(note.places) and not sim.is_unplaced(letter.places)
    assert sim.SUPPORT_THRESHOLD <= sim.content_similarity(note, letter, STATS) < sim.CONTENT_THRESHOLD
    assert codes(sim.compare(note, letter, STATS))[0] == "name_anywhere"
    assert codes(sim.compare(letter, note, STATS))[0] == "name_anywhere"
    other = keys("李书记搞关系保，他兄弟开着小车也吃低保，老百姓有意见。", "", persons=["李书记"])
    assert sim.compare(other, letter, STATS) == []
    apart = keys("王书记占了村里的鱼塘自己养鱼，谁去钓鱼就骂谁。", "", persons=["王书记"])
    assert sim.compare(apart, letter, STATS) == []
    # A name one character apart (王德民 / 王德明) is someone else anywhere in a city: only the same name, its sound
    # (王得明), a nickname or a surname with its post meet a report giving no place.
    for name, met in [("王德民", False), ("王得明", True)]:
        named = keys(f"{name}搞关系保，他兄弟开着小车也吃低保，老百姓有意见。", "", persons=[name])
        assert ("name_anywhere" in codes(sim.compare(named, letter, STATS))) is met, name
    # Two reports that both give places are compared by them, not as if one gave none.
    elsewhere = keys("青石镇党支部书记王德明把低保名额给了自己的弟弟，困难户评不上。", "南山县青石镇", persons=["王德明"])
    assert "name_anywhere" not in codes(sim.compare(elsewhere, letter, STATS))


def test_a_surname_given_alone_meets_the_full_name_where_only_the_county_is_common():
    # 李老大 of a report giving only the county, 李正荣 of one giving the village: one person when the wording agrees
    # a little more than for a near name there (SURNAME_WIDE_THRESHOLD); not someone of another surname, nor the
    # same surname with the wording apart, nor the same surname in another county.
    letter = keys("麻栗坪村的李正荣两兄弟仗着家里人多，强行占了我们组三户人家的承包地种烤烟，拿承包证给他看他也不认，"
                  "还把去理论的人打伤了。", "黑箐县麻栗坪乡麻栗坪村", persons=["李正荣"])
    note = keys("李老大一家在村里横，占了别人的承包地种烟，谁说就打谁。", "黑箐县", persons=["李老大"])
    assert sim.place_level(note.places, letter.places) == "county"
    assert sim.SURNAME_WIDE_THRESHOLD <= sim.content_similarity(note, letter, STATS) < sim.CONTENT_THRESHOLD
    assert codes(sim.compare(note, letter, STATS))[0] == "surname"
    assert "同区县" in sim.compare(note, letter, STATS)[0].label
    for name, content, region in [
            ("王老大", "王老大一家在村里横，占了别人的承包地种烟，谁说就打谁。", "黑箐县"),
            ("李老大", "李老大在集上收保护费，不交就掀摊子。", "黑箐县"),
            ("李老大", "李老大一家在村里横，占了别人的承包地种烟，谁说就打谁。", "南山县")]:
        assert sim.compare(keys(content, region, persons=[name]), letter, STATS) == [], (name, content, region)
    # A report giving no place at all is compared so too.
    placeless = keys("李老大一家在村里横，占了别人的承包地种烟，谁说就打谁。", "", persons=["李老大"])
    assert sim.is_unplaced(placeless.places) and codes(sim.compare(placeless, letter, STATS))[0] == "surname"
    # Intake looks for such reports through the marker of the people each gives (a full name, a surname alone).
    assert sim.surname_wide_markers(note) == sim.surname_wide_markers(placeless) == {sim.NAMED_TOKEN, sim.SURNAMED_TOKEN}
    # (or by a name with a character withheld, 王某军: that marker weighs nothing in the wording)
    assert sim.surname_wide_markers(letter) == {sim.SURNAMED_TOKEN, sim.WITHHELD_TOKEN}
    masked = keys("来电反映：王某军在村里放高利贷，利滚利。", "西河县青石镇", persons=["王某军"])
    assert sim.WITHHELD_TOKEN in masked.shingles and sim.WITHHELD_TOKEN not in letter.shingles
    assert STATS.weight(sim.WITHHELD_TOKEN) == 0


def test_a_given_name_with_zai_gong_a_post_or_alone_meets_the_full_name():
    # 永福仔 and 福山公 call 赖永福 and 农福山 by the given name (as 汉生叔 does); 德旺书记 is 洪德旺 with his post;
    # 海军 alone (海 no common surname) is 黄海军's given name as well as a name; 亚妹 is the south's 阿妹
    assert sim.parse_name("永福仔") == sim.PersonName(nickname="永福哥")
    assert sim.parse_name("金狮仔") == sim.PersonName(nickname="金狮哥")  # 金 a surname or not, 仔 follows a given name
    assert sim.parse_name("福山公") == sim.PersonName(nickname="福山哥")
    assert sim.parse_name("德旺书记") == sim.PersonName(nickname="德旺哥", post="书记")
    assert sim.parse_name("海军").nickname == "海军哥" and sim.parse_name("海军").full == "海军"
    assert sim.parse_name("亚妹") == sim.parse_name("阿妹")
    assert sim.parse_name("大伟") == sim.PersonName(nickname="大伟哥")
    # a common surname keeps its reading: 王伟 and 金德主任 are full names, 老疤 a nickname
    assert sim.parse_name("王伟") == sim.PersonName(full="王伟", surname="王")
    assert sim.parse_name("金德主任").full == "金德"
    letter = keys("洪厝村党支部书记洪德旺把村里的海滩养殖场低价包给他小舅子，一年才收三万，村民代表会都没开。",
                  "石湖县官桥镇洪厝村", persons=["洪德旺"])
    call = keys("来电反映洪厝村德旺书记把养殖场便宜包给亲戚。", "洪厝村", persons=["德旺书记"])
    assert codes(sim.compare(call, letter, STATS))[0] == "nickname"
    # another village's 德旺书记 is someone else
    assert "nickname" not in codes(sim.compare(keys("来电反映后埔村德旺书记把养殖场便宜包给亲戚。", "后埔村",
                                                    persons=["德旺书记"]), letter, STATS))


def test_a_given_name_called_with_gu_zi_or_wa_meets_the_full_name_in_the_same_village():
    # Hakka 旺牯 and 少华牯 (as 旺仔), the north-west's 斌子 and 军娃 (as 斌哥): a given name's character
    assert sim.parse_name("旺牯") == sim.PersonName(surname="旺", nickname="旺哥")
    assert sim.parse_name("少华牯") == sim.PersonName(nickname="少华哥")
    assert sim.parse_name("斌子") == sim.PersonName(nickname="斌哥")
    assert sim.parse_name("军娃") == sim.PersonName(nickname="军哥")
    assert sim.parse_name("瘸子") == sim.PersonName(nickname="瘸哥")  # looks, as people call him either way
    letter = keys("六号村村主任李文斌把移民温室的补贴截下一半，谁问就说上面只拨了这么多。", "白墩县红沙岗镇六号村",
                  persons=["李文斌"])
    message = keys("六号村的斌子把大棚补贴扣了一半 我们都没拿全", "六号村", persons=["斌子"])
    assert codes(sim.compare(message, letter, STATS))[0] == "nickname"


def test_a_note_after_a_name_the_writer_is_unsure_of_is_not_part_of_it():
    assert sim.parse_name("赖金彪（音）") == sim.parse_name("赖金彪(谐音)") == sim.PersonName(full="赖金彪", surname="赖")
    assert sim.other_names("赖金彪（谐音）", "") == []


def test_a_community_written_ju_a_walled_village_and_a_market_town_by_their_names():
    # Hainan writes a community (居委会) 居, and its production teams (十二队) are below it
    assert sim.place_chain("五峰县保国居五队、九队") == sim.place_chain("五峰县保国居") == (
        ("county", "五峰"), ("village", "保国"))
    assert sim.place_level(sim.place_chain("澜港区红岭"), sim.place_chain("澜港区红岭居十二队")) == "village"
    # an estate or a wish is no community
    assert sim.place_chain("南沟新居")[0] == ("village?", "南沟新居")
    # 大埔围 (a walled village of 大埔) and 官桥圩 (官桥's market) are their places; a fishing port too
    assert sim.place_level(sim.place_chain("大埔围"), sim.place_chain("澄江区岗背街道大埔社区")) == "village"
    assert sim.place_level(sim.place_chain("官桥圩"), sim.place_chain("石湖县官桥镇官桥村")) == "village"
    assert sim.place_level(sim.place_chain("东营渔港"), sim.place_chain("澜港区东营镇")) == "town"
    assert sim.place_chain("下围") == (("village?", "下围"),)  # two characters: the name itself


def test_someone_described_not_named_is_no_one_and_a_job_before_a_name_is_that_persons():
    # 同村人, 派出所有人, 本村村民, 兄弟二人, 他们 name no one in particular (they were read as people surnamed 同, 派…,
    # and so as someone else than the letter's named person); a family said by its surname keeps the surname
    for description in ("同村人", "派出所有人", "本村村民", "兄弟二人", "他们", "该男子", "几个年轻人"):
        assert sim.parse_name(description) == sim.PersonName(), description
    assert sim.parse_name("外地老板") == sim.PersonName(post="老板")
    assert sim.parse_name("谭家兄弟") == sim.PersonName(surname="谭")
    assert sim.parse_name("砂场老板黄德广") == sim.PersonName(full="黄德广", surname="黄", post="老板")
    assert sim.parse_name("村支书张某某") == sim.PersonName(surname="张", post="书记")
    # a surname said before a post, a body's post and a kin written without 的
    assert sim.parse_name("姓吉的老板") == sim.PersonName(surname="吉", post="老板")
    assert sim.parse_name("征拆办姓周的副主任") == sim.PersonName(surname="周", post="主任")
    assert sim.parse_name("宗亲会会长") == sim.PersonName(post="会长")
    assert sim.parse_name("所长媳妇") == sim.PersonName(post="所长")
    letter = keys("龙沐的吉家兴放高利贷，月息一毛，借十万利息还了八万多本金还全欠，今年一月带人把渔船开走抵债，还打伤了人。",
                  "东岸县龙沐镇乌石村", persons=["吉家兴"])
    call = keys("来电反映：乌石村一渔民向姓吉的老板借高利贷，月息一毛，利息已还八万多，渔船被强行开走抵债。",
                "东岸县龙沐镇乌石村", persons=["姓吉的老板"])
    assert codes(sim.compare(call, letter, STATS))


def test_a_village_named_by_one_character_and_a_family_village_written_without_jia():
    assert sim.place_chain("东岸县龙沐镇新村") == (("county", "东岸"), ("town", "龙沐"), ("village", "新村"))
    assert sim.place_level(sim.place_chain("龙沐镇新村"), sim.place_chain("东岸县龙沐镇新村")) == "village"
    assert sim.place_level(sim.place_chain("岗头何村"), sim.place_chain("北岭区岗头镇何村")) == "village"
    # 陈家坡 is called 陈坡; 借别村的羊 names no village 借别
    assert sim.place_level(sim.place_chain("北岭镇陈坡村"), sim.place_chain("东岸县北岭镇陈家坡村")) == "village"
    assert len(keys("验收时借别村的羊充数，从隔壁村借了两百只。", "东岸县龙沐镇").places) == 2


def test_a_post_inside_a_place_name_is_no_post_and_a_surname_with_mou_keeps_the_post_beside_it():
    # 长埗镇长埗村 names no 镇长: the summary naming no one is not about a township's head
    letter = keys("我们是长埗村第五村民小组的村民，每天半夜有泥头车开进村南，把建筑垃圾和渣土倒进鱼塘和农田，已填平十五亩鱼塘。",
                  "长埗镇长埗村", persons=["邓国华"])
    call = keys("来电反映：长埗镇长埗村村南鱼塘和农田夜间被大量倾倒建筑垃圾、渣土，已有一片鱼塘被填平。", "北堤区长埗镇长埗村")
    assert "@镇长" not in call.shingles
    assert codes(sim.compare(call, letter, STATS))
    # 镇水管站站长胡某: the 站长 is 胡某's, so a note about the 水管站站长 is about someone the letter names
    named = keys("落水洞村的人饮工程是胡氏水电做的，老板胡建是镇水管站站长胡某的亲侄子，工程偷工减料，水管一冻就爆。",
                 "龙潭区落水洞镇落水洞村", persons=["胡建", "胡某"])
    assert {"@站长", "@老板"} <= named.shingles
    # 金德主任 may be 郑金德 with his post; 赖 and 洪 are common surnames
    assert sim.parse_name("金德主任").nickname == "金德哥"
    assert sim.parse_name("包工头赖永福") == sim.PersonName(full="赖永福", surname="赖")


def test_a_person_given_alike_meets_where_the_two_places_do_not_compare():
    # 榕树头 (a landmark) and 岜城区江南街道 share no level: as where one report gives no place, a nickname the letter
    # gives too meets, with the wording agreeing besides
    letter = keys("江南街道榕树头一带的黄卫（人称卫仔）带几个人收摊位保护费，每个摊一个月三百，不交就掀摊子，还打伤了卖菜的老人。",
                  "岜城区江南街道", persons=["黄卫", "卫仔"])
    note = keys("榕树头卫仔那帮人又来收保护费了，一个摊三百，不给就掀摊，卖菜的阿婆都被推倒了。", "榕树头", persons=["卫仔"])
    assert sim.place_level(note.places, letter.places) == ""
    found = sim.compare(note, letter, STATS)
    assert found[0].code == "name_anywhere" and "无从比较" in found[0].label
    # someone else of another name there is not met so
    other = keys("榕树头阿明那帮人又来收保护费了，一个摊三百，不给就掀摊，卖菜的阿婆都被推倒了。", "榕树头", persons=["阿明"])
    assert "name_anywhere" not in codes(sim.compare(other, letter, STATS))


def test_an_organisations_civil_matter_is_not_its_campaign_matter():
    # a driver's unpaid wages and the firm's hold on the sand trade: one firm, two matters, however its name, code
    # and place agree; its monopoly told twice is one
    code = "91451621715209342X"
    monopoly = keys("龙峒县鑫达砂石有限公司垄断县城工地用砂，老板带人在桥头拦外地砂车，价格比外面贵一倍，不从就砸车。",
                    "龙峒县", organisations=[("龙峒县鑫达砂石有限公司", code)])
    wages = keys("我是给龙峒县鑫达砂石有限公司开车拉砂的司机，县城工地的砂都是我们拉，公司欠我们十一个人运费和工资二十六万，"
                 "老板说等工地回款。", "龙峒县", organisations=[("龙峒县鑫达砂石有限公司", code)])
    again = keys("县城工地的砂被鑫达砂石垄断，外地砂车在桥头被拦被砸，价格贵一倍。", "龙峒县",
                 organisations=["鑫达砂石"])
    assert sim.compare(wages, monopoly, STATS) == []
    assert "org_name" in codes(sim.compare(again, monopoly, STATS))
    # Nor is a wage claim the same firm's dust and noise told in no stock words of a kind of problem: its name asks
    # of the wording what two people's would, which a wage claim and a neighbour's complaint do not reach.
    dust = keys("龙峒县鑫达砂石有限公司的料场半夜开工，大车进出轰隆隆，灰尘盖满了整条街，跟老板说了几次都不理。", "龙峒县",
                organisations=["龙峒县鑫达砂石有限公司"])
    claim = keys("我是给龙峒县鑫达砂石有限公司开车的司机，公司欠我们十一个人工资二十六万，老板说等工地回款。", "龙峒县",
                 organisations=["鑫达砂石"])
    assert sim.ORG_SUPPORT_THRESHOLD <= sim.content_similarity(claim, dust, STATS) < sim.OTHER_SUBJECT_THRESHOLD
    assert sim.compare(claim, dust, STATS) == []


def test_mr_and_mrs_as_the_south_says_are_a_surname():
    assert sim.parse_name("黄生") == sim.parse_name("黄太") == sim.PersonName(surname="黄")
    assert sim.parse_name("李伟") == sim.PersonName(full="李伟", surname="李")
    # 坳上村 after a reporting verb is a village the text names
    assert ("village~", "坳上") in keys("反映坳上村主任擅自出卖村集体林木，款项去向不明。", "湾里乡").places


def test_a_report_naming_the_other_reports_village_bare_in_its_text_is_from_there():
    # A letter from 柳塘村, and a message giving no place whose text names 柳塘 without its level word: from there.
    letter = keys("柳塘村河段天天晚上有人偷采河沙，几条抽沙船从半夜干到天亮，河堤都被挖塌了。领头的叫周国富，村里没人敢拦。",
                  "西河县青石镇柳塘村", ["周国富"])
    message = keys("柳塘那边晚上有船在河里搞沙 吵得睡不着 堤都挖垮了", "")
    assert sim.place_level(message.places, letter.places) == ""
    # (below what two reports giving no common place ask of the wording alone, above what one village asks)
    assert sim.SAME_PLACE_THRESHOLD <= sim.content_similarity(message, letter, STATS) < sim.CONTENT_THRESHOLD
    assert sim.place_named_in_text(message.places, message.shingles, letter.places, letter.shingles) == "village"
    found = sim.compare(message, letter, STATS)
    assert found and "同村（社区）（据内容所写地名）" in found[0].label
    # The same message about another village's river (马塘) is not from there, and makes no candidate so.
    other = keys("马塘那边晚上有船在河里搞沙 吵得睡不着 堤都挖垮了", "")
    assert sim.place_named_in_text(other.places, other.shingles, letter.places, letter.shingles) == ""
    assert not sim.compare(other, letter, STATS)
    # A name of three characters asks both its pairs: 青石岭 holds 石岭, not 石岭坝.
    ridge = keys("青石岭的砂场晚上偷偷抽沙", "西河县")
    town = keys("青石镇有人偷采河沙", "西河县青石镇")
    assert sim.place_named_in_text(town.places, town.shingles, ridge.places, ridge.shingles) == "town"
    assert sim.place_named_in_text(
        sim.place_chain("西河县石岭坝镇"), frozenset(), ridge.places, ridge.shingles) == ""


def test_a_bodys_name_and_the_same_kind_of_problem_need_no_wording_in_common():
    # A hotline's one line, all of whose words but the kind are the body's name, against the letter about it.
    letter = keys("潭口镇圩上新开的悦来足浴城，表面上是洗脚，实际上二楼包间在搞色情服务，明码标价，老板娘叫芳姐，一直没人管。",
                  "西河县潭口镇", organisations=["悦来足浴城"])
    call = keys("来电反映：潭口镇悦来足浴城存在卖淫嫖娼活动。", "潭口镇", organisations=["悦来足浴城"])
    assert sim.content_similarity(call, letter, STATS) < sim.POST_SUPPORT_THRESHOLD
    found = sim.compare(call, letter, STATS)
    assert codes(found) == ["org_name"] and "反映问题类别相同（涉黄）" in found[0].label
    # The same body for another kind of problem, or another body for the same kind, is no candidate so.
    for content, body in [("来电反映：潭口镇悦来足浴城有人容留吸毒。", "悦来足浴城"),
                          ("来电反映：潭口镇金凤足浴城存在卖淫嫖娼活动。", "金凤足浴城")]:
        assert not sim.compare(keys(content, "潭口镇", organisations=[body]), letter, STATS), content


def test_a_villages_property_or_office_after_a_verb_names_no_village():
    for text in ["钱某霸占村集体鱼塘", "拉砂的大车压坏村道", "王树林当选村委会主任后", "几个人拦在村口收钱",
                 "外地粮贩子进村收粮", "此人横行乡里多年", "并有村干部参与"]:
        assert sim.places_in_text(text, ()) == (), text
    # a village named before its property is still that village
    assert sim.places_in_text("石桥村集体的鱼塘被人占了", ()) == (("village" + sim.MENTIONED, "石桥"),)
    assert sim.places_in_text("前进村村口有人收钱", ()) == (("village" + sim.MENTIONED, "前进"),)
    # 梅浦派出所社区民警: the township of the police station, and no community named 出所
    assert sim.places_in_text("县公安局梅浦派出所社区民警", ()) == (("town" + sim.GUESSED + sim.MENTIONED, "梅浦"),)


def test_a_surname_and_the_same_kind_of_problem_in_one_township_ask_the_wording_a_little():
    letter = keys("南门街道解放路上的皇朝足浴城，表面上做足浴，实际上二楼包间有卖淫活动，老板娘叫何芳，一直开得好好的。",
                  "西河县南门街道青石桥社区", ["何芳"])
    visit = keys("来电反映：南门街道一足浴店有色情服务，经营者何某。", "南门街道", ["何某"])
    similarity = sim.content_similarity(visit, letter, STATS)
    assert sim.POST_SUPPORT_THRESHOLD <= similarity < sim.SUPPORT_THRESHOLD
    found = sim.compare(visit, letter, STATS)
    assert codes(found)[0] == "surname" and "反映问题类别相同（涉黄）" in found[0].label
    # another surname, or the same surname for another kind of problem, is no candidate so
    for content, person in [("来电反映：南门街道一足浴店有色情服务，经营者罗某。", "罗某"),
                            ("来电反映：南门街道一足浴店有人吸毒，经营者何某。", "何某")]:
        assert "surname" not in codes(sim.compare(keys(content, "南门街道", [person]), letter, STATS)), content


def test_the_kinds_of_problem_cover_illegal_mining_and_a_hold_on_village_banquets():
    mining = {sim.PROBLEM_TOKEN + "采矿"}
    assert sim.problem_kinds("来电反映：有人私挖煤窑") == sim.problem_kinds("后山又挖了个黑口子") == mining
    banquets = {sim.PROBLEM_TOKEN + "酒席"}
    assert sim.problem_kinds("村里红白喜事都得请他") == sim.problem_kinds("不请他的乐队就掀桌子") == banquets


def test_a_family_by_its_surname_and_nicknames_by_looks_are_no_full_names():
    # 聂家 was read as someone named 聂家, 光头李 as a 光 family's 头李, 魏老黑 as a full name.
    assert sim.parse_name("聂家") == sim.PersonName(surname="聂")
    assert sim.parse_name("老郑家") == sim.PersonName(surname="郑")
    assert sim.parse_name("光头李") == sim.PersonName(surname="李", nickname="光头李")
    assert sim.parse_name("刀疤强") == sim.PersonName(nickname="刀疤强")
    assert sim.parse_name("魏老黑") == sim.PersonName(surname="魏", nickname="魏老黑")
    assert sim.parse_name("张老师") == sim.PersonName(surname="张", post="老师")
    # The family's surname then meets the letter naming its head in the same village; another family does not.
    letter = keys("石桥村聂宏伟一家把持村里的红白喜事，办酒席必须用他家的厨子和大棚，一桌贵一百，不用就上门闹事。",
                  "西河县白马镇石桥村", persons=("聂宏伟",))
    call = "聂家管着石桥的宴席，外村厨子进不来。"
    assert codes(sim.compare(keys(call, "白马镇石桥村", persons=("聂家",)), letter, STATS)) == ["surname", "content"]
    assert sim.compare(keys(call, "白马镇石桥村", persons=("刘家",)), letter, STATS) == []


def test_a_nickname_given_after_xiaoming_is_read_from_the_text():
    letter = keys("石桥村杨志刚（小名毛坨）堵了光伏电站的进场路，开口要十万协调费。", "西河县白马镇石桥村", persons=("杨志刚",))
    assert "毛坨" in sim.nicknames_in("杨志刚（小名毛坨）堵路要钱")
    call = keys("毛坨又来堵路了，项目停了好几天。", "石桥村", persons=("毛坨",))
    assert codes(sim.compare(call, letter, STATS))[:1] == ["nickname"]


def test_a_market_named_after_its_district_and_after_its_street_is_one_place():
    plain = sim.place_chain("西河区南关牲畜市场")
    deeper = sim.place_chain("西河区南关街道南关牲畜市场")
    assert sim.place_level(plain, deeper) == "village"
    # Two markets of one street are two places.
    assert sim.place_level(sim.place_chain("西河区北关农贸市场"), deeper) != "village"


def test_the_same_full_name_where_one_report_gives_no_place_asks_the_wording_less():
    letter = keys("我在新桥街道运河路开印刷厂，前年资金周转不灵，经人介绍到融信咨询借钱。老板杨斌让我签了二十万的合同，"
                  "实际到手十四万，说六万是服务费和保证金。之后每周还利息，晚一天就加罚息，还不上就派人堵门泼油漆。",
                  "西河县新桥街道", persons=("杨斌",))
    note = "丈夫在杨斌那里借了五万，合同写十万，半年滚成十八万，对方天天打电话骂人，还把照片P成遗像发给亲戚。"
    by_name = keys(note, "", persons=("杨斌",))
    assert sim.CALLED_ANYWHERE_THRESHOLD <= sim.content_similarity(by_name, letter, STATS) < sim.SUPPORT_THRESHOLD
    assert codes(sim.compare(by_name, letter, STATS)) == ["name_anywhere"]
    # A surname with a post is a thousand people of a city: with so little wording, no candidate.
    assert sim.compare(keys(note.replace("杨斌", "杨老板"), "", persons=("杨老板",)), letter, STATS) == []


def test_the_same_nickname_where_one_report_gives_no_place_asks_the_wording_less():
    letter = keys("我在新桥街道运河路开印刷厂，前年资金周转不灵，经人介绍到融信咨询借钱。老板杨斌（外号刀疤强）让我签了二十万"
                  "的合同，实际到手十四万，说六万是服务费和保证金。之后每周还利息，晚一天就加罚息，还不上就派人堵门泼油漆。",
                  "西河县新桥街道", persons=("杨斌",))
    note = keys("丈夫在刀疤强那里借了五万，半年滚成十八万，对方天天打电话骂人，还把照片P成遗像发给亲戚。", "", persons=("刀疤强",))
    assert sim.CALLED_ANYWHERE_THRESHOLD <= sim.content_similarity(note, letter, STATS) < sim.SUPPORT_THRESHOLD
    assert codes(sim.compare(note, letter, STATS)) == ["name_anywhere"]


def test_a_village_of_a_merged_township_and_a_places_old_name_given_in_brackets_are_read():
    # The letter gives the township as it is now and, in brackets, the one it was merged from with its village.
    letter = sim.match_keys(sim.ClueFacts("大垸镇三合垸村（原新垸乡三合村）李长贵操纵换届。", "澄塘县大垸镇三合垸村"))
    call = sim.match_keys(sim.ClueFacts("三合的李满爹叫一屋人都要选他侄儿。", "新垸乡三合村"))
    assert sim.place_level(call.places, letter.places) == "village"
    # 向家坪村（老名坪上） and 坪上村（现在叫向家坪村）: one village by its two names.
    renamed = sim.match_keys(sim.ClueFacts("凉亭街道向家坪村（老名坪上）的征地款被挪用。", "溪城区凉亭街道向家坪村"))
    old_name = sim.match_keys(sim.ClueFacts("坪上村的集体征地款被村会计挪用。", "坪上村"))
    assert sim.place_level(old_name.places, renamed.places) == "village"
    # A village of the same name in another township, with no such note, is another village.
    other = sim.match_keys(sim.ClueFacts("三合村有人赌博。", "澄塘县石门镇三合村"))
    assert sim.place_level(call.places, other.places) == "conflict"


def test_southern_forms_of_address_by_a_given_name_and_the_youngest_son_are_nicknames():
    # 海生兄 was read as a 海 family's 生兄, 水古 (Hakka) as a full name, 赵幺儿 as a full name, 唐大汉 likewise.
    assert sim.parse_name("海生兄") == sim.PersonName(nickname="海生哥")
    assert sim.parse_name("水古") == sim.PersonName(surname="水", nickname="水哥")
    assert sim.parse_name("富贵古") == sim.PersonName(nickname="富贵哥")
    assert sim.parse_name("赵幺儿") == sim.PersonName(surname="赵", nickname="赵幺")
    assert sim.parse_name("唐大汉") == sim.PersonName(surname="唐", nickname="唐大汉")
    # 海生兄 then meets the letter naming 周海生 in the same village, as 海生哥 would.
    letter = keys("海尾村周海生强迫渔民把鱼货全卖给他的收购点，价钱比市场低两三成，不卖的第二天船缆就被割断。",
                  "莲澳县盐埕镇海尾村", persons=("周海生",))
    message = keys("海尾的船返来鱼着卖给海生兄 价钱压到无剩 卖给别人船缆就乞割", "海尾村", persons=("海生兄",))
    assert codes(sim.compare(message, letter, STATS))[:1] == ["nickname"]


def test_a_report_filed_where_the_reporter_is_meets_the_village_its_text_names_as_the_matters_place():
    # The shop is in 北街社区, the gang of 西街村: the letter meets the hotline line filed under 西街村.
    letter = keys("我在柳河县城北街社区开烧烤店。西街村有一伙人，领头的叫贺建伟，隔三岔五来店里吃喝不结账，还打了服务员。",
                  "柳河县柳河镇北街社区", persons=("贺建伟",))
    call = keys("来电人反映：西街村贺某等人在烧烤店吃喝不付账，殴打店员，强收看场费，请求查处。", "柳河县柳河镇西街村",
                persons=("贺某",))
    assert sim.place_level(call.places, letter.places) == "village"
    assert sim.compare(call, letter, STATS)
    # A village the text does not name is still another village.
    other = keys("来电人反映：东街村贺某等人在烧烤店吃喝不付账，殴打店员，请求查处。", "柳河县柳河镇东街村", persons=("贺某",))
    assert sim.place_level(other.places, letter.places) == "conflict"


def test_a_market_or_fair_written_as_the_place_is_its_places_and_an_old_nickname_is_no_family():
    # 双江大市场 was read as a village 双江大, 石狮老菜场 as a village of that name, 老狐狸 as a 老 family's.
    assert sim.place_chain("双江大市场") == (("village?", "双江"),)
    assert sim.place_chain("石狮老菜场") == (("village?", "石狮"),)
    assert sim.place_chain("王家屯大集") == (("village?", "王家屯"),)
    assert sim.place_chain("柳河县城集贸市场") == (("county", "柳河"),)
    assert sim.parse_name("老狐狸") == sim.PersonName(nickname="老狐狸")
    letter = keys("石狮街道石狮社区菜市场的向长青，人称老狐狸，把持猪肉摊位，外来肉贩一进场就被掀摊。",
                  "梅城区石狮街道石狮社区", persons=("向长青",))
    call = keys("石狮老菜场老狐狸又带人掀了外来肉贩的摊子，猪肉都只能买他的。", "石狮老菜场", persons=("老狐狸",))
    assert codes(sim.compare(call, letter, STATS))[:1] == ["nickname"]


def test_what_a_body_makes_or_deals_in_is_left_out_of_its_core():
    # 云雾茶厂 kept 云雾茶 against 云雾茶业, 顺通沙场 顺通沙 against 顺通砂石's 顺通, 宏基公司 宏基 against 宏基拆迁.
    for short, registered, core in [("云雾茶厂", "茶岭县云雾茶业有限公司", "云雾"), ("顺通沙场", "淮口县顺通砂石有限公司", "顺通"),
                                    ("宏基公司", "韩滨市宏基拆迁服务有限公司", "宏基"), ("永福屠宰场", "安和县永福生猪屠宰有限公司", "永福")]:
        assert core in sim.organisation_key_sets(short)[1] & sim.organisation_key_sets(registered)[1], short
    # A name that is a place's (金沙, 长沙) is not cut down to one character.
    assert sim.organisation_key_sets("长沙食品厂")[1] == {"长沙"}


def test_a_threat_to_the_village_cadres_names_no_village():
    # 威胁村干部 was read as a village named 威胁, and set a township's call apart from the letter of its village.
    chain = sim.place_chain("南岭市三溪镇")
    for text in ("有人强占鱼塘，威胁村干部。", "殴打村干部", "贿赂村干部", "收买村干部"):
        assert sim.places_in_text(text, chain) == (), text
    assert sim.places_in_text("三溪村干部不作为", chain) == (("village~", "三溪"),)
