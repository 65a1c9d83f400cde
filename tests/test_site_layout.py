"""Every page type fits a phone (375 px) and a desktop (1280 px): the page never scrolls sideways, anything
wider than the screen sits in a box that scrolls and says so, and no text is cut off."""

from __future__ import annotations

from typing import Any

import pytest
from site_support import LANGS, PAGE_TYPES, Built

from benchmark.publish.site.browser import file_url

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# What the page reports: elements past the right edge outside a scrolling box, scrolling boxes with no
# cue, and text cut by `overflow: hidden`.
PROBLEMS = """() => {
  const width = document.documentElement.clientWidth, out = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const scroller = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (/(auto|scroll)/.test(s.overflowX)) return p;
    }
    return null;
  };
  const page = document.documentElement.scrollWidth;
  if (page > width + 1) out.push('page scrolls sideways: ' + page);
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.visually-hidden, [hidden], details:not([open]) > :not(summary)')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if (r.right > width + 1 && !scroller(el) && !el.closest('svg')) out.push('past the edge: ' + name(el));
    const s = getComputedStyle(el);
    const cut = s.overflowX === 'hidden' && el.scrollWidth > el.clientWidth + 1;
    if (cut && el.textContent.trim()) out.push('text cut: ' + name(el));
  }
  for (const svg of document.querySelectorAll('svg.chart')) {
    const b = svg.getBoundingClientRect();
    if (!b.width) continue;
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.right > b.right + 1 || r.left < b.left - 1) out.push('chart label cut: ' + svg.id + ': ' + t.textContent);
    }
  }
  for (const box of document.querySelectorAll('.table-scroll')) {
    if (box.closest('[hidden], details:not([open])') || !box.getBoundingClientRect().width) continue;
    const wide = box.scrollWidth > box.clientWidth + 1, tall = box.scrollHeight > box.clientHeight + 1;
    const cue = box.previousElementSibling;
    const cued = cue && cue.classList.contains('scroll-cue') && !cue.hidden;
    if ((wide || tall) && !cued) out.push('no scroll cue: ' + name(box));
  }
  return out.slice(0, 10);
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_no_page_overflows_its_screen_or_cuts_its_text(browser: Any, built: Built, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    found = []
    try:
        for lang in LANGS:
            for kind, path in PAGE_TYPES.items():
                page.goto(file_url(built.folder / lang / path) + ("#c=KAZ,UZB,KGZ" if kind == "compare" else ""))
                page.wait_for_load_state("load")
                found += [f"{lang}/{path} at {width}: {p}" for p in page.evaluate(PROBLEMS)]
    finally:
        page.close()
    assert found == [], "\n".join(found[:30])


def test_the_menu_collapses_on_a_phone(browser: Any, built: Built) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto(file_url(built.folder / "kk" / "index.html"))
        assert page.is_visible("#nav-toggle")
        assert not page.is_visible("#main-nav a")
        page.click("#nav-toggle")
        assert page.get_attribute("#nav-toggle", "aria-expanded") == "true"
        assert page.is_visible("#main-nav a")
        page.set_viewport_size({"width": 1280, "height": 800})
        assert not page.is_visible("#nav-toggle")
    finally:
        page.close()


def test_the_home_table_keeps_its_rank_and_numbers_on_a_phone(browser: Any, built: Built) -> None:
    for width in (375, 1280):
        page = browser.new_page(viewport={"width": width, "height": 800})
        try:
            page.goto(file_url(built.folder / "kk" / "index.html"))
            cells = page.eval_on_selector_all(
                "table.headline tbody tr:first-child > *",
                "cells => cells.map(c => { const r = c.getBoundingClientRect(); return [r.left, r.right]; })",
            )
            box = page.eval_on_selector(
                "table.headline", "t => t.closest('.table-scroll').getBoundingClientRect().right"
            )
            assert cells and all(left >= 0 and right <= box + 0.5 for left, right in cells), (width, box, cells)
        finally:
            page.close()


def test_the_matrix_header_sticks_while_the_rows_scroll(browser: Any, built: Built) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 700})
    try:
        page.goto(file_url(built.folder / "en" / "matrix.html"))
        box = page.locator(".matrix-scroll")
        box.evaluate("b => { b.scrollIntoView(); b.scrollTop = 600; b.scrollLeft = 200; }")
        head = page.evaluate(
            """() => { const b = document.querySelector('.matrix-scroll').getBoundingClientRect();
                       const h = document.querySelector('#matrix thead th.inst').getBoundingClientRect();
                       const c = document.querySelector('#matrix tbody .col-name').getBoundingClientRect();
                       return [b.top, h.top, b.left, c.left]; }"""
        )
        assert abs(head[0] - head[1]) < 2 and abs(head[2] - head[3]) < 2, head
    finally:
        page.close()
