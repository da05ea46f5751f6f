"""The made-up partners, cases and recognitions of the collaboration demo.

Names of people and organisations are invented. The support centres are
the real ones that the groups app loads from its reference data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitation.models import CaseStage, Partner

K = Partner.Kind
S = CaseStage


@dataclass(frozen=True)
class PartnerPlan:
    key: str
    name: str
    kind: str
    municipality_code: str | None
    contact_name: str
    field_numbers: tuple[int, ...]
    note: str
    offers_volunteer_leave: bool = False
    takes_part_in_probono: bool = False


# One partner of every kind, and a second company. The first company's
# contact person is the partner staff demo account.
PARTNERS = (
    PartnerPlan(
        "company",
        "株式会社やまぐち未来建設",
        K.COMPANY,
        "35203",
        "",
        (3, 8),
        "社員の地域活動を年5日の有給で支援。防災と里山整備に関心。",
        offers_volunteer_leave=True,
        takes_part_in_probono=True,
    ),
    PartnerPlan(
        "company2",
        "周南ケミカル株式会社",
        K.COMPANY,
        "35215",
        "徳山 まさみ",
        (7, 13),
        "工場周辺の海岸清掃と子どもの理科教室を続けている。",
        offers_volunteer_leave=True,
    ),
    PartnerPlan(
        "business",
        "山口つばさ商店街振興組合",
        K.OTHER_BUSINESS,
        "35203",
        "大殿 しんじ",
        (3, 4),
        "空き店舗を団体の活動拠点に貸し出せる。",
    ),
    PartnerPlan(
        "municipality",
        "下関市 市民協働推進課",
        K.MUNICIPALITY,
        "35201",
        "彦島 あゆみ",
        (3,),
        "",
    ),
    PartnerPlan(
        "university",
        "山口みらい大学 地域連携センター",
        K.UNIVERSITY,
        "35202",
        "常盤 けんじ",
        (2, 13),
        "学生ボランティアの派遣と、活動の効果測定を手伝える。",
    ),
    PartnerPlan(
        "high_school",
        "県立やまぐち中央高等学校 ボランティア部",
        K.HIGH_SCHOOL,
        "35203",
        "宮野 ともこ",
        (13,),
        "部員約20名。土曜日の活動に参加できる。",
    ),
    PartnerPlan(
        "department",
        "山口県 環境生活部 県民生活課",
        K.PREFECTURAL_DEPARTMENT,
        "35203",
        "滝町 ひろし",
        (19,),
        "",
    ),
    PartnerPlan(
        "institution",
        "公益財団法人やまぐち地域づくり基金",
        K.SUPPORT_INSTITUTION,
        "35203",
        "中河原 りえ",
        (19, 20),
        "県民活動団体への助成（年2回募集）。",
    ),
    PartnerPlan(
        "other",
        "やまぐち子ども食堂ネットワーク",
        K.OTHER,
        "35206",
        "牟礼 ゆか",
        (1, 13),
        "県内の子ども食堂の連絡会。食材の寄付の受け皿。",
    ),
)


@dataclass(frozen=True)
class PartyPlan:
    """A party of a case: a demo group by its index, or a partner by key."""

    group_index: int | None
    partner_key: str | None
    role: str
    contribution: str
    outcome: str = ""
    did: str = ""
    gained: str = ""
    # In a draft example, False leaves the party's consent to its own staff.
    consents: bool = True


@dataclass(frozen=True)
class CasePlan:
    title: str
    # "chief", "regional" (the demo account) or "shimonoseki".
    facilitator: str
    goal: str
    stage: str
    opened_days_ago: int
    parties: tuple[PartyPlan, ...]
    # (days ago, what was discussed)
    notes: tuple[tuple[int, str], ...]
    next_steps: str = ""
    discontinued_reason: str = ""
    # "published", "draft" or "" (no example)
    example: str = ""
    example_title: str = ""
    example_summary: str = ""
    invite: tuple[str, ...] = field(default=())


# One case per stage, and a second completed one, so that one example is
# published and one waits for the consent of the group of
# staff@demo.example.jp (group index 0) and of the demo partner company.
CASES = (
    CasePlan(
        title="空き店舗を使った子ども食堂の拠点づくり",
        facilitator="regional",
        goal="商店街の空き店舗を、週2回の子ども食堂と学習支援の拠点にする。",
        stage=S.CONSULTATION,
        opened_days_ago=12,
        parties=(PartyPlan(1, None, "運営団体", "調理と学習支援のボランティア"),),
        notes=((10, "団体代表と面談。拠点の候補として商店街の空き店舗2件を検討。"),),
        next_steps="商店街振興組合に空き店舗の貸し出し条件を確認する。",
    ),
    CasePlan(
        title="里山の竹林整備と社員ボランティア",
        facilitator="regional",
        goal="放置竹林を年間で1ヘクタール整備し、竹を地域のイベントで活用する。",
        stage=S.MATCHING,
        opened_days_ago=45,
        parties=(
            PartyPlan(2, None, "作業の指導", "竹林整備の技術指導と道具の管理"),
            PartyPlan(
                None, "company", "作業の担い手", "社員ボランティア年40人日と重機"
            ),
        ),
        notes=(
            (40, "団体から竹林整備の人手不足について相談を受けた。"),
            (
                21,
                "やまぐち未来建設に打診。社員の有給ボランティア制度で参加可能との回答。",
            ),
        ),
        next_steps="作業日程と安全管理の分担を三者で話し合う。",
    ),
    CasePlan(
        title="高校生と防災マップをつくる",
        facilitator="regional",
        goal="地区の高齢者宅を高校生と訪ね、避難の課題を書き込んだ防災マップを作る。",
        stage=S.AGREEMENT,
        opened_days_ago=70,
        parties=(
            PartyPlan(
                3, None, "企画と地区との調整", "自治会への説明と聞き取りの段取り"
            ),
            PartyPlan(
                None,
                "high_school",
                "聞き取りと地図づくり",
                "部員による聞き取りと地図の作成",
            ),
            PartyPlan(None, "university", "助言", "防災の専門家による講習と地図の監修"),
        ),
        notes=(
            (65, "初回打合せ。対象地区を2地区に絞る。"),
            (30, "協働の5原則について三者で確認。いずれも同意。"),
        ),
        next_steps="聞き取りの日程を決め、保護者向けの説明文を作る。",
    ),
    CasePlan(
        title="海岸清掃と理科教室の連続講座",
        facilitator="shimonoseki",
        goal="海岸清掃と、拾ったごみを教材にした子ども向け理科教室を年4回開く。",
        stage=S.IN_PROGRESS,
        opened_days_ago=150,
        parties=(
            PartyPlan(4, None, "企画と参加者募集", "講座の企画と子どもの募集"),
            PartyPlan(None, "company2", "講師と会場", "研究員による講師と工場見学"),
            PartyPlan(None, "municipality", "広報", "市の広報紙とホームページでの告知"),
        ),
        notes=(
            (140, "企業の社会貢献担当と面談。講師派遣が可能。"),
            (90, "第1回を実施。参加者32人。"),
            (20, "第2回を実施。保護者アンケートで満足度が高い。"),
        ),
        next_steps="第3回の会場を確保し、市の広報紙の締切に間に合わせる。",
        invite=("hofu",),
    ),
    CasePlan(
        title="子ども食堂への食材寄付の仕組みづくり",
        facilitator="chief",
        goal="県内の企業から子ども食堂へ、余った食材を定期的に届ける仕組みを作る。",
        stage=S.COMPLETED,
        opened_days_ago=330,
        parties=(
            PartyPlan(
                5,
                None,
                "受け取りと配分",
                "食材の受け取りと各食堂への配分",
                "月2回の安定した食材の確保",
                "毎月の食材を各食堂へ配分した。",
                "献立が安定し、参加する子どもが2割増えた。",
            ),
            PartyPlan(
                None,
                "other",
                "食堂間の調整",
                "県内の食堂の連絡と需要の取りまとめ",
                "食堂どうしの情報交換の定例化",
                "県内18か所の食堂の需要を取りまとめた。",
                "食堂どうしの情報交換が定例化した。",
            ),
            PartyPlan(
                None,
                "company",
                "食材の提供と配送",
                "社員食堂の余剰食材と配送車",
                "社員の参加意識の向上",
                "社員食堂の余剰食材を配送車で届けた。",
                "社員の地域活動への参加が増えた。",
            ),
        ),
        notes=(
            (320, "ネットワークから相談。食材の確保が各食堂の課題。"),
            (250, "三者で協定書の内容を確認。"),
            (120, "半年の実績を振り返り。配送の曜日を固定する。"),
            (35, "1年の振り返り。事例として公開することに各者が前向き。"),
        ),
        example="published",
        example_title="企業の余剰食材を子ども食堂へ届けた協働",
        example_summary="企業、子ども食堂の連絡会、受け取り団体の三者が協定を結び、月2回の食材の寄付を1年続けた。",
    ),
    CasePlan(
        title="商店街の空き地で地域の朝市",
        facilitator="regional",
        goal="商店街の空き地で月1回の朝市を開き、地元の団体の活動を紹介する。",
        stage=S.COMPLETED,
        opened_days_ago=260,
        parties=(
            PartyPlan(
                0,
                None,
                "出店とボランティア",
                "朝市の運営ボランティアと団体紹介のブース",
                "新しい会員が5人増えた",
                "朝市の運営と、活動紹介のブースを担当した。",
                "新しい会員が5人増えた。",
                consents=False,
            ),
            PartyPlan(
                None,
                "company",
                "協賛と設営",
                "テントの設営と社員ボランティア",
                "社員が地域の団体と知り合えた",
                "テントを設営し、社員10人が運営を手伝った。",
                "社員が地域の団体と知り合い、別の協働の相談につながった。",
                consents=False,
            ),
            PartyPlan(
                None,
                "business",
                "会場の提供",
                "空き地と机、テントの貸し出し",
                "朝市の日の来街者が増えた",
                "空き地とテントを貸し出した。",
                "朝市の日の来街者が増えた。",
            ),
        ),
        notes=(
            (250, "商店街振興組合と団体の顔合わせ。"),
            (150, "第1回朝市を実施。来場者約300人。"),
            (30, "半年の振り返り。来年度も続ける方向。"),
        ),
        example="draft",
        example_title="商店街の空き地で開いた地域の朝市",
        example_summary="商店街振興組合が空き地を貸し出し、団体が月1回の朝市を運営した。",
    ),
    CasePlan(
        title="大学生の活動報告書づくりの支援",
        facilitator="regional",
        goal="大学生が団体の活動報告書の編集を手伝い、団体の広報力を高める。",
        stage=S.DISCONTINUED,
        opened_days_ago=200,
        parties=(
            PartyPlan(6, None, "依頼団体", "報告書の素材の提供"),
            PartyPlan(None, "university", "編集の担い手", "ゼミの学生による編集"),
        ),
        notes=((190, "大学の地域連携センターと面談。"),),
        discontinued_reason="ゼミの日程が合わず、今年度は見送る。来年度に改めて相談する。",
    ),
)


@dataclass(frozen=True)
class RecognitionPlan:
    kind: str
    # Years before the current fiscal year (0 is this year).
    years_ago: int
    title: str
    citation: str
    group_index: int | None = None
    partner_key: str | None = None
    # Month and day of the designation inside the fiscal year.
    month_day: tuple[int, int] = (10, 23)
    withdrawn_reason: str = ""


AWARD_TITLE = "チャレンジやまぐち！地域貢献賞"
SITE_TITLE = "やまぐち社会貢献活動モデル事業所"


def award(years_ago: int, citation: str, group_index: int) -> RecognitionPlan:
    return RecognitionPlan(
        "award", years_ago, AWARD_TITLE, citation, group_index=group_index
    )


def model_business_site(
    years_ago: int, citation: str, partner_key: str, withdrawn_reason: str = ""
) -> RecognitionPlan:
    # The demo designates model business sites on 1 December.
    return RecognitionPlan(
        "model_business_site",
        years_ago,
        SITE_TITLE,
        citation,
        partner_key=partner_key,
        month_day=(12, 1),
        withdrawn_reason=withdrawn_reason,
    )


RECOGNITIONS = (
    award(2, "里山の保全を20年続け、子どもの自然体験を広げた。", 7),
    award(2, "高齢者の見守りと配食を地区ぐるみで続けた。", 8),
    award(1, "海岸清掃に毎年千人を超える参加者を集めた。", 4),
    award(1, "子ども食堂の食材を企業と協働で確保した。", 5),
    award(0, "外国人住民の日本語学習を地域で支えた。", 9),
    model_business_site(
        2, "社員の有給ボランティア制度を設け、年間延べ200人が参加した。", "company"
    ),
    model_business_site(
        1, "工場周辺の海岸清掃と理科教室を社員が続けている。", "company2"
    ),
    model_business_site(
        1,
        "組合員の店舗で団体の活動を紹介する場を設けた。",
        "business",
        withdrawn_reason="組合の事業縮小により、指定の辞退の申し出があった。",
    ),
)
