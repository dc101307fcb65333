"""A Markdown preview that stays light on long documents.

Textual's Markdown widget mounts a widget for every table cell and three for every list
item; at roughly 50 KB each, the export of a 30-person session (about 800 widgets) took
40 MB and over a second to show. Here each table and each list of plain items is one
widget, drawn with Rich; headings, paragraphs, quotes and code stay Textual's own blocks,
so the preview keeps the look of the Markdown widget and follows the theme.
"""

from __future__ import annotations

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.style import Style
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock

# Textual exports its block classes only through this mapping; the subclasses below use a
# few of their attributes (_blocks, _content, bullet), checked by the export snapshot test.
MarkdownTable = Markdown.BLOCKS["table_open"]
MarkdownBulletList = Markdown.BLOCKS["bullet_list_open"]
MarkdownOrderedList = Markdown.BLOCKS["ordered_list_open"]
MarkdownParagraph = Markdown.BLOCKS["paragraph_open"]
MarkdownListItems = (
    Markdown.BLOCKS["list_item_ordered_open"],
    Markdown.BLOCKS["list_item_unordered_open"],
)


def _rich_text(block: MarkdownBlock, content: Content, base: Style | None = None) -> Text:
    """Inline Markdown (bold, code, links…) as Rich text, styled as the block would: each
    span over the block's own style, so that translucent colours blend as Textual's do."""

    def parse_style(style: str | Style) -> Style:
        if isinstance(style, Style):
            return style
        if style.startswith("."):  # .em, .strong, .code_inline: the Markdown CSS
            return block.get_visual_style(style[1:], partial=True)
        return Style.parse(style)

    base = block.visual_style if base is None else base
    text = Text(end="")
    for part, style in content.render(Style.null(), end="", parse_style=parse_style):
        text.append(part, (base + style).rich_style)
    return text


class PreviewTable(MarkdownTable):
    """A GFM table as one widget, with the header and rules of Textual's table."""

    COMPONENT_CLASSES = MarkdownBlock.COMPONENT_CLASSES | {
        "preview-table--header",
        "preview-table--lines",
    }
    DEFAULT_CSS = """
    PreviewTable > .preview-table--header {
        color: $primary;
    }
    PreviewTable > .preview-table--lines {
        color: $foreground 20%;
    }
    """

    def compose(self) -> ComposeResult:
        self._headers, self._rows = self._get_headers_and_rows()
        self._blocks.clear()
        yield from ()

    def render(self) -> RenderableType:
        table = Table(
            box=box.SQUARE,
            show_lines=True,
            expand=True,
            padding=(0, 1),
            border_style=self.get_visual_style("preview-table--lines").rich_style,
        )
        header_style = self.get_visual_style("preview-table--header")
        for header in self._headers:
            table.add_column(_rich_text(self, header, header_style))
        for row in self._rows:
            table.add_row(*(_rich_text(self, cell) for cell in row))
        return table


# A list whose items hold only paragraphs is drawn as one widget: the bullet (or number)
# in a column of its own, so that wrapped lines hang under the text. Lists with anything
# else inside (a nested list, a table) keep Textual's widgets.

_BULLET_CSS = """
{name} > .preview-list--bullet {{
    color: $text-primary;
}}
{name}:light > .preview-list--bullet {{
    color: $text-secondary;
}}
"""


def _plain_items(blocks: list[MarkdownBlock]) -> list[MarkdownBlock] | None:
    items = [block for block in blocks if isinstance(block, MarkdownListItems)]
    for item in items:
        if not all(isinstance(child, MarkdownParagraph) for child in item._blocks):
            return None
    return items


def _paragraphs(item: MarkdownBlock) -> list[Content]:
    return [block._content for block in item._blocks if isinstance(block, MarkdownParagraph)]


def _list_grid(block: MarkdownBlock, items: list[tuple[str, list[Content]]]) -> Table:
    grid = Table.grid(expand=True)
    bullet_style = block.get_visual_style("preview-list--bullet").rich_style
    grid.add_column(no_wrap=True, style=bullet_style)
    grid.add_column(ratio=1)
    for bullet, paragraphs in items:
        body = Text("\n\n", end="").join(_rich_text(block, p) for p in paragraphs)
        grid.add_row(bullet, body)
    return grid


class _OneWidgetList:
    """What both kinds of list share: plain items drawn as one grid, else Textual's own.
    A subclass says how its items are marked (a bullet, a number)."""

    _items: list[tuple[str, list[Content]]] | None = None

    def compose(self) -> ComposeResult:
        items = _plain_items(self._blocks)
        if items is None:
            yield from super().compose()
            return
        self._items = list(zip(self._marks(items), map(_paragraphs, items), strict=True))
        self._blocks.clear()

    def _marks(self, items: list[MarkdownBlock]) -> list[str]:
        raise NotImplementedError

    def render(self) -> RenderableType:
        return super().render() if self._items is None else _list_grid(self, self._items)


class PreviewBulletList(_OneWidgetList, MarkdownBulletList):
    COMPONENT_CLASSES = MarkdownBlock.COMPONENT_CLASSES | {"preview-list--bullet"}
    DEFAULT_CSS = _BULLET_CSS.format(name="PreviewBulletList")

    def _marks(self, items: list[MarkdownBlock]) -> list[str]:
        return [item.bullet for item in items]


class PreviewOrderedList(_OneWidgetList, MarkdownOrderedList):
    COMPONENT_CLASSES = MarkdownBlock.COMPONENT_CLASSES | {"preview-list--bullet"}
    DEFAULT_CSS = _BULLET_CSS.format(name="PreviewOrderedList")

    def _marks(self, items: list[MarkdownBlock]) -> list[str]:
        try:
            start = int(items[0].bullet) if items else 1
        except ValueError:
            start = 1
        # Numbered as Textual numbers them: right-aligned, one space before.
        numbers = [f"{number}. " for number in range(start, start + len(items))]
        width = max((len(number) for number in numbers), default=0) + 1
        return [number.rjust(width) for number in numbers]


class MarkdownPreview(Markdown):
    """Textual's Markdown widget with one widget per table and per plain list."""

    BLOCKS = {
        **Markdown.BLOCKS,
        "table_open": PreviewTable,
        "bullet_list_open": PreviewBulletList,
        "ordered_list_open": PreviewOrderedList,
    }
