"""Which pages the site has, in every language: a path inside the language folder, a template, a context.

Each page type's context is built by one function of `views.py`; this module only lists the pages, so
adding a page is one line here, one function there and one template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from benchmark.publish.edition import read_edition
from benchmark.publish.site import codebook, film_view, incentive_view, views
from benchmark.publish.site.data import Inputs
from benchmark.publish.site.helpers import Helpers

NAV: tuple[tuple[str, str], ...] = (
    ("home", "index.html"),
    ("matrix", "matrix.html"),
    ("rankings", "rankings/index.html"),
    ("countries", "countries/index.html"),
    ("compare", "compare.html"),
    ("tax", "tax.html"),
    ("film", "film.html"),
    ("incentive", "incentive.html"),
    ("regions", "regions/index.html"),
    ("methodology", "methodology.html"),
    ("sources", "sources.html"),
    ("quality", "quality.html"),
    ("downloads", "downloads.html"),
    ("contribute", "contribute.html"),
)


@dataclass
class Page:
    key: str  # the path inside a language folder, the same in every language
    kind: str  # the page type (one template each)
    section: str  # the navigation entry it belongs to
    title: str
    build: Callable[[], dict[str, Any]] = dict
    crumbs: list[tuple[str, str]] = field(default_factory=list)
    description: str = ""

    @cached_property
    def context(self) -> dict[str, Any]:
        """The page's view, built when the page is rendered: listing the pages costs nothing, and a worker
        process builds only the views of the pages it renders (render.py)."""
        return self.build()

    @property
    def template(self) -> str:
        return f"{self.kind}.html.j2"


def pages(h: Helpers, inputs: Inputs) -> list[Page]:
    t = h.L.t
    out: list[Page] = []

    def add(
        key: str,
        kind: str,
        section: str,
        title: str,
        build: Callable[[], dict[str, Any]],
        crumbs: list[tuple[str, str]] | None = None,
    ) -> None:
        out.append(Page(key, kind, section, title, build, crumbs or []))

    data = inputs.data
    add("index.html", "home", "home", t("home.title"), lambda: views.home(h, inputs))
    add("matrix.html", "matrix", "matrix", t("matrix.title"), lambda: views.matrix(h, inputs))
    add("rankings/index.html", "rankings", "rankings", t("rankings.title"), lambda: views.rankings(h, inputs))
    for profile in inputs.rankings.profiles:
        add(
            f"rankings/{profile.name}.html",
            "ranking",
            "rankings",
            profile.title(h.L.code),
            lambda profile=profile: views.ranking(h, inputs, profile),  # type: ignore[misc]
            [(t("rankings.title"), "rankings/index.html")],
        )
    add("countries/index.html", "countries", "countries", t("countries.title"), lambda: views.countries(h, inputs))
    add("regions/index.html", "regions", "regions", t("regions.title"), lambda: views.regions(h, inputs))
    for section, places in (("countries", data.countries), ("regions", data.regions)):  # one page template
        for place in places:
            add(
                f"{section}/{place.code}.html",
                "place",
                section,
                place.name(h.L.code),
                lambda place=place: views.place(h, inputs, place),  # type: ignore[misc]
                [(t(f"{section}.title"), f"{section}/index.html")],
            )
    add("compare.html", "compare", "compare", t("compare.title"), lambda: views.compare(h, inputs))
    add("tax.html", "tax", "tax", t("tax.title"), lambda: views.tax(h, inputs))
    add("film.html", "film", "film", t("film.title"), lambda: film_view.film(h, inputs.data))
    add("incentive.html", "incentive", "incentive", t("incentive.title"), lambda: incentive_view.context(h, inputs))
    add("methodology.html", "methodology", "methodology", t("methodology.title"), lambda: views.methodology(h, inputs))
    crumbs = [(t("methodology.title"), "methodology.html")]
    add("codebook.html", "codebook", "methodology", t("codebook.title"), lambda: codebook.view(h.L.code), crumbs)
    add("sources.html", "sources", "sources", t("sources.title"), lambda: views.sources(h, inputs))
    add("quality.html", "quality", "quality", t("quality.title"), lambda: views.quality(h, inputs))
    add("downloads.html", "downloads", "downloads", t("downloads.title"), lambda: views.downloads(h, inputs))
    add("contribute.html", "contribute", "contribute", t("contribute.title"), lambda: {"released": read_edition()})
    return out
