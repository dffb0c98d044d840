"""Ideographs that a PDF's ToUnicode map spells as radicals (项⽬ for 项目, 部⻔ for 部门).

Noto Sans CJK / Source Han Sans draw a Kangxi radical (U+2F00…), a CJK radical supplement
character (U+2E80…) or a few Extension A ideographs with the very glyph of a unified ideograph.
A producer that builds the PDF's ToUnicode map from the font's cmap backwards and keeps the
lowest code point for each glyph (Chromium's Skia does) writes the radical, so the text reads
⽬ where the page shows 目: a known trap of Chrome-printed CJK PDFs. NFKC does not undo it (⻔
has no decomposition, and ⼾ decomposes to the traditional 戶, not the 户 a simplified font
draws). `TO_IDEOGRAPH` maps each such code point to the unified ideograph that shares its glyph
in Noto Sans CJK SC, generated from that font's cmap (fontTools: every code point in U+2E80–2FDF
and U+3400–4DBF whose glyph also serves a code point in U+4E00–9FFF, mapped to the lowest such).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_PAIRS = (
    "⺂乛⺃乚⺅亻⺉刂⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫⺦丬⺨犭⺭礻⺯糹⺰纟⺱罓⺹耂⺺肀⺾艹⻂衤⻅见⻆角"
    "⻈讠⻉贝⻋车⻌辶⻐钅⻑長⻒镸⻓长⻔门⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻟飠⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻮齿⻯竜⻰龙"
    "⻱龜⻲亀⻳龟⼀一⼁丨⼂丶⼃丿⼄乙⼅亅⼆二⼇亠⼈人⼉儿⼊入⼋八⼌冂⼍冖⼎冫⼏几⼐凵⼑刀⼒力⼓勹⼔匕⼕匚⼖匸⼗十⼘卜⼙卩⼚厂⼛厶⼜又"
    "⼝口⼞囗⼟土⼠士⼡夂⼢夊⼣夕⼤大⼥女⼦子⼧宀⼨寸⼩小⼪尢⼫尸⼬屮⼭山⼮巛⼯工⼰己⼱巾⼲干⼳幺⼴广⼵廴⼶廾⼷弋⼸弓⼺彡⼻彳⼼心⼽戈"
    "⼾户⼿手⽀支⽁攴⽂文⽃斗⽄斤⽅方⽆无⽇日⽈曰⽉月⽊木⽋欠⽌止⽍歹⽎殳⽏毋⽐比⽑毛⽒氏⽓气⽔水⽕火⽖爪⽗父⽘爻⽙爿⽚片⽛牙⽜牛⽝犬"
    "⽞玄⽟玉⽠瓜⽡瓦⽢甘⽣生⽤用⽥田⽦疋⽧疒⽨癶⽩白⽪皮⽫皿⽬目⽭矛⽮矢⽯石⽰示⽱禸⽲禾⽳穴⽴立⽵竹⽶米⽷糸⽸缶⽹网⽺羊⽻羽⽼老⽽而"
    "⽿耳⾀聿⾁肉⾂臣⾃自⾄至⾅臼⾆舌⾇舛⾈舟⾉艮⾊色⾋艸⾌虍⾍虫⾎血⾏行⾐衣⾑襾⾒見⾔言⾕谷⾖豆⾗豕⾘豸⾙貝⾚赤⾛走⾜足⾝身⾞車⾟辛"
    "⾠辰⾡辵⾢邑⾣酉⾤釆⾥里⾦金⾧長⾨門⾩阜⾪隶⾫隹⾬雨⾭靑⾮非⾯面⾰革⾱韋⾲韭⾳音⾴頁⾵風⾶飛⾷食⾸首⾹香⾺馬⾼高⾽髟⾾鬥⾿鬯⿀鬲"
    "⿁鬼⿂魚⿃鳥⿄鹵⿅鹿⿆麥⿇麻⿈黃⿉黍⿊黑⿋黹⿌黽⿍鼎⿎鼓⿏鼠⿑齊⿒齒⿓龍⿕龠㫚曶㬵胶㬺幐㮣槩"
)
TO_IDEOGRAPH: dict[str, str] = {_PAIRS[i]: _PAIRS[i + 1] for i in range(0, len(_PAIRS), 2)}
# The same trap one step further: shaping Chinese text substitutes the full-width dash glyph for
# the em dash (2010—2020), and that glyph's only code point is U+2015 HORIZONTAL BAR.
TO_IDEOGRAPH["\u2015"] = "\u2014"
FIRST, LAST = min(TO_IDEOGRAPH), max(TO_IDEOGRAPH)


def ideographs_for_radicals(chars: Sequence[dict[str, Any]]) -> None:
    """Spell each char's radical as the ideograph it is drawn as, in place."""
    for char in chars:
        text = char["text"]
        if FIRST <= text <= LAST:
            char["text"] = TO_IDEOGRAPH.get(text, text)
