"""The interface in English, Russian and Kazakh: UI strings, numbers and country names.

UI strings live in `site/locales/{en,ru,kk}.yaml`, one flat key per string; every language has every
key (a test checks). Country names come from pycountry's translations of ISO 3166 where it has one for
the language, and from the record's own `names` otherwise; data text (notes, titles) is shown as
written, in whatever language the source used.
"""

from __future__ import annotations

import gettext
import math
import re
from dataclasses import dataclass, field
from functools import cache

import pycountry
import yaml
from babel import Locale
from babel.numbers import format_compact_decimal, get_decimal_symbol, get_group_symbol

from benchmark import registry, resources

LANGS: tuple[str, ...] = ("en", "ru", "kk")
SITE = resources.path("site")
LOCALES = SITE / "locales"

# Everything names a language in its own words, so a reader finds theirs whatever page they are on.
NATIVE = {"en": "English", "ru": "Русский", "kk": "Қазақша"}


@cache
def strings(lang: str) -> dict[str, str]:
    data = yaml.safe_load((LOCALES / f"{lang}.yaml").read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()}


@cache
def _iso_translation(lang: str) -> gettext.NullTranslations | None:
    if lang == "en":
        return None
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return None


@cache  # asked for on every page that names a country: thousands of times per country at scale
def iso_country_name(code: str, lang: str) -> str | None:
    """The ISO 3166-1 name (common name where ISO gives one) in `lang`, or None where pycountry has none."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return None
    english = getattr(country, "common_name", None) or country.name
    translation = _iso_translation(lang)
    if translation is None:
        return english if lang == "en" else None
    name = translation.gettext(english)
    return name if name != english else None


# The notes the ranking engine writes (benchmark/scoring/score.py), as locale keys, so they read in the
# page's language; a note not listed here is shown as written.
ENGINE_NOTES = {
    "left out: a weighted indicator is missing (missing-value policy: exclude)": "note.left_out_missing",
    "not ranked: no value for any weighted indicator": "note.no_value",
    "no country in this ranking has a value: left out": "note.no_country",
    "a negative value has no logarithm: left missing": "note.negative_log",
}
PLURAL = re.compile(r"\{(\w+)\|([^{}]*)\}")
CATEGORIES = {"en": ("one", "other"), "ru": ("one", "few", "many", "other"), "kk": ("one", "other")}
MIXED_CURRENCIES = re.compile(r"^values are in ([A-Z, ]+); the store has no exchange rates")


@cache
def _marks(code: str) -> tuple[str, str]:
    """The decimal and group marks of a language, from CLDR (Babel): read once, used for every number."""
    return get_decimal_symbol(code), get_group_symbol(code)


@dataclass
class Lang:
    """One language of the site: `t("key")` for UI strings, `number()` for figures."""

    code: str
    ui: dict[str, str] = field(repr=False)

    @classmethod
    def of(cls, code: str) -> Lang:
        return cls(code, strings(code))

    def t(self, key: str, **values: object) -> str:
        """A UI string with its values filled in. `{count|страна|страны|стран}` picks the word the number
        needs: the forms in CLDR's order for the language (one, few, many, other; English: one, other)."""
        text = self.ui.get(key)
        if text is None:
            raise KeyError(f"site/locales/{self.code}.yaml has no string `{key}`")
        if "|" in text:
            text = PLURAL.sub(lambda m: self._form(m, values), text)
        return text.format(**values) if values else text

    def _form(self, found: re.Match[str], values: dict[str, object]) -> str:
        forms = found.group(2).split("|")
        count = values.get(found.group(1))
        if not isinstance(count, int | float):
            return forms[-1]
        order = [c for c in ("one", "two", "few", "many", "other") if c in CATEGORIES.get(self.code, ("one", "other"))]
        category = self.plural(count)
        index = order.index(category) if category in order else len(order) - 1
        return forms[min(index, len(forms) - 1)]

    def has(self, key: str) -> bool:
        return key in self.ui

    def label(self, prefix: str, key: str | None) -> str:
        """A translated word for a data code (`status.present`), or the code itself when there is none."""
        if key is None:
            return ""
        return self.ui.get(f"{prefix}.{key}", key)

    def engine_note(self, note: str | None) -> str | None:
        """The engine's note in this language, or None when the site has no wording for it."""
        if not note:
            return ""
        if note in ENGINE_NOTES:
            return self.t(ENGINE_NOTES[note])
        mixed = MIXED_CURRENCIES.match(note)
        return self.t("note.mixed_currency", currencies=mixed.group(1)) if mixed else None

    def metric(self, metric_id: str) -> str:
        found = registry.metrics().get(metric_id)
        return found.label.get(self.code, found.label["en"]) if found else metric_id

    def instrument(self, instrument_id: str) -> str:
        found = registry.instruments().get(instrument_id)
        return found.label.get(self.code, found.label["en"]) if found else instrument_id

    def number(self, value: float | None, digits: int | None = None) -> str:
        """`1,202,101.2` in English, `1 202 101,2` in Russian and Kazakh (the decimal and group marks of
        Babel's CLDR data); at most 3 decimals unless told, a true minus sign."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "—"
        text = f"{value:,.3f}".rstrip("0").rstrip(".") if digits is None else f"{value:,.{digits}f}"
        if text.lstrip("-").strip("0.,") == "":
            text = text.lstrip("-")
        decimal, group = _marks(self.code)
        return text.replace(",", "\0").replace(".", decimal).replace("\0", group).replace("-", "−")

    def compact(self, value: float) -> str:
        """A large number in words: "1.2 trillion" in English, "1,2 трлн" in Russian and Kazakh."""
        if self.code == "en":
            text = format_compact_decimal(value, format_type="long", fraction_digits=1, locale="en")
        else:
            text = format_compact_decimal(value, format_type="short", fraction_digits=1, locale=self.code)
        return text.replace("-", "−")

    def plural(self, count: float) -> str:
        """The CLDR plural category of `count` in this language: `one`, `few`, `many` or `other`."""
        return str(Locale.parse(self.code).plural_form(abs(count)))
