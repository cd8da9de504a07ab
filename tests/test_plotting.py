"""The shared plotting helper: Chinese text renders with the bundled CJK fallback font."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from needlab import _plotting  # noqa: E402

LABELS = ["满意", "价格偏高", "配送 speed"]


@pytest.fixture(autouse=True)
def _isolated_rc():
    """Each test gets matplotlib's defaults back afterwards (the fallback edits rcParams)."""
    with matplotlib.rc_context():
        yield
    plt.close("all")


def _chinese_plot(ax=None):
    ax = _plotting.axes(ax)
    ax.bar(LABELS, [3, 2, 1], color=_plotting.PALETTE[0], label="满意度 share")
    ax.set_title("顾客需求 Customer needs")
    ax.set_ylabel("比例")
    ax.legend(title="图例")
    return ax


def _glyph_fonts(ax) -> set[str]:
    """Fonts whose glyphs the SVG output embeds (ids are ``<postscript name>-<glyph index>``)."""
    buf = io.StringIO()
    ax.get_figure().savefig(buf, format="svg")
    return set(re.findall(r'<path id="(.+?)-[0-9a-f]+"', buf.getvalue()))


def test_font_file_is_bundled_and_registered():
    path = _plotting.cjk_font_path()
    assert path is not None and path.suffix == ".otf" and path.stat().st_size > 1_000_000
    assert _plotting.use_cjk_fallback() is True
    names = {f.name for f in font_manager.fontManager.ttflist if Path(f.fname) == path}
    assert names == {_plotting.CJK_FAMILY}


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_chinese_ticks_title_legend_render_without_missing_glyphs(fmt):
    ax = _chinese_plot()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would raise here
        buf = io.BytesIO()
        ax.get_figure().savefig(buf, format=fmt)
    assert len(buf.getvalue()) > 1000
    assert [t.get_text() for t in ax.get_xticklabels()] == LABELS


def test_pdf_embeds_both_fonts_with_type42_too():
    ax = _chinese_plot()
    with matplotlib.rc_context({"pdf.fonttype": 42}), warnings.catch_warnings():
        warnings.simplefilter("error")
        buf = io.BytesIO()
        ax.get_figure().savefig(buf, format="pdf")
    fonts = {m.split(b"+")[-1] for m in re.findall(rb"/BaseFont /(\S+)", buf.getvalue())}
    assert {b"DejaVuSans", b"NotoSansSC-Regular"} <= fonts


def test_latin_text_keeps_the_default_font():
    default = font_manager.findfont(font_manager.FontProperties())  # before any fallback
    ax = _plotting.axes()
    assert matplotlib.rcParams["font.family"][-1] == _plotting.CJK_FAMILY
    assert font_manager.findfont(font_manager.FontProperties()) == default
    assert Path(default).name == "DejaVuSans.ttf"
    ax.set_xticks([0, 1], ["Price", "Speed"])
    ax.set_yticks([])
    ax.set_title("Customer needs")
    assert _glyph_fonts(ax) == {"DejaVuSans"}
    ax.set_title("顾客")
    assert _glyph_fonts(ax) == {"DejaVuSans", "NotoSansSC-Regular"}


def test_chinese_only_title_is_drawn_from_the_fallback():
    ax = _plotting.axes()
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title("顾客需求")
    assert _glyph_fonts(ax) == {"NotoSansSC-Regular"}


def test_user_axes_made_before_the_fallback_get_it():
    matplotlib.rcParams["font.family"] = ["sans-serif"]  # as if nothing had run yet
    fig, own = plt.subplots()  # the title and axis labels are made with the plain family
    assert _plotting.CJK_FAMILY not in own.title.get_fontfamily()
    ax = _chinese_plot(own)
    assert ax is own
    assert _plotting.CJK_FAMILY in own.title.get_fontfamily()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png")


def test_fallback_is_idempotent():
    path = _plotting.cjk_font_path()
    for _ in range(3):
        assert _plotting.use_cjk_fallback() is True
        _plotting.axes()
    family = list(matplotlib.rcParams["font.family"])
    assert family.count(_plotting.CJK_FAMILY) == 1
    entries = [f for f in font_manager.fontManager.ttflist if Path(f.fname) == path]
    assert len(entries) == 1
    # a user who resets the family gets the fallback back on the next plot, once
    matplotlib.rcParams["font.family"] = ["serif"]
    _plotting.axes()
    assert list(matplotlib.rcParams["font.family"]) == ["serif", _plotting.CJK_FAMILY]


def test_axes_size():
    ax = _plotting.axes(figsize=(3, 2))
    assert tuple(ax.get_figure().get_size_inches()) == (3, 2)
