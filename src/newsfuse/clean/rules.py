"""Line rules: what a scraped line that is not part of the story looks like.

Each rule is a general convention of news sites (comment forms, share and
follow prompts, "See also" teasers, photo credits, video teasers with their
durations, site navigation), written for English, French, German and Spanish,
with Italian and Portuguese where it costs one more word. A rule names itself,
so ``newsfuse clean --explain`` can say why a line went.

Rules look at one line (a paragraph) at a time. What needs context (the zone
after the end of an article, a fragment continuing a removed line, lines
repeated across a batch) is decided in :mod:`newsfuse.clean.cleaner`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..dates import parse_date_line

# Phrase patterns are written in lower case and matched against the lower-cased
# line (computed once per line): faster than case-insensitive matching.
_I = re.UNICODE


def _alt(phrases: str) -> str:
    """A regex alternation from phrases separated by '|' (spaces match any run of space)."""
    return "|".join(p.strip().replace(" ", r"\s+") for p in phrases.split("|") if p.strip())


def _starts(phrases: str, rest: str = r"(?:\W.*)?$") -> re.Pattern[str]:
    return re.compile(rf"^\W{{0,3}}(?:{_alt(phrases)}){rest}", _I)


def _whole(phrases: str) -> re.Pattern[str]:
    return re.compile(rf"^\W{{0,3}}(?:{_alt(phrases)})[\s\W]*$", _I)


def _anywhere(phrases: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{_alt(phrases)})", _I)


# --- comment sections -------------------------------------------------------
_COMMENT = _starts(
    r"leave a (?:reply|comment)|post a comment|add a comment|write a comment|be the first to comment"
    r"|your email address will not be published|required fields are marked|this site uses akismet"
    r"|learn how your comment data is processed|log in to (?:comment|reply)|join the (?:conversation|discussion)"
    r"|comments are closed|show comments|view comments"
    r"|laisser un commentaire|laissez un commentaire|votre adresse (?:e-?mail|de messagerie|courriel) ne sera pas publiée"
    r"|les champs obligatoires sont indiqués|ajouter un commentaire|réagir à cet article|ce site utilise akismet"
    r"|schreibe einen kommentar|kommentar (?:schreiben|hinterlassen|verfassen)|(?:deine|ihre) e-?mail-?adresse wird nicht veröffentlicht"
    r"|erforderliche felder sind mit|diese website verwendet akismet|kommentare (?:anzeigen|lesen)"
    r"|deja (?:un comentario|una respuesta)|dejar un comentario|tu (?:dirección de )?correo electrónico no será publicad"
    r"|los campos obligatorios están marcados|este sitio usa akismet|lascia un commento|deixe (?:um comentário|uma resposta)",
    r".*$",
)
_COMMENT_HEADING = _whole(r"(?:\d+ )?(?:comments?|commentaires?|kommentare?|comentarios?|commenti|comentários)|reader comments|user comments")

# --- "source link", "see also" and other teasers ------------------------------
_SOURCE_LINK = _starts(r"source link|original source|lien source|lien d'origine|quellenlink|link zur quelle|enlace (?:de )?(?:origen|fuente)|fonte originale|link da fonte", r"(?:\W.{0,20})?$")
# "Source: Reuters" credits an outlet; "Sources: Sox May Not Be Out Of The Chase" is a headline.
_SOURCE_CREDIT = re.compile(r"^\W{0,3}(?:source|quelle|fuente|fonte)\s*[:：]\s*(?:\S+\s*){1,4}$", _I)
_TEASER = _starts(
    r"see also|read also|also read|also interesting|read more|more on this(?: story)?|more from|related coverage|related stories|related articles"
    r"|further reading|you (?:may|might) also like|don'?t miss|recommended reading|editor'?s picks?|trending now|must read"
    r"|lire aussi|à lire aussi|a lire aussi|à lire également|voir aussi|lire la suite|sur le même sujet|à voir aussi|notre sélection"
    r"|lesen sie auch|lesen sie mehr|auch interessant|mehr zum thema|siehe auch|weiterlesen|das könnte sie auch interessieren"
    r"|lee también|leer más|ver también|te puede interesar|también te puede interesar|te recomendamos"
    r"|leggi anche|vedi anche|potrebbe interessarti|leia também|veja também|saiba mais",
    r"(?:\s*[:：|\-–—»>]\s*.{0,200}|\s+.{0,200})?$",
)
# "Related:" / "More:" / "Watch:" need their colon: "Related measures were announced" is prose.
_TEASER_COLON = re.compile(r"^\W{0,3}(?:related|more|watch|video|listen|gallery|podcast|live|breaking|vidéo|à voir|regarder|zum video|im video|mehr dazu|ver video|mira|escucha|relacionad[oa]s?|más información)\s*[:：|]\s*.{0,200}$", _I)
_VIDEO_WORD = _starts(r"play video|watch video|video duration|now playing|up next|duration", r"(?:\W.{0,80})?$")

# --- follow, share, newsletter prompts ---------------------------------------
_FOLLOW = re.compile(r"^\W{0,3}(?:" + _alt(
    r"(?:follow|like|join|find) (?:us|\S+(?: \S+)?) on (?:twitter|facebook|instagram|google news|telegram|whatsapp|linkedin|youtube|tiktok|x|threads|bluesky|mastodon)"
    r"|follow us\b|(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletter|updates|alerts|email|inbox)"
    r"|subscribe (?:to|now|today)\b|get (?:our|the) (?:daily )?newsletter|download (?:our|the) app"
    r"|suivez[- ](?:nous|\S+) sur|abonnez-vous|inscrivez-vous\b.{0,60}newsletter|recevez (?:notre|la) newsletter"
    r"|folgen sie (?:uns|\S+) (?:auf|bei)|abonnieren sie|newsletter abonnieren|melden sie sich\b.{0,60}newsletter"
    r"|síguenos en|suscríbete|suscribite|seguici su|iscriviti alla newsletter|siga-nos"
) + ")", _I)
_SHARE_WORDS = set(
    "share shares shared sharing this article story post page on via by with to your friends tweet email e-mail mail print copy "
    "link url facebook twitter x linkedin whatsapp telegram pinterest reddit messenger flipboard tumblr bluesky threads "
    "partager partagez imprimer copier le lien sur cet teilen artikel drucken kopieren auf per compartir imprimir copiar "
    "enlace en condividi stampa compartilhar compartilhe".split()
)
_SHARE_MUST = {"share", "tweet", "partager", "partagez", "teilen", "compartir", "condividi", "compartilhar", "compartilhe"}

# --- bylines and credits ------------------------------------------------------
_NAME = r"(?:[A-ZÀ-Þ][\w'’.\-]*|(?:van|von|de|del|da|di|der|la|le|bin|al|el)\b)"
_STAFF = r"(?i:admin|administrator|editor|editors|staff|newsdesk|webdesk|team|redaktion|rédaction|redacción|redazione|agencies|agences|agenturen|guest|author)"
_BYLINE = re.compile(
    rf"^\W{{0,3}}(?i:by|par|von|por|di|text|written by|posted by|published by|story by|author|auteur|autor|autorin|autore)\s*[:：]?\s+"
    rf"(?P<names>(?:{_NAME}(?:\s+{_NAME}){{0,4}}|(?:the\s+)?{_STAFF})(?:\s*(?:,|and|&|et|und|y|e)\s*(?:{_NAME}(?:\s+{_NAME}){{0,4}}|{_STAFF}))*)"
    rf"(?P<rest>\s*(?:[,|·•–—-]\s*.{{0,80}})?)$",
    re.UNICODE,
)
_CREDIT = re.compile(r"^\W{0,3}(?:" + _alt(
    r"(?:with|additional) (?:additional )?(?:input|reporting|contributions?|information) (?:from|by)\b"
    r"|(?:reporting|writing|editing|compiled|research|graphics) by\b"
    r"|\(?(?:with|avec|mit|con) (?:afp|ap|reuters|dpa|efe|ansa|agencies|agences|agenturen|agencias)\)?\.?$"
    r"|mit material (?:von|der)\b|con información de\b|avec (?:l'afp|afp|reuters|ap)\b"
) + ")", _I)
_CONTRIBUTED = re.compile(r"contributed to this (?:report|story|article)\s*\.?$", _I)
_AGENCIES = (
    r"AP|AFP|Reuters|REUTERS|dpa|DPA|EPA|EPA-EFE|EFE|Getty(?: Images)?|Xinhua|Anadolu|ANP|ANSA|Europa Press|Keystone|PA(?: Wire)?"
    r"|UPI|TASS|Sputnik|SIPA|Sipa|Shutterstock|iStock|Bloomberg|NurPhoto|ZUMA|Zuma|Imago|IMAGO|picture alliance|picture-alliance|KEYSTONE|AAP|Belga|BELGA"
)
_CAPTION = re.compile(
    r"(?i:\((?:photo|image|foto|bild|picture|pic|credit|crédit|file photo|archive photo|archivbild|imagen|fotografía|immagine)\b[^)]{0,80}\))"
    rf"|\((?:{_AGENCIES})(?:\s+(?:Photo|photo|Foto|Bild|Images))?(?:\s*/[^)]{{0,60}})?\)\s*\.?\s*$"
    r"|^\W{0,3}(?i:photo|image|foto|bild|picture|photograph|crédit photo|photo credit|credit|imagen|fotografía|bildquelle|image source|source image)\s*[:：]"
    rf"|(?:[/|]|\bvia)\s*(?:{_AGENCIES})\b[^.!?]{{0,40}}$"
    r"|(?<![^\W\d_])©|(?i:\bphoto\s*credit\b|\bcrédit(?:s)? photo\b)|\b[A-Z]{2,}/[A-Z][a-z]+(?: [A-Z][a-z]+)*\s*$",
    re.UNICODE,
)
_COPYRIGHT = re.compile(r"^\W{0,3}(?:\(c\)|copyright)\b", _I)
_RESERVED = _anywhere(
    r"all rights reserved|tous droits réservés|alle rechte vorbehalten|todos los derechos reservados|tutti i diritti riservati|todos os direitos reservados"
)

# --- site furniture -----------------------------------------------------------
_NAVIGATION = _whole(
    r"most popular|most read|most viewed|most shared|popular|popular posts|popular now|trending|trending now|trending topics"
    r"|related|related posts|related articles|related stories|related news|related content|related topics|recent posts|recent news"
    r"|more on the topic|more on this topic|more about this topic|latest|latest news|latest stories|latest posts|top stories|top news|more stories|more news|editor'?s picks|recommended|recommended for you"
    r"|social media|social|follow us|newsletter|categories|category|tags|tagged|topics|archives|advertisement|advertising|ad|ads|sponsored|sponsored content|partner content"
    r"|skip to (?:main )?content|skip to navigation|menu|main menu|home|homepage|search|sign in|log in|login|register|subscribe|account"
    r"|share|share this|share this article|print|email|next article|previous article|next|previous|back to top|top|loading\.*|load more|show more|read more|see more"
    r"|image|photo|photos|video|videos|embed|gallery|listen|audio|podcast|watch|watch live|live"
    r"|les plus lus|les plus lues|à la une|a la une|publicité|dans la même rubrique|articles similaires|derniers articles|l'essentiel|en direct|accueil|partager"
    r"|anzeige|werbung|meistgelesen|am meisten gelesen|beliebteste artikel|ähnliche artikel|zur startseite|nach oben|weitere artikel|startseite|teilen|artikel teilen|mehr zum thema|auch interessant"
    r"|publicidad|lo más leído|más leídas|más leído|noticias relacionadas|artículos relacionados|últimas noticias|portada|compartir"
    r"|pubblicità|i più letti|articoli correlati|ultime notizie|publicidade|mais lidas|notícias relacionadas"
)
_COOKIES = _anywhere(
    r"\bwe use cookies|\bthis (?:web)?site uses cookies|\baccept (?:all )?cookies|\bcookie (?:policy|settings|preferences|consent)"
    r"|^\W{0,3}(?:accept all|reject all|manage (?:preferences|cookies|settings))\W*$"
    r"|nous utilisons des cookies|ce site utilise des cookies|accepter (?:tous )?les cookies|paramétrer les cookies"
    r"|wir verwenden cookies|diese (?:web)?seite verwendet cookies|alle cookies akzeptieren|cookie-einstellungen"
    r"|utilizamos cookies|este sitio (?:web )?utiliza cookies|aceptar (?:todas las )?cookies|política de cookies"
    r"|please enable javascript|javascript is (?:disabled|required)|your browser does not support"
    r"|bitte aktivieren sie javascript|veuillez activer javascript"
)
_READING_TIME = re.compile(
    r"^\W{0,3}(?:\d+\s*(?:min|mins|minutes?|minute)\s*(?:read|de lecture|lesezeit|de lectura|lettura)"
    r"|(?:reading time|temps de lecture|lesezeit|lesedauer|tiempo de lectura|tempo di lettura)\s*[:：]?\s*(?:ca\.\s*)?\d+\s*\w*)\W*$",
    _I,
)
# Links alone, or hashtags alone; a lone @handle is kept: it may sign a quoted post.
_URL_ONLY = re.compile(
    r"^\W*(?:(?:https?://|www\.|pic\.twitter\.com/)\S+\W*)+$|^\W*(?=[^@]*#)(?:[#@][\w.]+\W*){1,12}$|^\W*(?:@[\w.]+\W*){2,12}$", _I
)
_EMBED = re.compile(r"^[—–-]\s*.{1,80}\(@\w{1,30}\)\s+.{0,40}\d{4}\s*$")

# --- english captions that name people but say nothing -----------------------
_FUNCTION_WORDS = set(
    "a an the and or of in on at to for from with by near during after before his her their its our your my "
    "as while outside inside next front right left centre center background foreground file this that these those".split()
)
_VERBS = set(
    "is are was were be been being has have had will would can could may might must shall should do does did "
    "said says say told tells asked speaks spoke spoken went goes go came comes come made makes make took takes "
    "gave gives saw sees met meets ran runs left leaves won wins lost loses got gets put puts set sets hit hits "
    "began begins begun became becomes held holds kept keeps brought brings thought thinks felt feels stood stands "
    "warned warns added adds announced announces denied denies agreed agrees".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


def caption_without_credit(line: str) -> bool:
    """A short English noun phrase ending in a period, made of names: a caption.

    "US President Joe Biden and his counterpart Vladimir Putin." has no verb;
    a story sentence always has one. Verbs are guessed from a list of common
    ones, contractions and -ed/-ing/-s endings, which is enough for a line of a
    dozen words; lists (two commas), quotes and colons mark prose or headlines.
    """
    if not line.endswith(".") or line.endswith("...") or line.count(",") > 1:
        return False
    if any(q in line for q in "\"“”«»„:") or re.search(r"\w['’](?:s|re|ve|ll|d|t|m)\b", line):
        return False
    words = _WORD.findall(line)
    if not 5 <= len(words) <= 16 or not words[0][0].isupper():
        return False
    lower = [w for w in words if w[0].islower()]
    if not any(w in _FUNCTION_WORDS for w in lower):
        return False  # not English, or not a phrase we understand
    if sum(1 for w in words if w[0].isupper()) < 0.6 * len(words):
        return False
    for w in words:
        lw = w.lower()
        if lw in _FUNCTION_WORDS:
            continue
        if lw in _VERBS or (w[0].islower() and (lw.endswith(("ed", "ing")) or (lw.endswith("s") and not lw.endswith(("ss", "us", "is"))))):
            return False
    return True


def share_bar(line: str) -> bool:
    """A line made only of share-button labels ("Share on Facebook  Tweet  Email")."""
    words = re.findall(r"[\w'-]+", line.lower())
    return bool(words) and len(words) <= 16 and all(w in _SHARE_WORDS for w in words) and bool(_SHARE_MUST & set(words))


def byline(line: str) -> list[str] | None:
    """The author names in a byline ("By Jane Doe and John Smith, Reuters"), or None.

    Agencies and staff labels ("admin", "Newsdesk") make a byline but are not names.
    """
    if len(line) > 120:
        return None
    m = _BYLINE.match(line.strip())
    if not m:
        return None
    rest = m.group("rest").strip(" ,|·•–—-")
    # The rest may be an outlet, a role or a date, but not a clause: no sentence inside.
    if rest and re.search(r"[.!?]\s+\w", rest):
        return None
    names = re.split(r"\s*(?:,|&|\band\b|\bet\b|\bund\b|\by\b|\be\b)\s*", m.group("names"))
    return [n for n in names if n and not _NOT_A_NAME.match(n)]


_NOT_A_NAME = re.compile(rf"^(?:the\s+)?(?:{_STAFF}|{_AGENCIES})$", re.I)


_NO_LETTERS = re.compile(r"^[\W\d_]*$", re.UNICODE)
_TERMINAL_PUNCT = ".!?:;\"”»“’'…)"


def fragment(line: str) -> bool:
    """A short line that starts in lower case and does not end a sentence.

    Stories are written in sentences and headings that start with a capital;
    a short lower-case run is a navigation remnant ("abroad Phone call ...") or
    the tail of a prompt that lost its first half. Brand names that start in
    lower case ("iPhone", "eBay") are spared.
    """
    s = line.strip()
    if not s or not s[0].isalpha() or not s[0].islower():
        return False
    if len(s) > 1 and s[1].isupper():
        return False
    return len(s.split()) <= 10 and s[-1] not in _TERMINAL_PUNCT


def video_teaser(line: str) -> bool:
    """A related-video teaser: a title followed by the clip's duration ("... 3:52").

    A clock time after "at"/"um"/"à" is a time of day, not a duration.
    """
    m = _DURATION_END.search(line)
    if not m:
        return False
    head = line[: m.start()].rstrip()
    words = head.split()
    if not words or len(words) > 24 or head[-1] in ".!?;,":
        return False
    if words[-1].lower() in _CLOCK_WORDS or re.search(r"\.\s+\S", head):
        return False
    return any(ch.isalpha() for ch in head)


_DURATION_END = re.compile(r"\s\(?(?:\d{1,2}:)?\d{1,2}:[0-5]\d\)?$")
_CLOCK_WORDS = {"at", "until", "till", "from", "by", "before", "after", "à", "a", "um", "bis", "ab", "vers", "las", "les", "alle", "às"}


# Cheap substring tests that must pass before an unanchored regex is searched:
# most story lines fail them at once, which keeps cleaning fast.
_COOKIE_HINTS = re.compile("cookie|javascript|browser|accept all|reject all|manage ")
_RESERVED_HINTS = re.compile("reserv|réserv|vorbehalten|riservati")
_CAPTION_HINTS = re.compile(r"[(©/|]|via|photo|crédit|foto|bild|image|credit|imagen")


def _has(low: str, hints: re.Pattern[str]) -> bool:
    return hints.search(low) is not None


def _share(s: str, low: str) -> bool:
    first = low.split(None, 1)[0].strip(":|·") if low else ""
    return first in _SHARE_WORDS and share_bar(s)


def _video(s: str, low: str) -> bool:
    return (s[-1].isdigit() or s[-1] == ")") and video_teaser(s)


def _caption(s: str, low: str) -> bool:
    return s[-1] == "." and s.count(" ") < 16 and caption_without_credit(s)


# The rules, in the order they are tried: (name, longest line it applies to,
# test of the line and its lower-cased form). The length bound is checked
# first: story paragraphs are long, and skipping most rules for them is what
# keeps cleaning fast.
Rule = Callable[[str, str], bool]
RULES: list[tuple[str, int, Rule]] = [
    ("no-words", 10_000, lambda s, low: bool(_NO_LETTERS.match(s))),
    ("comment-section", 300, lambda s, low: bool(_COMMENT.match(low) or _COMMENT_HEADING.match(low))),
    ("source-link", 120, lambda s, low: bool(_SOURCE_LINK.match(low) or _SOURCE_CREDIT.match(low))),
    ("cookie-or-script-notice", 400, lambda s, low: _has(low, _COOKIE_HINTS) and bool(_COOKIES.search(low))),
    ("follow-or-subscribe-prompt", 250, lambda s, low: bool(_FOLLOW.match(low))),
    ("share-buttons", 200, _share),
    ("teaser", 250, lambda s, low: bool(_TEASER.match(low) or _TEASER_COLON.match(low) or _VIDEO_WORD.match(low))),
    ("video-teaser", 200, _video),
    ("byline", 120, lambda s, low: byline(s) is not None),
    ("credit-line", 250, lambda s, low: bool(_CREDIT.match(low) or ("contributed" in low and _CONTRIBUTED.search(low)))),
    ("copyright", 250, lambda s, low: bool(_COPYRIGHT.match(low)) or (_has(low, _RESERVED_HINTS) and bool(_RESERVED.search(low)))),
    ("photo-caption", 400, lambda s, low: _has(low, _CAPTION_HINTS) and bool(_CAPTION.search(s))),
    ("navigation", 60, lambda s, low: bool(_NAVIGATION.match(low))),
    ("reading-time", 60, lambda s, low: bool(_READING_TIME.match(low))),
    ("link-or-tags-only", 1000, lambda s, low: bool(_URL_ONLY.match(low) or _EMBED.match(s))),
    ("date-line", 80, lambda s, low: parse_date_line(s) is not None),
    ("fragment", 100, lambda s, low: fragment(s)),
    ("caption", 160, _caption),
]

# Rules whose match marks the end of the article: what follows is page furniture.
END_OF_ARTICLE = {"comment-section", "source-link", "copyright"}
# Prompts a scraper may break over two lines: a lower-case line after one finishes it.
PROMPTS = {"follow-or-subscribe-prompt", "comment-section", "share-buttons", "cookie-or-script-notice"}


def match(line: str) -> str | None:
    """The name of the first rule that removes ``line``, or None to keep it."""
    s = line.strip()
    if not s:
        return None
    n, low = len(s), s.lower()
    for name, longest, rule in RULES:
        if n <= longest and rule(s, low):
            return name
    return None
