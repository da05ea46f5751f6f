"""Japanese texts and place names for the demo data set.

Group counts per municipality follow the number of NPO corporations in
each municipality at the end of March 2022 (Yamaguchi Prefecture, 420 in
all). Towns without one still get a weight of 1, because voluntary groups
and neighbourhood associations are civic groups too.
"""

from dataclasses import dataclass

# Local-government code: NPO corporations at the end of March 2022.
NPO_CORPORATIONS_2022_03 = {
    "35201": 65,  # 下関市
    "35202": 60,  # 宇部市
    "35203": 81,  # 山口市
    "35204": 31,  # 萩市
    "35206": 24,  # 防府市
    "35207": 8,  # 下松市
    "35208": 33,  # 岩国市
    "35210": 16,  # 光市
    "35211": 22,  # 長門市
    "35212": 8,  # 柳井市
    "35213": 8,  # 美祢市
    "35215": 37,  # 周南市
    "35216": 12,  # 山陽小野田市
    "35305": 11,  # 周防大島町
    "35321": 1,  # 和木町
    "35341": 0,  # 上関町
    "35343": 2,  # 田布施町
    "35344": 0,  # 平生町
    "35502": 1,  # 阿武町
}

# Districts (地区) of each municipality, used in group names and places.
DISTRICTS = {
    "35201": ["長府", "彦島", "豊浦", "菊川", "豊北", "安岡", "小月", "川中"],
    "35202": ["西岐波", "東岐波", "厚南", "琴芝", "小野", "楠", "常盤", "厚東"],
    "35203": ["小郡", "阿知須", "秋穂", "仁保", "徳地", "阿東", "湯田", "大内"],
    "35204": ["須佐", "川上", "田万川", "むつみ", "旭", "福栄", "見島", "越ヶ浜"],
    "35206": ["三田尻", "牟礼", "富海", "華城", "右田", "野島"],
    "35207": ["末武", "花岡", "久保", "笠戸島"],
    "35208": ["由宇", "玖珂", "周東", "錦", "美川", "美和", "通津", "川下"],
    "35210": ["室積", "虹ケ浜", "大和", "浅江", "島田"],
    "35211": ["仙崎", "油谷", "俵山", "日置", "三隅", "湯本"],
    "35212": ["柳井津", "大畠", "伊陸", "日積", "平郡"],
    "35213": ["秋芳", "美東", "大嶺", "伊佐", "於福"],
    "35215": ["徳山", "新南陽", "熊毛", "鹿野", "櫛浜", "大津島"],
    "35216": ["埴生", "厚狭", "小野田", "高千帆", "有帆"],
    "35305": ["久賀", "大島", "東和", "橘", "沖家室"],
    "35321": ["和木", "瀬田"],
    "35341": ["室津", "祝島", "長島"],
    "35343": ["麻郷", "城南", "麻里府"],
    "35344": ["佐賀", "大野", "曽根"],
    "35502": ["奈古", "福賀", "宇田郷"],
}

SURNAMES = [
    "山本", "田中", "中村", "藤井", "松田", "伊藤", "河村", "岡本", "林", "原田",
    "西村", "吉村", "村田", "末永", "弘中", "藤本", "三浦", "石川", "久保", "福田",
]  # fmt: skip
GIVEN_NAMES = [
    "太郎", "花子", "健一", "由美", "翔太", "美咲", "大輔", "さくら", "誠", "陽菜",
    "和子", "浩二", "真由美", "拓海", "結衣", "茂", "恵子", "蓮", "葵", "修",
]  # fmt: skip


@dataclass(frozen=True)
class PostTemplate:
    """One kind of volunteer activity that a themed group posts again and again."""

    title: str
    description: str
    tasks: str
    what_to_bring: str
    field_number: int
    start_hour: int
    hours: int
    capacities: tuple[int, ...]
    welcomes_high_school: bool = True
    minimum_age: int | None = None
    accepts_teams: bool = False
    year_round: bool = False
    is_online: bool = False


@dataclass(frozen=True)
class GroupTheme:
    """A kind of civic group: how its name reads and what it posts."""

    name_patterns: tuple[str, ...]
    description: str
    field_numbers: tuple[int, ...]
    posts: tuple[PostTemplate, ...]


THEMES = (
    GroupTheme(
        name_patterns=("{district}フードバンク", "フードバンク{district}ネット"),
        description=(
            "家庭や企業から寄せられた食品を、支援を必要とする世帯や"
            "子ども食堂へ届けています。"
        ),
        field_numbers=(1, 13),
        posts=(
            PostTemplate(
                title="フードバンクの食品仕分け",
                description=(
                    "寄付された食品の賞味期限を確認し、種類ごとに仕分けて"
                    "箱詰めします。初めての方にもスタッフが手順を説明します。"
                ),
                tasks="食品の検品、仕分け、箱詰め、倉庫の整理",
                what_to_bring="動きやすい服装、飲み物",
                field_number=1,
                start_hour=10,
                hours=3,
                capacities=(6, 8, 10),
                accepts_teams=True,
            ),
            PostTemplate(
                title="食品配付会の受付と運搬",
                description=(
                    "ひとり親世帯などへの食品配付会で、受付と会場内の運搬を"
                    "お手伝いいただきます。"
                ),
                tasks="受付、食品の受け渡し、会場設営と片付け",
                what_to_bring="筆記用具、飲み物",
                field_number=1,
                start_hour=13,
                hours=3,
                capacities=(5, 8),
            ),
            PostTemplate(
                title="フードドライブ回収品の整理（通年）",
                description=(
                    "スーパーや学校で集めた食品の回収品を、都合のよい日に"
                    "倉庫で整理していただきます。"
                ),
                tasks="回収品の検品と棚入れ",
                what_to_bring="動きやすい服装",
                field_number=1,
                start_hour=10,
                hours=2,
                capacities=(20,),
                year_round=True,
            ),
        ),
    ),
    GroupTheme(
        name_patterns=("{district}子ども食堂", "{district}みんなの食堂"),
        description=(
            "地域の子どもたちが安心して食事をとれる居場所として、"
            "月2回の子ども食堂と学習支援を行っています。"
        ),
        field_numbers=(13, 1),
        posts=(
            PostTemplate(
                title="子ども食堂の調理と配膳",
                description=(
                    "公民館の調理室で夕食を作り、子どもたちに配膳します。"
                    "食事のあとは一緒に片付けや遊びの見守りをします。"
                ),
                tasks="調理補助、配膳、食器洗い、子どもの見守り",
                what_to_bring="エプロン、三角巾、上履き",
                field_number=13,
                start_hour=15,
                hours=4,
                capacities=(4, 5, 6),
            ),
            PostTemplate(
                title="子ども食堂の学習支援",
                description=(
                    "食事の前の時間に、小中学生の宿題を見守ります。"
                    "教えるよりも、一緒に考える姿勢を大切にしています。"
                ),
                tasks="宿題の見守り、読み聞かせ",
                what_to_bring="筆記用具、上履き",
                field_number=13,
                start_hour=16,
                hours=2,
                capacities=(3, 4),
            ),
            PostTemplate(
                title="オンライン学習支援",
                description=(
                    "ビデオ会議で小中学生の宿題や自習を見守ります。"
                    "自宅から参加でき、接続の手順は事前にお知らせします。"
                ),
                tasks="宿題の質問への回答、自習の見守り",
                what_to_bring="パソコンまたはタブレット、マイク付きイヤホン",
                field_number=13,
                start_hour=19,
                hours=1,
                capacities=(4, 6),
                is_online=True,
            ),
        ),
    ),
    GroupTheme(
        name_patterns=("{district}里山保全の会", "{district}耕作放棄地再生クラブ"),
        description=(
            "荒れた耕作放棄地や里山の手入れを通じて、"
            "中山間地域の景観と暮らしを守っています。"
        ),
        field_numbers=(5, 7),
        posts=(
            PostTemplate(
                title="耕作放棄地の草刈り",
                description=(
                    "使われなくなった田畑の草を刈り、もう一度耕せる状態に"
                    "戻します。刈払機は経験者が担当し、初めての方は集草を"
                    "お願いします。"
                ),
                tasks="草刈り、集草、刈った草の運搬",
                what_to_bring="長袖長ズボン、長靴、軍手、帽子、飲み物",
                field_number=5,
                start_hour=8,
                hours=3,
                capacities=(8, 10, 15),
                minimum_age=16,
                accepts_teams=True,
            ),
            PostTemplate(
                title="竹林の間伐ボランティア",
                description=(
                    "放置されて広がった竹林を間伐し、明るい里山を取り戻します。"
                    "切った竹は竹炭や竹チップに活用します。"
                    "チェーンソーを使う作業があるため、18歳以上の方が対象です。"
                ),
                tasks="竹の伐採補助、枝払い、運搬、竹チップ作り",
                what_to_bring="長袖長ズボン、作業用手袋、帽子、飲み物",
                field_number=7,
                start_hour=9,
                hours=4,
                capacities=(10, 12, 15),
                # Chainsaws are in use, so only adults take part.
                welcomes_high_school=False,
                minimum_age=18,
                accepts_teams=True,
            ),
        ),
    ),
    GroupTheme(
        name_patterns=("{district}動物愛護ボランティア", "{district}保護犬猫の会"),
        description=(
            "保護された犬や猫の世話と譲渡会を通じて、"
            "新しい家族との出会いを支えています。"
        ),
        field_numbers=(7, 3),
        posts=(
            PostTemplate(
                title="保護犬・保護猫のお世話",
                description=(
                    "シェルターで暮らす犬や猫の食事、散歩、清掃をお手伝い"
                    "いただきます。動物アレルギーのある方はご注意ください。"
                ),
                tasks="給餌、犬の散歩、ケージの清掃、洗濯",
                what_to_bring="汚れてもよい服装、飲み物",
                field_number=7,
                start_hour=9,
                hours=3,
                capacities=(3, 4, 5),
            ),
            PostTemplate(
                title="譲渡会の会場運営",
                description=(
                    "保護犬・保護猫の譲渡会で、来場者の案内や会場の設営をお願いします。"
                ),
                tasks="会場設営、受付、来場者の案内",
                what_to_bring="飲み物",
                field_number=7,
                start_hour=10,
                hours=5,
                capacities=(5, 6),
            ),
            PostTemplate(
                title="譲渡会のチラシとSNS投稿づくり（オンライン）",
                description=(
                    "譲渡会の告知チラシとSNS投稿を、ビデオ会議で相談しながら"
                    "作ります。デザインの経験は問いません。"
                ),
                tasks="写真の選定、告知文の作成、チラシのレイアウト",
                what_to_bring="パソコン",
                field_number=7,
                start_hour=20,
                hours=2,
                capacities=(3, 4),
                is_online=True,
            ),
        ),
    ),
    GroupTheme(
        name_patterns=("{district}海岸クリーンの会", "{district}浜をきれいにする会"),
        description=("瀬戸内海と日本海の海岸で、漂着ごみの回収と調査を続けています。"),
        field_numbers=(7,),
        posts=(
            PostTemplate(
                title="海岸清掃（ビーチクリーン）",
                description=(
                    "砂浜に打ち上げられたプラスチックや漁具を拾い、種類ごとに"
                    "分別します。家族連れや企業チームも歓迎です。"
                ),
                tasks="ごみ拾い、分別、回収量の記録",
                what_to_bring="帽子、軍手、飲み物、タオル",
                field_number=7,
                start_hour=9,
                hours=2,
                capacities=(20, 30, 40),
                accepts_teams=True,
            ),
        ),
    ),
    GroupTheme(
        name_patterns=("{district}防災ボランティアネット", "{district}災害支援の会"),
        description=(
            "大雨や地震に備え、災害ボランティアセンターの運営訓練と"
            "地域の防災学習を行っています。"
        ),
        field_numbers=(8, 9),
        posts=(
            PostTemplate(
                title="災害ボランティア養成講座と運営訓練",
                description=(
                    "被災地で活動するときの心構えと安全管理を学び、"
                    "災害ボランティアセンターの受付から送り出しまでを"
                    "模擬体験します。"
                ),
                tasks="講座の受講、センター運営の模擬訓練",
                what_to_bring="筆記用具、動きやすい服装",
                field_number=8,
                start_hour=13,
                hours=4,
                capacities=(20, 30),
                accepts_teams=True,
            ),
            PostTemplate(
                title="避難所開設訓練のお手伝い",
                description=(
                    "地区の避難所開設訓練で、段ボールベッドの組み立てや"
                    "受付の設営を行います。"
                ),
                tasks="段ボールベッドの組み立て、受付設営、片付け",
                what_to_bring="軍手、飲み物",
                field_number=9,
                start_hour=9,
                hours=3,
                capacities=(10, 15),
            ),
        ),
    ),
    GroupTheme(
        name_patterns=("{district}ふれあいサロン", "{district}見守り隊"),
        description=(
            "ひとり暮らしの高齢者が気軽に集えるサロンと、見守り訪問を続けています。"
        ),
        field_numbers=(1, 3),
        posts=(
            PostTemplate(
                title="高齢者サロンの運営補助",
                description=(
                    "集会所でのお茶会や体操、脳トレの時間に、参加者の"
                    "お話し相手になっていただきます。"
                ),
                tasks="会場準備、お茶出し、体操の補助、お話し相手",
                what_to_bring="上履き",
                field_number=1,
                start_hour=10,
                hours=2,
                capacities=(3, 4, 5),
            ),
            PostTemplate(
                title="買い物支援の付き添い（通年）",
                description=(
                    "移動販売車の停留所で、高齢の方の買い物と荷物運びを"
                    "お手伝いします。ご都合のよい日に参加できます。"
                ),
                tasks="荷物運び、声かけ",
                what_to_bring="飲み物",
                field_number=1,
                start_hour=10,
                hours=2,
                capacities=(10,),
                year_round=True,
                welcomes_high_school=False,
                minimum_age=18,
            ),
        ),
    ),
    GroupTheme(
        name_patterns=("{district}まちづくり協議会", "{district}地域づくりの会"),
        description=(
            "地域の祭りや清掃活動を通じて、住民どうしのつながりを育てています。"
        ),
        field_numbers=(3, 4),
        posts=(
            PostTemplate(
                title="夏祭りの会場運営",
                description=(
                    "地区の夏祭りで、模擬店の手伝いや会場の誘導を"
                    "お願いします。高校生の参加も歓迎します。"
                ),
                tasks="模擬店の補助、会場誘導、ごみの分別案内",
                what_to_bring="帽子、飲み物",
                field_number=3,
                start_hour=16,
                hours=4,
                capacities=(10, 15, 20),
                accepts_teams=True,
            ),
            PostTemplate(
                title="観光案内所の案内ボランティア",
                description=(
                    "週末の観光案内所で、観光客に散策コースや見どころを"
                    "ご案内します。英語で案内できる方も歓迎します。"
                ),
                tasks="観光案内、パンフレットの補充",
                what_to_bring="筆記用具",
                field_number=4,
                start_hour=10,
                hours=4,
                capacities=(2, 3),
            ),
        ),
    ),
)

# Share of groups of each legal form, as percentages.
LEGAL_FORM_WEIGHTS = {
    "npo": 15,
    "certified_npo": 1,
    "voluntary": 60,
    "neighbourhood": 18,
    "workers_cooperative": 2,
    "other": 4,
}
LEGAL_FORM_PREFIXES = {
    "npo": "NPO法人",
    "certified_npo": "認定NPO法人",
    "workers_cooperative": "ワーカーズ",
}
