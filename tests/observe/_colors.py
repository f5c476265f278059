"""A helper that tests in tests/observe share (a module of its own, so that no test file imports another, which
pytest would then collect and rewrite a second time under another name)."""

from __future__ import annotations


def wcag_luminance(hex_color: str) -> float:
    """WCAG 2.x relative luminance of a colour `#rrggbb`, from the spec's sRGB formula."""
    def channel(v):
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
