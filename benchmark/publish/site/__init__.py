"""The static comparison site: `build_site(facts, folder)` renders every page in English, Russian and Kazakh.

Modules, in the order data flows: `data` arranges the store's frames for pages, `rankings` asks the ranking
engine, `downloads` writes the files to download, `helpers` and `formatting` show values in a language,
`charts` draws SVG, `views` builds each page type's context, `pages` lists the pages, `build` renders and
writes them. Templates, CSS, the script and the UI strings live in `site/` at the top of the repository.
"""

from benchmark.publish.site.build import BuildSummary, SiteError, build_site

__all__ = ["BuildSummary", "SiteError", "build_site"]
