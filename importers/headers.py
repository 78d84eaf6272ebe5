"""Which column means what: common headers in English, German, Dutch, French and Finnish.

A header is compared in its *key* form: accents removed, case folded, every run of characters
other than letters and digits made one space (``"E-Mail-Adresse"`` -> ``"e mail adresse"``).
:func:`field_for` returns ``(field, label)`` or ``None``: ``field`` is one of :data:`FIELDS`,
``label`` a ContactDetail label such as ``mobile`` (``"Handynummer"`` -> ``("phone", "mobile")``).

Recognised beyond the word lists: Google Contacts' numbered columns (``E-mail 1 - Value``,
``Phone 2 - Label``, ``Organization 1 - Title``), dotted paths (``gemeente.contact.emailadres``
uses its last part), and trailing numbers (``EMAIL1``, ``E-mail 2 Address``, ``Home Phone 2``).
"""
from __future__ import annotations

import re

from graph_service.model import fold

FIELDS = (
    "id", "name", "first_name", "middle_name", "last_name", "prefix", "suffix", "nickname",
    "organization", "department", "role", "member_of", "email", "phone", "url", "address",
    "street", "postcode", "city", "region", "country", "description", "tags", "kind", "birthday",
    "aliases",
    # tie columns
    "from", "to", "tie_type", "direction", "strength", "since", "until", "last_contact",
)
CONTACT_FIELDS = {"email": "email", "phone": "phone", "url": "url", "address": "address"}

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def key(header: str) -> str:
    """``"E-Mail-Adresse"`` -> ``"e mail adresse"``; ``"Prénom"`` -> ``"prenom"``."""
    return _NON_ALNUM.sub(" ", fold(header)).strip()


def _words(field: str, label: str | None, *spellings: str) -> dict:
    return {key(s): (field, label) for s in spellings}


SYNONYMS: dict[str, tuple[str, str | None]] = {}
for _entry in (
    _words("id", None, "id", "identifier", "uid", "key", "external id", "kennung", "kenmerk", "identifiant", "tunniste"),
    _words("name", None, "name", "full name", "display name", "contact name", "label",
           "vollstandiger name", "anzeigename", "namenszeile", "naam", "volledige naam", "weergavenaam",
           "nom complet", "nom et prenom", "prenom nom", "nimi", "koko nimi", "nayttonimi", "organisation name"),
    _words("first_name", None, "first name", "given name", "firstname", "forename", "vorname", "rufname",
           "voornaam", "roepnaam", "prenom", "etunimi", "etunimet"),
    _words("middle_name", None, "middle name", "additional name", "second name", "zweiter vorname",
           "tussenvoegsel", "voorvoegsel", "deuxieme prenom", "toinen nimi"),
    _words("last_name", None, "last name", "surname", "family name", "lastname", "nachname", "familienname",
           "achternaam", "familienaam", "nom de famille", "nom", "sukunimi"),
    _words("prefix", None, "name prefix", "prefix", "title", "titel", "akademischer grad", "titre", "civilite",
           "aanhef", "anrede", "salutation", "arvonimi", "titteli"),
    _words("suffix", None, "name suffix", "suffix", "namenszusatz", "achtervoegsel"),
    _words("nickname", None, "nickname", "short name", "spitzname", "bijnaam", "roepnaam alias", "surnom",
           "lempinimi", "kutsumanimi"),
    _words("organization", None, "organization", "organisation", "organization name", "organisation name ",
           "company", "company name", "org", "employer", "institution", "agency", "office",
           "firma", "unternehmen", "arbeitgeber", "behorde", "dienststelle", "einrichtung", "verein", "traeger", "trager",
           "organisatie", "bedrijf", "instelling", "werkgever", "gemeente organisatie",
           "organisme", "entreprise", "societe", "structure", "employeur", "association",
           "organisaatio", "yritys", "tyonantaja", "virasto", "yhteiso"),
    _words("department", None, "department", "organization department", "division", "unit", "abteilung",
           "referat", "fachbereich", "amt", "afdeling", "dienst", "departement", "service", "osasto", "yksikko"),
    _words("role", None, "role", "job title", "jobtitle", "position", "function", "organization title",
           "occupation", "funktion", "rolle", "stelle", "berufsbezeichnung", "beruf", "functie", "rol", "fonction",
           "poste", "titre du poste", "profession", "rooli", "tehtava", "asema", "virkanimike", "ammatti"),
    _words("member_of", None, "member of", "membership", "memberships", "network", "networks", "mitglied von",
           "mitglied in", "mitgliedschaft", "netzwerk", "fraktion", "lid van", "lidmaatschap", "netwerk", "fractie",
           "membre de", "reseau", "jasen", "jasenyys", "verkosto"),
    _words("email", None, "email", "e mail", "mail", "email address", "e mail address", "primary email",
           "email adresse", "e mail adresse", "emailadresse", "mailadresse", "emailadres", "e mailadres", "mailadres",
           "courriel", "adresse e mail", "adresse email", "adresse electronique", "mel", "sahkoposti",
           "sahkopostiosoite", "s posti", "internet email", "email value"),
    _words("email", "work", "business email", "work email", "e mail geschaftlich", "email geschaftlich",
           "dienstliche email", "e mail werk", "courriel professionnel", "tyosahkoposti"),
    _words("email", "home", "home email", "personal email", "private email", "e mail privat", "email privat",
           "courriel personnel"),
    _words("email", None, "secondary email", "other email"),
    _words("phone", None, "phone", "telephone", "tel", "phone number", "telephone number", "primary phone",
           "telefon", "telefonnummer", "rufnummer", "fon", "telefoon", "telefoonnummer", "tel nr", "telnr",
           "telephone fixe", "numero de telephone", "puhelin", "puhelinnumero", "puh"),
    _words("phone", "mobile", "mobile", "mobile phone", "mobile number", "cell", "cell phone", "cellphone",
           "handy", "mobil", "mobiltelefon", "mobilnummer", "handynummer", "mobiel", "mobiele telefoon", "gsm",
           "portable", "telephone portable", "mobile fr", "matkapuhelin", "kannykka", "mobiili"),
    _words("phone", "work", "business phone", "work phone", "office phone", "company main phone",
           "telefon geschaftlich", "telefon dienstlich", "telefoon werk", "telephone professionnel", "tyopuhelin"),
    _words("phone", "home", "home phone", "private phone", "telefon privat", "telefoon prive", "telephone domicile",
           "kotipuhelin"),
    _words("phone", "fax", "fax", "business fax", "home fax", "fax number", "telefax", "faxnummer", "faksi"),
    _words("phone", "pager", "pager", "pager number"),
    _words("phone", None, "other phone", "work phone 2", "assistant s phone", "car phone", "callback", "isdn",
           "primary phone number", "radio phone", "telex", "tty tdd phone"),
    _words("url", None, "url", "website", "web site", "web page", "web page 1", "web page 2", "homepage",
           "home page", "web", "internet", "webseite", "internetseite", "webadresse", "site web", "site internet",
           "kotisivu", "verkkosivu", "verkkosivut", "www"),
    _words("address", None, "address", "postal address", "mailing address", "business address", "home address",
           "other address", "work address", "adresse", "anschrift", "postanschrift", "adres", "postadres",
           "bezoekadres", "adresse postale", "osoite", "postiosoite", "address formatted"),
    _words("street", None, "street", "business street", "home street", "strasse", "str", "straat",
           "rue", "katuosoite", "katu"),
    _words("postcode", None, "postcode", "postal code", "zip", "zip code", "zipcode", "business postal code",
           "home postal code", "plz", "postleitzahl", "postcode nl", "code postal", "cp", "postinumero"),
    _words("city", None, "city", "town", "business city", "home city", "work city", "ort", "stadt", "wohnort",
           "plaats", "woonplaats", "stad", "ville", "commune", "kaupunki", "paikkakunta", "kunta"),
    _words("region", None, "state", "region", "province", "business state", "home state", "bundesland",
           "provincie", "departement fr", "maakunta"),
    _words("country", None, "country", "country region", "business country region", "home country region",
           "land", "staat", "pays", "maa", "valtio"),
    _words("description", None, "notes", "note", "description", "comments", "comment", "remarks", "about",
           "bemerkung", "bemerkungen", "notizen", "notiz", "beschreibung", "anmerkungen", "kommentar",
           "opmerkingen", "opmerking", "notities", "beschrijving", "toelichting", "remarques", "commentaire",
           "commentaires", "huomautukset", "huomautus", "kuvaus", "lisatiedot", "muistiinpanot"),
    _words("tags", None, "tags", "tag", "labels", "groups", "group membership", "categories", "category",
           "communities", "community", "kategorien", "kategorie", "gruppen", "gruppe", "schlagworte",
           "schlagworter", "zielgruppen", "groepen", "groep", "categorieen", "doelgroepen", "trefwoorden",
           "etiquettes", "categories fr", "groupes", "mots cles", "tunnisteet", "ryhmat", "kategoriat",
           "kohderyhmat"),
    _words("kind", None, "type", "kind", "actor type", "actor kind", "element type", "entity type", "typ",
           "art", "akteursart", "soort", "type actor", "tyyppi", "laji"),
    _words("birthday", None, "birthday", "date of birth", "birth date", "dob", "geburtstag", "geburtsdatum",
           "geboortedatum", "verjaardag", "date de naissance", "anniversaire", "syntymapaiva", "syntymaaika"),
    _words("aliases", None, "aliases", "alias", "also known as", "aka", "acronym", "abbreviation", "short form",
           "abkurzung", "kurzname", "afkorting", "sigle", "acronyme", "lyhenne"),
):
    SYNONYMS.update(_entry)

# Headers of tie tables (Kumu connections, Gephi edges, edge lists).
TIE_SYNONYMS: dict[str, str] = {}
for _field, _spellings in {
    "from": ("from", "source", "quelle", "bron", "lahde", "entity a", "actor a", "from label"),
    "to": ("to", "target", "ziel", "doel", "naar", "vers", "cible", "kohde", "entity b", "actor b", "to label"),
    "tie_type": ("type", "connection type", "relationship", "relation", "relationship type", "tie type",
                 "connection", "label", "beziehung", "art der beziehung", "relatie", "soort relatie", "lien",
                 "type de relation", "suhde"),
    "direction": ("direction", "directed", "richtung", "richting", "sens", "suunta", "bidirectional"),
    "strength": ("strength", "tie strength", "starke", "sterkte", "force", "vahvuus"),
    "since": ("since", "start", "start date", "from date", "seit", "beginn", "sinds", "depuis", "alkaen"),
    "until": ("until", "end", "end date", "to date", "bis", "ende", "tot", "jusqu a", "asti"),
    "last_contact": ("last contact", "last contacted", "letzter kontakt", "laatste contact", "dernier contact",
                     "viimeisin yhteys"),
    "description": ("description", "note", "notes", "beschreibung", "notiz", "beschrijving", "notitie",
                    "remarque", "kuvaus"),
    "id": ("id",),
}.items():
    for _s in _spellings:
        TIE_SYNONYMS[key(_s)] = _field

_GOOGLE = re.compile(
    r"^(e mail|email|phone|website|address|organization|relation|im|event|custom field|external id) (\d+) "
    r"(value|label|type|name|title|department|formatted|street|city|po box|region|postal code|country|"
    r"extended address|job description|symbol|location|yomi name|protocol)$"
)
_TRAILING_NUMBER = re.compile(r"^(.*?)\s*\d+$")
_INNER_NUMBER = re.compile(r"^(.*?) \d+ (.*)$")


def google_column(k: str) -> tuple[str, int, str] | None:
    """``"e mail 1 value"`` -> ``("e mail", 1, "value")`` for Google's numbered columns."""
    m = _GOOGLE.match(k)
    return (m.group(1), int(m.group(2)), m.group(3)) if m else None


def field_for(header: str) -> tuple[str, str | None] | None:
    """The contact-table field a header names, with a contact label, or ``None`` (kept as attribute)."""
    k = key(header)
    if not k:
        return None
    if k in SYNONYMS:
        return SYNONYMS[k]
    g = google_column(k)
    if g:
        kind, _, part = g
        if kind in ("e mail", "email") and part == "value":
            return ("email", None)
        if kind == "phone" and part == "value":
            return ("phone", None)
        if kind == "website" and part == "value":
            return ("url", None)
        if kind == "address" and part == "formatted":
            return ("address", None)
        if kind == "organization":
            return {"name": ("organization", None), "title": ("role", None), "department": ("department", None)}.get(part)
        return None
    if "." in header:
        last = key(header.rsplit(".", 1)[-1])
        if last in SYNONYMS:
            return SYNONYMS[last]
    for pattern in (_TRAILING_NUMBER, _INNER_NUMBER):
        m = pattern.match(k)
        if m:
            stripped = " ".join(p for p in m.groups() if p).strip()
            if stripped in SYNONYMS:
                return SYNONYMS[stripped]
    return None


def tie_field_for(header: str) -> str | None:
    """The tie-table field a header names (``From``, ``Quelle``...), or ``None``."""
    k = key(header)
    if k in TIE_SYNONYMS:
        return TIE_SYNONYMS[k]
    if "." in header:
        return TIE_SYNONYMS.get(key(header.rsplit(".", 1)[-1]))
    return None


def is_known(header: str) -> bool:
    """True when a header is a column name this importer knows (used to find the header row)."""
    return field_for(header) is not None or tie_field_for(header) is not None
