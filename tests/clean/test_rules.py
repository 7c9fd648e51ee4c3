"""Each rule on lines in English, French, German and Spanish, and on story lines it must spare."""

from __future__ import annotations

import pytest

from newsfuse.clean import RepeatedLines, clean_text, match_rule, split_blocks

REMOVED = {
    "comment-section": [
        "Leave a Reply", "Laisser un commentaire", "Schreibe einen Kommentar", "Deja un comentario",
        "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
        "Ihre E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert",
        "Tu dirección de correo electrónico no será publicada.", "12 comments", "Kommentare",
    ],
    "source-link": ["Source link", "Lien source", "Source: Reuters", "Quelle: dpa", "Fuente: EFE"],
    "cookie-or-script-notice": [
        "We use cookies to improve your experience. Accept all", "Nous utilisons des cookies pour améliorer votre expérience.",
        "Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten.", "Utilizamos cookies propias y de terceros.",
        "Please enable JavaScript to view the comments.",
    ],
    "follow-or-subscribe-prompt": [
        "Follow us on Twitter", "Follow Skai.gr on Google News", "Suivez-nous sur Facebook",
        "Folgen Sie uns auf Instagram", "Síguenos en Twitter", "Sign up for our daily newsletter",
        "Abonnez-vous à notre newsletter", "Subscribe to our newsletter to receive the news each morning",
    ],
    "share-buttons": ["Share on Facebook Share on X Email", "Partager sur Twitter", "Artikel teilen", "Compartir en WhatsApp", "Share:"],
    "teaser": [
        "See also\u00a0Mother and daughter die on return from holiday", "Read also", "Lire aussi : La réforme des retraites adoptée",
        "À lire aussi - Le gouvernement recule", "Lesen Sie auch: Bundestag beschließt Haushalt", "Mehr zum Thema",
        "Lee también: El Gobierno aprueba el presupuesto", "Watch: Storm batters the northern coast 2:41",
        "Related: Five things to know about the summit", "Leggi anche: la manovra", "Also interesting: Harbour festival",
    ],
    "video-teaser": ["This was the first year of the Biden government 3:52", "How far would the US go to protect Ukraine 2:08",
                     "What did they say at the summit? This is what we know 2:10", "Inside the rescue operation (1:02:13)"],
    "byline": ["By admin", "By Jane Doe, Reuters", "By ANNA BERG | March 6, 2025", "Par Jean Dupont", "Von Anna Berg",
               "Por María López y Juan Pérez", "Written by the Newsdesk"],
    "credit-line": ["With input from Anna Chernova, Natasha Bertrand and Kevin Liptak",
                    "(Reporting by Valerie Volcovici; Editing by Will Dunham.)", "Jane Doe contributed to this report.",
                    "Mit Material von dpa", "Con información de EFE", "(avec AFP)"],
    "photo-caption": [
        "Rescue boats near the ferry on Thursday. (Photo: NWS/Per Aaland)", "Soldiers at a firing range. (AP Photo/Pavel Golovkin)",
        "Le navire échoué. © Photo AFP", "Das gestrandete Schiff. (Foto: dpa)", "El ferry encallado. (Imagen: EFE)",
        "Vladimir Putin in Moscow. REUTERS/Evgenia Novozhenina", "Photo: Erik Sund / The Coastal Herald",
    ],
    "copyright": ["© 2025 The Coastal Herald. All rights reserved.", "Tous droits réservés", "Alle Rechte vorbehalten."],
    "navigation": ["Most Popular", "Related Posts", "Advertisement", "Publicité", "Anzeige", "Lo más leído", "Skip to content", "Social Media"],
    "reading-time": ["3 min read", "Lesezeit: 4 Minuten", "Temps de lecture : 3 min"],
    "link-or-tags-only": ["https://t.co/abc123", "#Ukraine #Russia", "pic.twitter.com/xyz"],
    "date-line": ["Tue. Jan 18th, 2022", "mardi 18 janvier 2022", "Veröffentlicht am 18.01.2022, 10:23 Uhr"],
    "fragment": ["abroad Phone call from heads of state", "and be the first to know all the news"],
    "caption": ["US President Joe Biden and his Russian counterpart Vladimir Putin."],
    "no-words": [".", "***", "1 / 12", "—"],
}

KEPT = [
    "The ferry ran aground on Thursday morning in thick fog, the coast guard said.",
    "Moscow calls for an end to NATO enlargement",  # a subhead
    "“Full US support”",  # a quoted subhead
    "Talks next month",
    "Related measures were announced by the ministry on Friday.",
    "By Thursday evening, all 212 passengers had been taken off the ship.",
    "Par ailleurs, le gouvernement a annoncé une enquête.",
    "Von Montag an gilt die neue Regel für alle Fähren.",
    "Biden and Putin spoke by phone for 50 minutes on Thursday.",
    "The call started at 15:35",  # a clock time, not a video duration
    "Polls close at 8:00",
    "iPhone sales rose sharply in the quarter",
    "The minister said the fog came in faster than any forecast said, according to Reuters.",
    "Source of the leak remains unclear, officials said on Friday after a long meeting.",
    "He's with the Greek Socialist Workers Party.",
    "Philadelphia host the Washington Wizards on Saturday.",
    "Reactions",
    "@Fred_945.",
    "Scrutinizing the Science.",
    "He also told one of his young protegÃ©s that terrorism is the answer.",
]


@pytest.mark.parametrize("rule, line", [(r, line) for r, lines in REMOVED.items() for line in lines])
def test_rule_removes(rule: str, line: str) -> None:
    assert match_rule(line) == rule


@pytest.mark.parametrize("line", KEPT)
def test_story_lines_are_kept(line: str) -> None:
    assert match_rule(line) is None


def test_end_of_article_zone() -> None:
    text = "Story sentence one is here. Another sentence follows.\n\nLeave a Reply\n\nSocial Media\n\nOn Key\n\nTrending Stuff"
    c = clean_text(text)
    assert c.paragraphs == ["Story sentence one is here. Another sentence follows."]
    assert [r.rule for r in c.removed] == ["comment-section", "navigation", "after-article-end", "after-article-end"]


def test_end_zone_stops_at_a_sentence() -> None:
    c = clean_text("First paragraph here.\n\nSource link\n\nThe story goes on after a stray marker.")
    assert c.paragraphs == ["First paragraph here.", "The story goes on after a stray marker."]


def test_title_repeat_and_dateline() -> None:
    c = clean_text("Ferry aground\n\nBERLIN (dpa) - Die Fähre ist am Donnerstag auf Grund gelaufen, hieß es.", title="Ferry aground")
    assert c.paragraphs == ["Die Fähre ist am Donnerstag auf Grund gelaufen, hieß es."]
    assert c.dateline == "BERLIN (dpa)"
    c = clean_text("MOSCOW — Russian President Vladimir Putin said on Thursday that talks would go on.")
    assert c.dateline == "MOSCOW"


def test_broken_lines_are_joined() -> None:
    assert split_blocks("Donald Trump regularly\nincites\npolitical violence.\nNext line.") == [
        "Donald Trump regularly incites political violence.", "Next line."]


def test_hard_wrapped_text_is_unwrapped() -> None:
    para = ("The ferry left Port Avel at 07:10 local time for Kestrel Island and ran aground on the "
            "Gull Bank sandbank in thick fog at 07:40, the coast guard said on Thursday morning. ")
    text = (para * 3).strip()
    import textwrap

    wrapped = textwrap.fill(text, 72) + "\n\n" + textwrap.fill(text, 72)
    blocks = split_blocks(wrapped)
    assert blocks == [text, text]


def test_bylines_give_authors() -> None:
    c = clean_text("By Jane Doe and John Smith, Reuters\n\nThe ferry ran aground on Thursday, officials said.")
    assert c.authors == ["Jane Doe", "John Smith"]


def test_repeated_lines_across_unrelated_articles() -> None:
    docs = [
        ([f"Story number {i} is about a different event entirely, officials said.", "Got a tip? Write to the desk"], "Outlet A")
        for i in range(4)
    ]
    # a syndicated copy repeats every line of its original: that is not boilerplate
    docs += [(["The wire story everyone carries word for word, officials said.", "A second wire line here."], None)] * 6
    learner = RepeatedLines().fit(docs)
    assert learner.for_outlet("Outlet A").test("Got a tip? Write to the desk")
    assert not learner.for_outlet("Outlet A").test("Story number 1 is about a different event entirely, officials said.")
    assert not learner.for_outlet(None).test("A second wire line here.")
