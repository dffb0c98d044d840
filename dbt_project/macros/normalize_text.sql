{#-
  Punctuation-normalised text for matching; the original text is kept beside it.
  Full-width forms become ASCII (：→: ，→, ；→; （→( ）→) ％→% ＜→< ＞→> ＝→= digits, letters),
  ≧/≦ and >=/<= become ≥/≤, runs of whitespace (including the ideographic space) become one space,
  and the closing 。 / ; / , is dropped.
-#}
{% macro normalize_text(expression) -%}
    nullif(
        rtrim(
            trim(regexp_replace(
                replace(replace(replace(replace(
                    translate(
                        {{ expression }},
                        '：，；（）％＜＞＝～－—–！？［］｛｝／＊＋．“”‘’　０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ≧≦',
                        ':,;()%<>=~---!?[]{}/*+.""'''' 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz≥≤'
                    ),
                '>=', '≥'), '<=', '≤'), '=<', '≤'), '=>', '≥'),
                '\s+', ' ', 'g'
            )),
            '。;, '
        ),
        ''
    )
{%- endmacro %}

{#- The compact form used in match keys: normalised text without any whitespace. -#}
{% macro compact_text(expression) -%}
    nullif(regexp_replace({{ normalize_text(expression) }}, '\s+', '', 'g'), '')
{%- endmacro %}
