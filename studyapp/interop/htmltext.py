"""Between Anki's HTML fields and our Markdown subset.

Import: <b>/<strong> -> **, <i>/<em> -> *, <br> and block ends -> newlines, list items -> "- ",
http(s) links -> [text](url), every other tag dropped (script and style with their content),
entities unescaped. Export: the reverse for what our Markdown uses, everything else escaped, so
Markdown -> HTML -> Markdown gives back the same text for bold, italics, links and line breaks.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BOLD = {"b", "strong"}
_ITALIC = {"i", "em"}
_BLOCK = {"div", "p", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table"}
_SKIP = {"script", "style", "head", "title"}
_SOUND = re.compile(r"\[sound:[^\]]*\]")


class _ToMarkdown(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.links: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        elif self.skip:
            return
        elif tag == "br":
            self.out.append("\n")
        elif tag in _BOLD:
            self.out.append("**")
        elif tag in _ITALIC:
            self.out.append("*")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in _BLOCK:
            self.newline()
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if href.lower().startswith(("http://", "https://")):
                self.links.append(href)
                self.out.append("[")
            else:
                self.links.append(None)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self.skip -= 1

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif self.skip:
            return
        elif tag in _BOLD:
            self.out.append("**")
        elif tag in _ITALIC:
            self.out.append("*")
        elif tag == "p":
            self.newline(2)
        elif tag in _BLOCK:
            self.newline()
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f"]({href})")

    def newline(self, count: int = 1) -> None:
        """End the current line (or paragraph) unless the text already ends that way."""
        text = "".join(self.out)
        if text and not text.endswith("\n" * count):
            self.out.append("\n" * (count - (1 if text.endswith("\n") else 0)))

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_to_markdown(text: str) -> str:
    parser = _ToMarkdown()
    parser.feed(_SOUND.sub("", text or ""))
    parser.close()
    out = "".join(parser.out).replace("\xa0", " ").replace("\r\n", "\n")
    out = re.sub(r"\*\*(\s*)\*\*", r"\1", out)           # empty bold from <b></b>
    out = re.sub(r"[ \t]+\n", "\n", out)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip()


_MD_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_MD_BOLD = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*")
_MD_ITALIC = re.compile(r"(?<![*\w])[*_](\S(?:.*?\S)?)[*_](?![*\w])")


def markdown_to_html(text: str) -> str:
    """Our Markdown subset as simple Anki HTML (cloze markers are left as they are)."""
    escaped = html.escape(text or "", quote=False)
    links: list[str] = []

    def keep_link(match: re.Match) -> str:
        links.append(f'<a href="{html.escape(match.group(2))}">{match.group(1)}</a>')
        return f"\x01{len(links) - 1}\x01"

    out = _MD_LINK.sub(keep_link, escaped)
    out = _MD_BOLD.sub(r"<b>\1</b>", out)
    out = _MD_ITALIC.sub(r"<i>\1</i>", out)
    out = re.sub("\x01(\\d+)\x01", lambda m: links[int(m.group(1))], out)
    return out.replace("\r\n", "\n").replace("\n", "<br>")
