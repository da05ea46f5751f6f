"""Texts of the pro bono demo data: requests, workers, notes and messages.

The texts are in Japanese, as a group in Yamaguchi would write them.
"""

from dataclasses import dataclass

from probono.models import SupportRequest, WorkMode


@dataclass(frozen=True)
class RequestTemplate:
    title: str
    challenge: str
    description: str
    outcome: str
    skill_keys: tuple[str, ...]
    work_mode: str = WorkMode.EITHER


REQUEST_TEMPLATES = (
    RequestTemplate(
        "団体ホームページの作り直し",
        SupportRequest.Challenge.WEBSITE,
        "十年前に作ったホームページが古くなり、スマートフォンで読みにくく、"
        "更新できる人もいません。",
        "会員が自分で更新できる、スマートフォン対応のホームページ。",
        ("it_web", "writing"),
        WorkMode.REMOTE,
    ),
    RequestTemplate(
        "SNSでの情報発信の立ち上げ",
        SupportRequest.Challenge.SOCIAL_MEDIA,
        "活動を若い世代に知ってもらいたいのですが、SNSの使い方がわかりません。",
        "投稿の方針と三か月分の投稿計画、担当者が続けられる手順書。",
        ("marketing", "media_editing"),
        WorkMode.REMOTE,
    ),
    RequestTemplate(
        "会計処理の見直し",
        SupportRequest.Challenge.BOOKKEEPING,
        "手書きの帳簿で会計をしており、NPO法人の会計基準に沿った決算書づくりに"
        "毎年苦労しています。",
        "会計ソフトへの移行と、会計担当者向けの月次の手順。",
        ("accounting", "office"),
        WorkMode.EITHER,
    ),
    RequestTemplate(
        "クラウドファンディングの企画",
        SupportRequest.Challenge.CROWDFUNDING,
        "活動拠点の改修費を集めたいのですが、寄付を募った経験がありません。",
        "目標額と返礼の設計、募集ページの文章と写真。",
        ("planning", "writing", "marketing"),
        WorkMode.REMOTE,
    ),
    RequestTemplate(
        "オンライン会議の環境づくり",
        SupportRequest.Challenge.ONLINE_MEETINGS,
        "会員が県内各地に住んでおり、月例会に集まるのが難しくなっています。",
        "オンライン会議の機材と手順、会員向けの練習会。",
        ("it_web", "facilitation"),
        WorkMode.ON_SITE,
    ),
    RequestTemplate(
        "中期計画づくりの支援",
        SupportRequest.Challenge.PLANNING,
        "代表の交代を控え、これからの五年間の活動方針を会員で話し合いたいです。",
        "会員ワークショップの進行と、中期計画の文書。",
        ("planning", "facilitation", "consulting"),
        WorkMode.ON_SITE,
    ),
    RequestTemplate(
        "活動紹介の動画とチラシ",
        SupportRequest.Challenge.PUBLICITY,
        "ボランティアの募集に使える、活動の様子が伝わる資料がありません。",
        "三分程度の紹介動画と、A4両面のチラシ。",
        ("media_editing", "writing"),
        WorkMode.EITHER,
    ),
    RequestTemplate(
        "利用者アンケートの設計と分析",
        SupportRequest.Challenge.OTHER,
        "事業の成果を助成元に説明するため、利用者の声を数字で示したいです。",
        "アンケート票と集計表、報告書に使える分析のまとめ。",
        ("research", "writing"),
        WorkMode.REMOTE,
    ),
)

PROFESSIONS = {
    "planning": "事業企画",
    "marketing": "広報・マーケティング",
    "consulting": "経営コンサルタント",
    "facilitation": "研修講師",
    "it_web": "Webエンジニア",
    "media_editing": "映像ディレクター",
    "research": "データアナリスト",
    "rnd": "研究開発職",
    "accounting": "税理士",
    "sales": "法人営業",
    "office": "総務",
    "writing": "編集者・ライター",
}
EMPLOYERS = ("", "", "", "山口ケミカル株式会社", "周南テック株式会社", "下関銀行")
# Home prefectures and countries of the workers who live outside Yamaguchi.
HOME_REGIONS = ("東京都", "大阪府", "福岡県", "広島県", "神奈川県", "ドイツ")
SURNAMES = (
    "岡田", "森", "安部", "小野", "池田", "重村", "山根", "金子", "佐伯", "野村",
)  # fmt: skip
GIVEN_NAMES = ("直樹", "明美", "隆", "千尋", "亮", "香織", "悠真", "彩", "智子", "学")

CANCEL_REASONS = {
    "staff": "団体内で担当者を確保できたため、今回は取り下げます。",
    "concierge": "団体の事情により活動が休止となったため、プロジェクトを終了します。",
}
HOLD_NOTE = "団体の総会まで、いったん保留にしてほしいとの連絡がありました。"
HEARING_NOTE = (
    "代表と事務局長に聞き取り。現状の課題、使える予算、会員の関わり方を確認しました。"
)
MILESTONE_TITLES = ("現状の整理と方針の合意", "試作の確認", "仕上げと引き継ぎ")
PROGRESS_NOTES = (
    "方針の打ち合わせを終え、作業に入りました。",
    "試作を団体に見てもらい、いくつか修正の要望をいただきました。",
)
MESSAGES = (
    (
        "staff",
        "チームの皆さん、よろしくお願いします。初回の打ち合わせの候補日を送ります。",
    ),
    ("worker", "よろしくお願いします。平日の夜でしたら参加できます。"),
    ("concierge", "初回はオンラインで行いましょう。会議のリンクは前日にお送りします。"),
)
EVALUATION_COMMENTS = {
    "group": "専門的な視点で丁寧に進めていただき、会員の意識も変わりました。",
    "worker": "団体の皆さんが熱心で、地域の役に立てたことをうれしく思います。",
}
CASE_STUDY_RESULTS = (
    "団体の担当者が自分で更新・発信を続けられるようになり、"
    "新しい会員やボランティアからの問い合わせが増えました。"
)
