"""MkDocs hook: typeset the formulas at build time, as MathML (no JavaScript, nothing fetched).

``pymdownx.arithmatex`` (generic mode) leaves each formula as ``<span class="arithmatex">\\(...\\)``
or ``<div class="arithmatex">\\[...\\]``; ``latex2mathml`` turns the LaTeX into MathML, which
browsers draw natively. A formula it cannot read is a warning naming the page (strict fails).
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from latex2mathml.converter import convert

_log = logging.getLogger("mkdocs.hooks.mathml")

# latex2mathml writes \tanh x as <mi>tanh</mi><mi>x</mi>, without the thin space TeX puts
# between a function name and its argument; add it (not before a bracket, as in TeX).
_NAMES = r"(?:sin|cos|tan|sinh|cosh|tanh|exp|ln|log|lg|det|dim|ker|arg|sgn)"
_ARGUMENT = r"(?=<mi|<mn|<msub|<msup|<msubsup|<mrow><mi)"
_FUNCTION = re.compile(rf"(?<!<msup>)(?<!<msub>)(?<!<msubsup>)(<mi>{_NAMES}</mi>){_ARGUMENT}")
_POWERED_FUNCTION = re.compile(rf"(<msup><mi>{_NAMES}</mi><mn>[0-9]+</mn></msup>){_ARGUMENT}")
# \operatorname{Var} and \max become <mo>Var</mo>, which a browser spaces like a binary
# operator ("Var (W)"); TeX sets them as upright names, like <mi>.
_NAMED_OPERATOR = re.compile(r"<mo>([A-Za-z]{2,})</mo>")
# latex2mathml keeps TeX's escapes inside \text{...}: `\text{fan\_in}` would read "fan\_in".
_TEXT_ESCAPE = re.compile(r"(<mtext>[^<]*?)\\([_%&$#{}])")
# \mathrel{+}= (TeX's "+=", one relation) comes out as <mo><mrow><mo>+</mo></mrow></mo><mo>=</mo>: an <mo> holds
# text only, and the browser spaces the two operators apart, "+ =". One <mo> with both signs.
_MATHREL = re.compile(r"<mo><mrow>((?:<mo>[^<]*</mo>)+)</mrow></mo>((?:<mo>&#x0003D;</mo>)?)")
# latex2mathml writes |x| and \lvert x \rvert as two bare <mo>|</mo>; the browser spaces the closing one as an infix
# operator, "|a - b |  <= c". In a formula with an even number of bars they open and close in turn, as in TeX.
_BAR = re.compile(r'<mo(?: stretchy="false")?>(&#x0007C;|&#x02016;)</mo>')
# f' comes out as <msup><mi>f</mi><mi>′</mi></msup>; the prime glyph sits high already, and as a superscript it floats
# above and apart, "f ʹ (z)". TeX's f′: the prime after its base, on the line.
_PRIME = re.compile(r"<msup>(<(mi|mtext)>[^<]*</\2>)<mi>(&#x0203[234];)</mi></msup>")
_INLINE = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.S)
_DISPLAY = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.S)


def to_mathml(latex: str, display: bool) -> str:
    """MathML for one formula (LaTeX as written between the dollars)."""
    mathml = convert(latex.strip(), display="block" if display else "inline")
    mathml = _MATHREL.sub(lambda m: f"<mo>{re.sub('</?mo>', '', m.group(1) + m.group(2))}</mo>", mathml)
    mathml = _NAMED_OPERATOR.sub(r"<mi>\1</mi>", mathml)
    mathml = _PRIME.sub(r'\1<mo lspace="0" rspace="0">\3</mo>', mathml)
    while _TEXT_ESCAPE.search(mathml):
        mathml = _TEXT_ESCAPE.sub(r"\1\2", mathml)
    bars = _BAR.findall(mathml)
    if bars and len(bars) % 2 == 0:
        form = iter(["prefix", "postfix"] * len(bars))
        mathml = _BAR.sub(lambda m: f'<mo form="{next(form)}" stretchy="false">{m.group(1)}</mo>', mathml)
    space = r'\1<mspace width="0.1667em" />'
    return _POWERED_FUNCTION.sub(space, _FUNCTION.sub(space, mathml))


def _replacer(page: Any, display: bool):
    def replace(m: re.Match) -> str:
        latex = html.unescape(m.group(1))
        try:
            mathml = to_mathml(latex, display)
        except Exception as exc:  # latex2mathml raises a variety of errors on bad input
            _log.warning("%s: cannot typeset the formula %r: %s", page.file.src_uri, latex, exc)
            return m.group(0)
        if display:
            return f'<div class="arithmatex">{mathml}</div>'
        return f'<span class="arithmatex">{mathml}</span>'

    return replace


# A heading's formula reaches the tables of contents as the bare text arithmatex left there, \(q^*\).
_TOC_INLINE = re.compile(r"\\\((.+?)\\\)", re.S)


def _typeset_toc(items: Any, page: Any) -> None:
    for item in items:
        item.title = _TOC_INLINE.sub(_replacer(page, False), item.title)
        _typeset_toc(item.children, page)


def on_page_content(html_text: str, page: Any, **kwargs: Any) -> str:
    if "arithmatex" not in html_text:
        return html_text
    _typeset_toc(page.toc, page)
    html_text = _DISPLAY.sub(_replacer(page, True), html_text)
    return _INLINE.sub(_replacer(page, False), html_text)
