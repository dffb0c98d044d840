"""The whole-document safety net: every amount printed in the table's amount columns (总计 …
其他资金) is counted page by page, apart from how rows are grouped, and must be matched by an
amount a row holds. Whatever is left over is an error finding naming its page and text: money is
never lost silently, whatever went wrong in between.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from extract.findings import finding
from extract.grammar.amounts import parse_amount
from extract.layouts.pdf.amount_lines import group_amount_lines, looks_like_amount
from extract.layouts.pdf.column_header import AMOUNT_COLUMNS, COLUMN_TITLES
from extract.layouts.pdf.geometry import TextLine
from extract.model import Finding, Lineage

Key = tuple[int, Decimal]  # (column, amount)


class AmountLedger:
    def __init__(self) -> None:
        self.printed: Counter[Key] = Counter()
        self.printed_pages: dict[Key, list[int]] = {}
        self.placed_amounts: Counter[Key] = Counter()
        self.placed_pages: dict[Key, list[int]] = {}
        self.reported: set[str] = set()  # texts a row already reported as not an amount
        self.unreadable: list[tuple[int, str, int]] = []  # (column, text, page)
        self.unfinished: dict[int, tuple[str, int]] = {}  # column -> (text so far, page it began on)

    def printed_on_page(self, page: int, columns: Sequence[Sequence[TextLine]]) -> None:
        """Count the amounts printed on `page` (`columns`: every column's lines in the table's
        region, top to bottom); an amount left unfinished at the page's foot goes on on the next."""
        for column in AMOUNT_COLUMNS:
            texts = [line.compact for line in columns[column]]
            carried = self.unfinished.pop(column, None)
            if carried is not None:
                texts.insert(0, carried[0])
            groups = group_amount_lines(texts)
            for n, group in enumerate(groups):
                text = "".join(texts[i] for i in group)
                began = carried[1] if carried is not None and group[0] == 0 else page
                value = parse_amount(text)
                if value is not None:
                    self.printed[column, value] += 1
                    self.printed_pages.setdefault((column, value), []).append(began)
                elif n == len(groups) - 1 and looks_like_amount(text):
                    self.unfinished[column] = (text, began)
                elif looks_like_amount(text):
                    self.unreadable.append((column, text, began))

    def placed(self, column: int, value: Decimal, page: int | None) -> None:
        self.placed_amounts[column, value] += 1
        if page is not None:
            self.placed_pages.setdefault((column, value), []).append(page)

    def unreadable_in_row(self, text: str) -> None:
        """A row reported `text` as not an amount; the ledger need not report it again."""
        self.reported.add(text)

    def findings(self) -> list[Finding]:
        out: list[Finding] = []
        for column, (text, page) in sorted(self.unfinished.items()):
            self.unreadable.append((column, text, page))
        self.unfinished = {}
        for column, text, page in self.unreadable:
            if text in self.reported:
                continue
            out.append(finding("unplaced_amount", f"Page {page}: {text!r} in the {COLUMN_TITLES[column]} column "
                                                  "is not an amount the table could hold: its money cannot be read.",
                               lineage=Lineage([page]), text=text))
        missing = self.printed - self.placed_amounts
        for (column, value), count in sorted(missing.items()):
            pages = sorted(set(self.printed_pages[column, value]))
            where = ", ".join(map(str, pages))
            out.append(finding(
                "unplaced_amount", f"Page(s) {where}: the amount {value:,.2f} printed in the {COLUMN_TITLES[column]} "
                f"column{f' ({count} times)' if count > 1 else ''} is held by no row that was read: its money "
                "would be lost.", lineage=Lineage(pages), text=f"{value:,.2f}"))
        extra = self.placed_amounts - self.printed
        for (column, value), _ in sorted(extra.items()):
            pages = sorted(set(self.placed_pages.get((column, value), [])))
            out.append(finding(
                "unplaced_amount", f"Page(s) {', '.join(map(str, pages)) or '?'}: a row holds {value:,.2f} in the "
                f"{COLUMN_TITLES[column]} column, an amount not printed there as such: amounts were joined or "
                "split wrongly.", lineage=Lineage(pages), text=f"{value:,.2f}"))
        return out
