"""Hostile inputs shared by the XSS and injection suites, and a check that rendered HTML is inert."""
from html.parser import HTMLParser

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    '"><script>alert(1)</script>',
    "<b onmouseover=alert(1)>hi</b>",
    "[x](JaVaScRiPt:alert(1))",
    "<style>body{display:none}</style>",
    "{{c1::<script>alert(1)</script>::<img src=x onerror=alert(1)>}}",
    "'; alert(1); //",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
]

SQL_PAYLOADS = [
    "' OR '1'='1",
    "'; DROP TABLE cards; --",
    "\" OR 1=1 --",
    "%' UNION SELECT password_hash FROM users --",
    "\\' ; --",
    "_%",
]

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "link", "meta", "base", "form"}


class _Inspector(HTMLParser):
    def __init__(self, allowed_scripts: set[str]):
        super().__init__()
        self.problems: list[str] = []
        self.allowed_scripts = allowed_scripts

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script":
            if names.get("src") not in self.allowed_scripts or names.get("src") is None:
                self.problems.append(f"script tag {attrs}")
            return
        if tag in DANGEROUS_TAGS - {"form", "link", "meta"}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in ("href", "src", "action", "xlink:href") and value and \
                    value.replace(" ", "").lower().startswith(("javascript:", "data:text", "vbscript:")):
                self.problems.append(f"{name}={value} on <{tag}>")


def unsafe_markup(html: str, allowed_scripts: set[str] | None = None) -> list[str]:
    """What in `html` could run script. Empty means inert."""
    inspector = _Inspector(allowed_scripts or set())
    inspector.feed(html)
    return inspector.problems
