import pytest

from jobun.analysis.sentences import split_spans


def sentences_of(text):
    return [text[a:b] for a, b in split_spans(text)]


@pytest.mark.parametrize("text, expected", [
    # 。 inside （…「…」…） does not end the sentence (seed 000, art_1/para_1)
    ("エヌ・ティ・ティ・スマートコネクト株式会社（以下、「当社」という。）はスマートコネクト マネージドサーバコントロールパネル利用規約（以下、「本利用規約」という。）を定めるものとする。",
     ["エヌ・ティ・ティ・スマートコネクト株式会社（以下、「当社」という。）はスマートコネクト マネージドサーバコントロールパネル利用規約（以下、「本利用規約」という。）を定めるものとする。"]),
    # two sentences, 但し starts the second (seed 000, art_5/para_3)
    ("契約者はともに特約を遵守するものとする。但し、特約と本利用規約の内容が競合する場合は特約が優先する。",
     ["契約者はともに特約を遵守するものとする。", "但し、特約と本利用規約の内容が競合する場合は特約が優先する。"]),
    # table rows separated by newlines end sentences even without 。 (seed 000, art_2 table)
    ("次の用語はそれぞれ次の意味で使用するものとする。\n契約者 本利用規約に基づく利用契約を締結し、本サービスの提供を受ける者。\n認証情報 ＩＤ、パスワード、その他の符号のこと\n",
     ["次の用語はそれぞれ次の意味で使用するものとする。", "契約者 本利用規約に基づく利用契約を締結し、本サービスの提供を受ける者。", "認証情報 ＩＤ、パスワード、その他の符号のこと"]),
    # 『』 brackets and a sentence without final 。 (seed 003 preamble)
    ("この「セキュアマネージメントサーバサービス契約約款」（以下『本約款』とします）は、株式会社ディーネット（以下『当社』とします）が定めます。なお、ご承諾頂けない場合はご利用をお断りさせて頂きます",
     ["この「セキュアマネージメントサーバサービス契約約款」（以下『本約款』とします）は、株式会社ディーネット（以下『当社』とします）が定めます。", "なお、ご承諾頂けない場合はご利用をお断りさせて頂きます"]),
    # mixed brackets （…) still balance (seed 001 '（OS、ミドルウェア、DBMS)')
    ("ソフトウェア（OS、ミドルウェア、DBMS。以下同じ)の不具合。当社は責任を負いません。",
     ["ソフトウェア（OS、ミドルウェア、DBMS。以下同じ)の不具合。", "当社は責任を負いません。"]),
    # an opener never closed does not swallow the rest of the line
    ("料金（税込み。当社は請求します。", ["料金（税込み。", "当社は請求します。"]),
    # ... but a pair closed inside it still holds its 。
    ("料金（税込み（注。）あり。当社は請求します", ["料金（税込み（注。）あり。", "当社は請求します"]),
    # surrounding whitespace is not part of a sentence
    ("  本利用規約は２０２０年３月３１日より有効となるものとする。  ", ["本利用規約は２０２０年３月３１日より有効となるものとする。"]),
    # lines without brackets: every 。 ends a sentence, whitespace between them belongs to none
    ("利用者は届け出る。　当社は通知する。\u3000", ["利用者は届け出る。", "当社は通知する。"]),
    ("。。 終わり ", ["。", "。", "終わり"]),
    (" 甲。乙 \n\u3000丙。\t", ["甲。", "乙", "丙。"]),
    ("", []),
    ("  \n \u3000", []),
])
def test_split(text, expected):
    assert sentences_of(text) == expected


def test_spans_are_offsets_into_the_text():
    text = " ２ 前項の申込を承諾した場合は、当社は契約者に対しその旨を通知するものとする。\n次の行為。"
    spans = split_spans(text)
    assert spans[0][0] == 1 and text[spans[0][1] - 1] == "。"
    assert all(not text[a].isspace() and not text[b - 1].isspace() for a, b in spans)
