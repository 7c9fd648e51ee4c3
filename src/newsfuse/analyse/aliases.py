"""Name normalisation and story-level alias resolution.

Sources spell the same name differently: transliterations ("Sergey" /
"Sergei", "Zelensky" / "Zelenskyy"), diacritics ("Märten" / "Marten"),
short forms ("Putin" for "Vladimir Putin"), acronyms ("OSCE") and country
aliases ("US" / "United States"). This module turns a name into a
*phonetic key* that is equal for such variants, and groups the mentions of a
story into one :class:`~newsfuse.analyse.model.Entity` per real-world entity.

The rules are deliberately conservative: a wrong merge (two people shown as
one) is worse in a brief than a missed one, so fuzzy matching is only used
between full person names whose other tokens agree, with a strict threshold
and the same first letter (or a g/k, c/k, z/s swap).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import blake2b

from rapidfuzz.distance import Levenshtein

from .model import Entity, Mention

__all__ = [
    "fold",
    "token_key",
    "name_key",
    "is_acronym",
    "initials",
    "is_place",
    "same_token",
    "compatible_person",
    "entity_id",
    "resolve_entities",
]

# Letters that Unicode decomposition does not reduce to ASCII.
_EXTRA_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "œ": "oe", "ı": "i", "þ": "th", "ð": "d", "’": "'", "‘": "'"}
)
_NON_WORD = re.compile(r"[^a-z0-9&' ]+")
_SPACES = re.compile(r"\s+")

# Orthographic and transliteration rewrites applied to one folded token, in
# order. Each pair maps spellings that English, German, French and official
# transliterations use for the same sound (Khodorkovsky/Chodorkowski are out
# of reach; Sergey/Sergei, Yury/Yuri, Anthony/Antony, Zelenskyy/Zelensky,
# Kiev/Kyiv, Qaddafi/Kadhafi are in).
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"^[yj]e", "e"),  # Yevgeny / Evgeny, Jelena / Elena
        (r"sch", "sh"),
        (r"ph", "f"),
        (r"kh", "h"),
        (r"gh", "g"),
        (r"th", "t"),
        (r"dh", "d"),
        (r"ck", "k"),
        (r"q", "k"),
        (r"tz", "ts"),
        (r"x", "ks"),
        (r"w", "v"),
        (r"y", "i"),
        (r"ij$", "i"),  # Zelenskyj
        (r"ie", "i"),
        (r"ei", "i"),
        (r"ou", "u"),
    )
)
_DOUBLE = re.compile(r"(.)\1+")
_POSSESSIVE = re.compile(r"['’]s?$")

# Words that do not count towards an acronym's letters ("Organization for
# Security and Co-operation in Europe" -> OSCE).
_ACRONYM_SKIP = frozenset("of the for and in on at to a an de du des la le et &".split())

HONORIFICS = frozenset(
    "mr mrs ms miss mx dr sir dame lord lady mme mlle m herr frau monsieur madame senor senora signor signora".split()
)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII form of ``text``: diacritics folded, dots and
    punctuation dropped, whitespace collapsed.

    Examples
    --------
    >>> fold("Märten")
    'marten'
    >>> fold("U.S.")
    'us'
    """
    text = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.translate(_EXTRA_FOLD).replace(".", "")
    # Hyphens and dashes separate name parts ("Port Avel–Kestrel Island").
    text = _NON_WORD.sub(" ", text).replace("'", "")
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def token_key(token: str) -> str:
    """The phonetic key of one name token (already folded or not).

    Examples
    --------
    >>> token_key("Zelenskyy") == token_key("Zelensky") == token_key("Zelenskiy")
    True
    >>> token_key("Kiev") == token_key("Kyiv")
    True
    >>> token_key("Biden") == token_key("Boden")
    False
    """
    t = fold(token).replace(" ", "")
    for pattern, repl in _REWRITES:
        t = pattern.sub(repl, t)
    return _DOUBLE.sub(r"\1", t)


@lru_cache(maxsize=65536)
def name_key(text: str) -> tuple[str, ...]:
    """The key of a whole name: one phonetic key per token, without a
    leading article, possessive or honorific; country aliases are mapped to
    their canonical name first ("U.S." and "United States" share a key).

    Examples
    --------
    >>> name_key("Sergey Ryabkov") == name_key("Sergei Ryabkov")
    True
    >>> name_key("the U.S.") == name_key("United States")
    True
    """
    words = fold(_POSSESSIVE.sub("", text.strip())).split()
    while words and (words[0] == "the" or words[0] in HONORIFICS):
        words = words[1:]
    f = " ".join(words)
    f = _COUNTRY_ALIASES.get(f, f)
    return tuple(k for k in (token_key(w) for w in f.split()) if k)


def is_acronym(text: str) -> bool:
    """True for an upper-case abbreviation of 2–6 letters ("NATO", "U.S.").

    Examples
    --------
    >>> is_acronym("OSCE"), is_acronym("U.S."), is_acronym("Moscow")
    (True, True, False)
    """
    letters = text.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def initials(text: str) -> str:
    """Initial letters of the significant words of a multi-word name.

    Examples
    --------
    >>> initials("Organization for Security and Co-operation in Europe")
    'osce'
    """
    words = [w for w in fold(text.replace("-", "")).split() if w not in _ACRONYM_SKIP]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


# First letters that transliterations swap (Gurbanguly / Kurbanguly,
# Selenskyj / Zelensky); other first letters must be equal.
_FIRST_CLASS = {"c": "k", "g": "k", "q": "k", "z": "s"}


def same_token(a: str, b: str) -> bool:
    """Whether two phonetic token keys name the same thing: equal, or one edit
    apart in a long token with the same first letter (or one of the pairs
    g/k, c/k, z/s that transliterations swap; rapidfuzz normalised
    similarity >= 0.85: one edit allowed from 7 letters on, two from 14).

    Examples
    --------
    >>> same_token(token_key("Austria"), token_key("Australia"))
    False
    >>> same_token(token_key("Biden"), token_key("Boden"))
    False
    """
    if a == b:
        return True
    if not a or not b or _FIRST_CLASS.get(a[0], a[0]) != _FIRST_CLASS.get(b[0], b[0]) or min(len(a), len(b)) < 7:
        return False
    return Levenshtein.normalized_similarity(a, b) >= 0.85


def _initial_of(a: str, b: str) -> bool:
    """One token is a single-letter initial of the other ("J" / "john")."""
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def compatible_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two full (two or more token) person-name keys can be the same
    person: surnames agree, first names agree, and middle names agree when
    both have them (a missing middle name or a matching initial is fine).

    At most one of first name and surname may differ by a fuzzy edit; the
    other must be identical, so "John Smith" / "Jane Smith" stay apart.

    Examples
    --------
    >>> compatible_person(name_key("Harry S. Truman"), name_key("Harry Truman"))
    True
    >>> compatible_person(name_key("John Smith"), name_key("Jane Smith"))
    False
    """
    if len(a) < 2 or len(b) < 2:
        return False
    first_eq, last_eq = a[0] == b[0], a[-1] == b[-1]
    if not (first_eq or last_eq):
        return False
    if not (same_token(a[0], b[0]) and same_token(a[-1], b[-1])):
        return False
    ma, mb = a[1:-1], b[1:-1]
    if ma and mb:
        if len(ma) != len(mb):
            return False
        return all(x == y or _initial_of(x, y) or same_token(x, y) for x, y in zip(ma, mb, strict=True))
    return True


@lru_cache(maxsize=65536)
def entity_id(name: str, label: str) -> str:
    """A stable, readable id from a canonical name and a label
    (``person-vladimir-putin``); long names get a short hash suffix.

    Examples
    --------
    >>> entity_id("Vladimir Putin", "PERSON")
    'person-vladimir-putin'
    """
    slug = fold(name).replace(" ", "-").replace("'", "") or "x"
    if len(slug) > 48:
        digest = blake2b(f"{label}|{fold(name)}".encode(), digest_size=4).hexdigest()
        slug = f"{slug[:40].rstrip('-')}-{digest}"
    return f"{label.lower()}-{slug}"


# ---------------------------------------------------------------------------
# Places: a compact gazetteer of countries, capitals, large cities, US
# states and much-reported territories in English spellings. spaCy's small
# model tags some of them as people or organisations ("Kiev" as PERSON); an
# exact match of the whole mention is the evidence that overrides it.
# ---------------------------------------------------------------------------
_PLACES = """
Afghanistan; Albania; Algeria; Andorra; Angola; Antigua and Barbuda; Argentina; Armenia; Australia; Austria;
Azerbaijan; Bahamas; Bahrain; Bangladesh; Barbados; Belarus; Belgium; Belize; Benin; Bhutan; Bolivia;
Bosnia; Bosnia and Herzegovina; Botswana; Brazil; Brunei; Bulgaria; Burkina Faso; Burundi; Cambodia; Cameroon;
Canada; Cape Verde; Cabo Verde; Central African Republic; Chad; Chile; China; Colombia; Comoros; Congo;
Costa Rica; Croatia; Cuba; Cyprus; Czech Republic; Czechia; Denmark; Djibouti; Dominica; Dominican Republic;
Ecuador; Egypt; El Salvador; Equatorial Guinea; Eritrea; Estonia; Eswatini; Ethiopia; Fiji; Finland; France;
Gabon; Gambia; Georgia; Germany; Ghana; Greece; Grenada; Guatemala; Guinea; Guinea-Bissau; Guyana; Haiti;
Honduras; Hungary; Iceland; India; Indonesia; Iran; Iraq; Ireland; Israel; Italy; Ivory Coast; Jamaica; Japan;
Jordan; Kazakhstan; Kenya; Kiribati; Kosovo; Kuwait; Kyrgyzstan; Laos; Latvia; Lebanon; Lesotho; Liberia;
Libya; Liechtenstein; Lithuania; Luxembourg; Madagascar; Malawi; Malaysia; Maldives; Mali; Malta; Mauritania;
Mauritius; Mexico; Micronesia; Moldova; Monaco; Mongolia; Montenegro; Morocco; Mozambique; Myanmar; Burma;
Namibia; Nauru; Nepal; Netherlands; Holland; New Zealand; Nicaragua; Niger; Nigeria; North Korea;
North Macedonia; Macedonia; Norway; Oman; Pakistan; Palau; Palestine; Panama; Papua New Guinea; Paraguay; Peru;
Philippines; Poland; Portugal; Qatar; Romania; Russia; Rwanda; Samoa; San Marino; Saudi Arabia; Senegal;
Serbia; Seychelles; Sierra Leone; Singapore; Slovakia; Slovenia; Somalia; South Africa; South Korea;
South Sudan; Spain; Sri Lanka; Sudan; Suriname; Sweden; Switzerland; Syria; Taiwan; Tajikistan; Tanzania;
Thailand; Timor-Leste; East Timor; Togo; Tonga; Trinidad and Tobago; Tunisia; Turkey; Turkmenistan; Tuvalu;
Uganda; Ukraine; United Arab Emirates; United Kingdom; Britain; Great Britain; England; Scotland; Wales;
Northern Ireland; United States; America; Uruguay; Uzbekistan; Vanuatu; Vatican; Venezuela; Vietnam; Yemen;
Zambia; Zimbabwe; Greenland; Hong Kong; Macau; Puerto Rico; Gaza; Gaza Strip; West Bank; Crimea; Donbas;
Kashmir; Tibet; Xinjiang; Chechnya; Kurdistan; Catalonia; Abkhazia; South Ossetia; Transnistria;
Nagorno-Karabakh; Western Sahara; Golan Heights;
Kabul; Tirana; Algiers; Luanda; Buenos Aires; Yerevan; Canberra; Vienna; Baku; Nassau; Manama; Dhaka; Minsk;
Brussels; Sarajevo; Gaborone; Brasilia; Sofia; Ouagadougou; Phnom Penh; Yaounde; Ottawa; Bangui; N'Djamena;
Santiago; Beijing; Bogota; Kinshasa; Brazzaville; San Jose; Zagreb; Havana; Nicosia; Prague; Copenhagen;
Santo Domingo; Quito; Cairo; San Salvador; Asmara; Tallinn; Addis Ababa; Helsinki; Paris; Libreville; Banjul;
Tbilisi; Berlin; Accra; Athens; Conakry; Port-au-Prince; Tegucigalpa; Budapest; Reykjavik; New Delhi; Delhi;
Jakarta; Tehran; Baghdad; Dublin; Jerusalem; Tel Aviv; Rome; Kingston; Tokyo; Amman; Astana; Nairobi; Pristina;
Bishkek; Vientiane; Riga; Beirut; Monrovia; Tripoli; Vilnius; Antananarivo; Kuala Lumpur; Bamako; Valletta;
Mexico City; Chisinau; Ulaanbaatar; Podgorica; Rabat; Maputo; Naypyidaw; Yangon; Windhoek; Kathmandu;
Amsterdam; The Hague; Wellington; Managua; Niamey; Abuja; Lagos; Pyongyang; Skopje; Oslo; Muscat; Islamabad;
Ramallah; Panama City; Asuncion; Lima; Manila; Warsaw; Lisbon; Doha; Bucharest; Moscow; Kigali; Riyadh; Dakar;
Belgrade; Freetown; Bratislava; Ljubljana; Mogadishu; Pretoria; Johannesburg; Cape Town; Seoul; Juba; Madrid;
Colombo; Khartoum; Stockholm; Bern; Damascus; Taipei; Dushanbe; Dodoma; Dar es Salaam; Bangkok; Tunis; Ankara;
Istanbul; Ashgabat; Kampala; Kiev; Abu Dhabi; Dubai; London; Washington; Montevideo; Tashkent; Caracas; Hanoi;
Sanaa; Lusaka; Harare; Edinburgh; Cardiff; Belfast; New York; Los Angeles; Chicago; San Francisco; Miami;
Shanghai; Mumbai; Karachi; Lahore; Sao Paulo; Rio de Janeiro; St Petersburg; Saint Petersburg; Geneva; Zurich;
Munich; Frankfurt; Hamburg; Milan; Naples; Barcelona; Marseille; Lyon; Toronto; Montreal; Vancouver; Sydney;
Melbourne; Osaka; Kharkiv; Odesa; Mariupol; Donetsk; Luhansk; Lviv; Aleppo; Homs; Idlib; Mosul; Basra; Kandahar;
Davos; Strasbourg; Gdansk; Krakow; Minneapolis; Houston; Dallas; Boston; Philadelphia; Atlanta; Seattle;
Alabama; Alaska; Arizona; Arkansas; California; Colorado; Connecticut; Delaware; Florida; Hawaii; Idaho;
Illinois; Indiana; Iowa; Kansas; Kentucky; Louisiana; Maine; Maryland; Massachusetts; Michigan; Minnesota;
Mississippi; Missouri; Montana; Nebraska; Nevada; New Hampshire; New Jersey; New Mexico; North Carolina;
North Dakota; Ohio; Oklahoma; Oregon; Pennsylvania; Rhode Island; South Carolina; South Dakota; Tennessee;
Texas; Utah; Vermont; Virginia; West Virginia; Wisconsin; Wyoming
"""

# Country names whose variants no spelling rule reaches. Keys and values are
# folded forms; the value is the form the key stands for.
_COUNTRY_ALIASES: dict[str, str] = {
    "us": "united states",
    "usa": "united states",
    "united states of america": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "russian federation": "russia",
    "holland": "netherlands",
    "burma": "myanmar",
    "cote divoire": "ivory coast",
    "czechia": "czech republic",
    "turkiye": "turkey",
    "swaziland": "eswatini",
    "east timor": "timor leste",
    "cabo verde": "cape verde",
    "uae": "united arab emirates",
    "prc": "china",
    "peoples republic of china": "china",
    "dprk": "north korea",
    "saint petersburg": "st petersburg",
}


@lru_cache(maxsize=1)
def _place_keys() -> frozenset[tuple[str, ...]]:
    names = (n.strip() for n in _PLACES.replace("\n", " ").split(";"))
    return frozenset(name_key(n) for n in names if n)


def is_place(text: str) -> bool:
    """Whether ``text`` is (a spelling variant of) a country, capital, large
    city, US state or much-reported territory.

    Examples
    --------
    >>> is_place("Kyiv"), is_place("Kiev"), is_place("Putin")
    (True, True, False)
    """
    key = name_key(text)
    return bool(key) and key in _place_keys()


# ---------------------------------------------------------------------------
# Resolution across a story
# ---------------------------------------------------------------------------

# Fixed order to break label-vote ties deterministically.
_LABEL_ORDER = ("PERSON", "GPE", "ORG", "LOC", "NORP", "FAC", "PRODUCT", "EVENT")


@dataclass(slots=True)
class _Form:
    """All mentions that share one name key."""

    key: tuple[str, ...]
    labels: Counter[str] = field(default_factory=Counter)
    surfaces: Counter[str] = field(default_factory=Counter)
    items: list[tuple[str, Mention]] = field(default_factory=list)
    has_role: bool = False
    acronym: bool = False


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def find(self, x: tuple[str, ...]) -> tuple[str, ...]:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: tuple[str, ...], b: tuple[str, ...]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller key becomes the root so the result does not depend on order.
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def _mention_key(m: Mention) -> tuple[str, ...]:
    key = name_key(m.text)
    if not key:  # nothing left after folding ("The", symbols): group by the raw text
        return ("~" + m.text.casefold(),)
    if m.label == "NORP" and key and len(key[-1]) > 4 and key[-1].endswith("s"):
        # "Ukrainians" and "Ukrainian" are one group of people.
        key = key[:-1] + (key[-1][:-1],)
    return key


def _collect_forms(mentions_by_article: dict[str, list[Mention]]) -> dict[tuple[str, ...], _Form]:
    forms: dict[tuple[str, ...], _Form] = {}
    for aid, mentions in mentions_by_article.items():
        for m in mentions:
            key = _mention_key(m)
            f = forms.get(key)
            if f is None:
                f = forms[key] = _Form(key)
            f.labels[m.label] += 1
            f.surfaces[m.text] += 1
            f.items.append((aid, m))
            f.has_role |= bool(m.role) and m.label == "PERSON"
            f.acronym |= is_acronym(m.text)
    return forms


def _is_person_form(f: _Form) -> bool:
    return f.has_role or f.labels["PERSON"] * 2 > sum(f.labels.values())


def _link_joined(forms: dict[tuple[str, ...], _Form], uf: _UnionFind) -> None:
    """Join names that differ only in where words break ("Co-operation" /
    "Cooperation", "Nagorno Karabakh" / "Nagorno-Karabakh")."""
    by_joined: dict[tuple[str, bool], tuple[str, ...]] = {}
    for key in sorted(forms):
        joined = (_DOUBLE.sub(r"\1", "".join(key)), _is_person_form(forms[key]))
        if joined in by_joined:
            uf.union(by_joined[joined], key)
        else:
            by_joined[joined] = key


def _link_acronyms(forms: dict[tuple[str, ...], _Form], uf: _UnionFind) -> None:
    """Join an acronym with the one multi-word name whose initials it spells."""
    by_initials: dict[str, list[tuple[str, ...]]] = {}
    for key, f in forms.items():
        if len(key) >= 2 and not _is_person_form(f):
            for surface in f.surfaces:
                ini = initials(surface)
                if ini and key not in by_initials.setdefault(ini, []):
                    by_initials[ini].append(key)
    for key, f in forms.items():
        if f.acronym and len(key) == 1 and not _is_person_form(f):
            candidates = {uf.find(k) for k in by_initials.get(key[0], [])}
            if len(candidates) == 1:
                uf.union(key, next(iter(candidates)))


def _link_people(forms: dict[tuple[str, ...], _Form], uf: _UnionFind) -> None:
    """Join full person names that are spelling variants of each other."""
    people = sorted(k for k, f in forms.items() if len(k) >= 2 and _is_person_form(f))
    # Block on the first letter of the surname: variants share it (same_token requires it).
    blocks: dict[str, list[tuple[str, ...]]] = {}
    for k in people:
        blocks.setdefault(k[-1][:1], []).append(k)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if compatible_person(a, b):
                    uf.union(a, b)


def _vote_label(forms: Iterable[_Form]) -> str:
    labels: Counter[str] = Counter()
    role = False
    for f in forms:
        labels.update(f.labels)
        role |= f.has_role
    if role:
        return "PERSON"
    return max(labels, key=lambda lab: (labels[lab], -_rank(lab)))


def _rank(label: str) -> int:
    return _LABEL_ORDER.index(label) if label in _LABEL_ORDER else len(_LABEL_ORDER)


def _canonical(surfaces: Counter[str], label: str) -> str:
    """The most complete form (a full name for people, the spelled-out name
    rather than an acronym otherwise), then the most frequent, then the
    longest, then the alphabetically first."""

    def completeness(s: str) -> int:
        if label == "PERSON":
            return min(len(s.split()), 2)
        return 0 if is_acronym(s) else 1

    return min(surfaces, key=lambda s: (-completeness(s), -surfaces[s], -len(s), s))


@dataclass(slots=True)
class _Group:
    label: str
    items: list[tuple[str, Mention]] = field(default_factory=list)


def _attach_surnames(groups: dict[tuple[str, ...], _Group]) -> None:
    """Move surname-only mentions to the one full name they can stand for.

    A mention goes to the full name with that surname mentioned in its own
    article when there is exactly one; otherwise to the story's only one;
    with two or more candidates it stays on its own (no guessing).
    """
    by_surname: dict[str, list[tuple[str, ...]]] = {}
    for root, g in groups.items():
        if g.label == "PERSON":
            for _, m in g.items:
                key = _mention_key(m)
                if len(key) >= 2 and root not in by_surname.setdefault(key[-1], []):
                    by_surname[key[-1]].append(root)
    for root, g in list(groups.items()):
        if len(root) != 1 or not (g.label == "PERSON" or _surname_tagged_as_org(g)):
            continue
        story = [r for surname, roots in by_surname.items() if same_token(surname, root[0]) for r in roots]
        story = sorted(set(story))
        if not story or (g.label != "PERSON" and len(story) != 1):
            continue
        articles = {r: {aid for aid, _ in groups[r].items} for r in story}
        keep: list[tuple[str, Mention]] = []
        for aid, m in g.items:
            local = [r for r in story if aid in articles[r]]
            target = local[0] if len(local) == 1 else story[0] if len(story) == 1 and not local else None
            if target is None:
                keep.append((aid, m))
            else:
                groups[target].items.append((aid, m))
        g.items = keep
        if not keep:
            del groups[root]


def _surname_tagged_as_org(g: _Group) -> bool:
    """A one-word organisation-like name that can be a person's surname the
    model mislabelled ("Zelenskiy said" tagged ORG): not an acronym and not a
    place, where one word names both a person and a place too often
    (Washington, Jordan)."""
    if g.label not in ("ORG", "NORP", "FAC"):
        return False
    texts = {m.text for _, m in g.items}
    return not any(is_acronym(t) or is_place(t) or not t[:1].isupper() for t in texts)


def _build_entity(g: _Group, order: dict[str, int]) -> Entity:
    surfaces = Counter(m.text for _, m in g.items)
    name = _canonical(surfaces, g.label)
    ent = Entity(id=entity_id(name, g.label), name=name, label=g.label, mentions=len(g.items))
    ent.aliases = sorted(surfaces, key=lambda s: (-surfaces[s], s))
    items = sorted(g.items, key=lambda it: (order[it[0]], it[1].start))
    for aid, m in items:
        if aid not in ent.articles:
            ent.articles.append(aid)
        if m.role:
            roles = ent.roles.setdefault(aid, [])
            if all(r.casefold() != m.role.casefold() for r in roles):
                roles.append(m.role)
    return ent


def resolve_entities(mentions_by_article: dict[str, list[Mention]]) -> list[Entity]:
    """One canonical entity per real-world entity across a story's articles.

    Parameters
    ----------
    mentions_by_article : dict of str to list of Mention
        The mentions of each article (from :func:`extract_mentions`), keyed
        by article id.

    Returns
    -------
    list of Entity
        Most-mentioned first. Each mention's ``entity`` is set to its
        entity's id and its ``label`` to the entity's label (the story-level
        vote corrects spaCy's per-mention mistakes).

    Notes
    -----
    Mentions are grouped by their phonetic key (transliteration, spelling and
    diacritic variants share one), acronyms are joined to the one spelled-out
    name they abbreviate, full person names to their close spelling
    variants, and surname-only mentions to the one full name with that
    surname (in their article first, then in the story). Ids derive from
    the canonical name and label, so the same story gives the same ids
    whatever the order of its articles.
    """
    forms = _collect_forms(mentions_by_article)
    uf = _UnionFind()
    for key in sorted(forms):
        uf.find(key)
    _link_joined(forms, uf)
    _link_acronyms(forms, uf)
    _link_people(forms, uf)
    members: dict[tuple[str, ...], list[_Form]] = {}
    for key in sorted(forms):
        members.setdefault(uf.find(key), []).append(forms[key])
    groups = {
        root: _Group(_vote_label(fs), [it for f in fs for it in f.items]) for root, fs in members.items()
    }
    _attach_surnames(groups)
    order = {aid: i for i, aid in enumerate(mentions_by_article)}
    pairs = sorted(((_build_entity(g, order), g) for g in groups.values()), key=lambda p: _entity_order(p[0]))
    seen: Counter[str] = Counter()
    for ent, g in pairs:
        seen[ent.id] += 1
        if seen[ent.id] > 1:  # two groups with one canonical name: keep ids unique
            ent.id = f"{ent.id}-{seen[ent.id]}"
        for _, m in g.items:
            m.entity, m.label = ent.id, ent.label
    return [ent for ent, _ in pairs]


def _entity_order(e: Entity) -> tuple[int, str, str, tuple[str, ...]]:
    return (-e.mentions, e.name, e.label, tuple(e.aliases))
