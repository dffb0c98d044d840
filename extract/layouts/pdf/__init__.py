"""The published PDF table, read with pdfplumber: chars and rulings -> lines -> cells -> rows.

* `reader`: the thin entry point (`read_pdf`), one page at a time; `pages_to_table` composes the
  steps below for any pages given as (number, chars, edges), hand-made ones included.
* `page`: one page to a `PageTable` (furniture, column boundaries, row pieces), composing
  `column_header` (the seven labels, wrapped or not), `columns` (boundaries from `rulings` or from
  the labels and the body's gaps; a line cut into cells) and `cells` (column lines to row pieces).
* `rows`: row pieces of successive pages to `TableRow`s, whatever the alignment; `amount_lines`
  rejoins an amount wrapped in its cell.
* `ledger`: the safety net: every amount printed in the amount columns is held by a row, or an
  error finding names its page.
* `geometry` (lines, text), `settings` (`ReaderSettings`), `workarounds` (pdfminer and pdfplumber).
"""
