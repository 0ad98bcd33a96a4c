"""Synthetic, fictional Dutch story-table transcripts for the scale benchmark (issue 8).

    .venv/bin/python benchmarks/generate_corpus.py /tmp/lw-bench/corpus-10000 --n 10000 [--seed 8] [--formaat txt|mix]

Every transcript is composed from a small grammar written for this benchmark: many sentence
templates per life domain and per speaker role, with slot fillers (places, times, services,
feelings, amounts, fictional names and streets), hesitations ("eh", "nou ja") and the odd typo.
The point is variety: a corpus of copies would let the embedding cache flatter the toolkit, so
nearly every fragment must be a distinct text (the generator reports the duplicate rate).

Each file is one story table of about 300 fragments, made of conversation blocks of 20-40
fragments around one life domain. All people, streets and places are made up; every file says so
in its header. The same seed gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FRAGMENTS_PER_FILE = 300
# the segmenter closes a fragment once it holds this many words (lerendewijk.segment.SegmentConfig)
MIN_FRAGMENT_WORDS = 8
HEADER_LINE = "FICTIEF synthetisch transcript voor de schaalbenchmark van lerendewijk, alle personen, straten en voorvallen zijn verzonnen"

DOMAINS = ("lichaam en geest", "sociale relaties", "materiële situatie", "arbeid en prestatie", "waarden en inspiratie")

# --- slot fillers -------------------------------------------------------------------------------

FILLERS: dict[str, tuple[str, ...]] = {
    "plek": (
        "de buurtkamer",
        "het wijkcentrum",
        "het gezondheidscentrum",
        "de apotheek op de hoek",
        "de supermarkt",
        "de bibliotheek",
        "het park achter de school",
        "de moestuin",
        "de bushalte bij de rotonde",
        "het winkelcentrum",
        "de kerk",
        "de moskee",
        "het buurthuis",
        "de speeltuin",
        "de weekmarkt",
        "het dagcentrum",
        "de praktijk van de fysiotherapeut",
        "het zwembad",
        "de sporthal",
        "het repaircafé",
        "de kringloopwinkel",
        "de huiskamer van het verzorgingshuis",
        "het gemeentehuis",
        "de voedselbank",
    ),
    "tijd": (
        "vorige winter",
        "sinds de zomer",
        "al een paar weken",
        "de laatste tijd",
        "sinds januari",
        "na de verhuizing",
        "rond de feestdagen",
        "dit voorjaar",
        "de afgelopen maanden",
        "sinds de operatie",
        "na de coronatijd",
        "het hele najaar",
        "sinds vorig jaar",
        "eigenlijk al jaren",
        "deze maand",
        "in het weekend",
    ),
    "dienst": (
        "de thuiszorg",
        "de wijkverpleging",
        "het sociaal wijkteam",
        "de huishoudelijke hulp",
        "de regiotaxi",
        "de maaltijdservice",
        "het Juridisch Loket",
        "de schuldhulpverlening",
        "de dagbesteding",
        "de mantelzorgondersteuning",
        "het Wmo-loket",
        "de ouderenadviseur",
        "de praktijkondersteuner",
        "de boodschappendienst",
        "de maatschappelijk werker",
        "de ergotherapeut",
        "de dementieconsulent",
        "de buurtcoach",
    ),
    "gevoel": (
        "eenzaam",
        "moe",
        "onzeker",
        "somber",
        "boos",
        "bang",
        "opgelucht",
        "trots",
        "nerveus",
        "machteloos",
        "tevreden",
        "verdrietig",
        "onrustig",
        "opgejaagd",
        "leeg",
        "dankbaar",
    ),
    "familie": (
        "mijn dochter",
        "mijn zoon",
        "mijn kleinzoon",
        "mijn kleindochter",
        "mijn schoonzus",
        "mijn zus",
        "mijn broer",
        "mijn man",
        "mijn vrouw",
        "mijn moeder",
        "mijn vader",
        "mijn neef",
        "mijn nicht",
        "mijn schoonmoeder",
    ),
    "ouder": ("mijn vader", "mijn moeder", "mijn opa", "mijn oma", "mijn oudste broer", "mijn tante"),
    "partner": ("mijn man", "mijn vrouw", "mijn partner", "mijn maatje van veertig jaar"),
    "klacht": (
        "mijn knie",
        "mijn rug",
        "mijn heup",
        "mijn ogen",
        "mijn suiker",
        "mijn hart",
        "mijn longen",
        "de slapeloosheid",
        "mijn schouder",
        "de duizeligheid",
        "mijn gehoor",
        "de reuma",
        "mijn voeten",
        "de hoofdpijn",
    ),
    "zorg": (
        "de rekeningen",
        "mijn kleinzoon",
        "de verhuizing",
        "mijn gezondheid",
        "wat er gebeurt als ik val",
        "de toekomst van de buurt",
        "mijn dochter die ziek is",
        "de huur",
        "het werk van mijn man",
        "de brieven van de gemeente",
        "mijn geheugen",
        "de operatie die eraan komt",
    ),
    "instantie": (
        "de gemeente",
        "de woningcorporatie",
        "het UWV",
        "de Belastingdienst",
        "de zorgverzekeraar",
        "het CAK",
        "de energieleverancier",
        "het waterschap",
        "de Sociale Verzekeringsbank",
        "de huisartsenpost",
    ),
    "weg": (
        "de stoep bij de bakker",
        "de drempel bij de ingang van de flat",
        "de trap naar het perron",
        "de oversteek bij de rotonde",
        "het fietspad langs de vaart",
        "de losliggende tegels bij de kerk",
        "de helling naar de parkeergarage",
        "het bruggetje over de sloot",
        "de kuilen in het pad naar de brievenbus",
        "de smalle doorgang bij de garageboxen",
    ),
    "activiteit": (
        "de koffieochtend",
        "het breiclubje",
        "de wandelgroep",
        "de bingomiddag",
        "het eetcafé op woensdag",
        "het taalcafé",
        "de kookclub",
        "het koersbal",
        "de repairmiddag",
        "de buurtmaaltijd",
        "de zangmiddag",
        "de schilderles",
        "de spelletjesavond",
        "de fietsgroep",
    ),
    "werk": (
        "de schoonmaak",
        "de thuiszorg",
        "de bezorging",
        "het magazijn",
        "de bouw",
        "de kassa van de supermarkt",
        "de kinderopvang",
        "de administratie van een garage",
        "het onderwijs",
        "de horeca",
        "de metaal",
        "de kwekerij",
        "de beveiliging",
        "een callcenter",
    ),
    "kanaal": (
        "de buurtapp",
        "het wijkkrantje",
        "de kerkbode",
        "de nieuwsbrief van het buurthuis",
        "het prikbord in de supermarkt",
        "de lokale omroep",
        "de groepsapp van de galerij",
        "de website van de gemeente",
    ),
    "ruzie": (
        "de parkeerplaatsen",
        "het geluid van de bovenburen",
        "de vuilniszakken in het portiek",
        "een hond die de hele dag blaft",
        "de kinderen op het pleintje",
        "de scootmobielen in de gang",
        "de heg tussen twee tuinen",
        "de rook van een barbecue",
    ),
    "gebrek": (
        "lekkages",
        "schimmel in de badkamer",
        "een kapotte lift",
        "tocht langs de ramen",
        "verstopte afvoeren",
        "kapotte verlichting in het trappenhuis",
        "muizen in de kelder",
        "een voordeur die niet meer sluit",
    ),
    "regeling": (
        "huurtoeslag",
        "bijzondere bijstand",
        "een energietoeslag",
        "de individuele inkomenstoeslag",
        "kwijtschelding van de gemeentelijke belastingen",
        "de collectieve zorgverzekering",
        "een vergoeding voor de regiotaxi",
        "een traplift via de Wmo",
    ),
    "taak": (
        "koffie schenken",
        "de planten verzorgen",
        "de krant rondbrengen",
        "fietsen repareren",
        "de tafels dekken",
        "de boodschappenlijst bijhouden",
        "de kippen voeren",
        "de nieuwe mensen rondleiden",
    ),
    "waarde": (
        "het geloof",
        "de natuur",
        "muziek",
        "de kleinkinderen",
        "de eigen tuin",
        "samen eten",
        "oude verhalen",
        "zelf kunnen kiezen",
    ),
    "feest": (
        "het Suikerfeest",
        "Kerst",
        "Koningsdag",
        "de straatbarbecue",
        "het Offerfeest",
        "Sinterklaas",
        "Keti Koti",
        "oud en nieuw",
        "de burendag",
    ),
    "stad": ("Haveldam", "Oosterbroek", "Linderkerk", "Brammelo", "Westerzijl", "Rotterdam", "Groningen", "Eindhoven", "Spanje", "Turkije"),
    "park": ("het Wilgenbos", "het park bij de vijver", "de Oude Weide", "het Reigersbos", "de volkstuinen", "de dijk langs de rivier"),
    "rustplek": ("de kerk", "de moskee", "de stiltekamer van het ziekenhuis", "de kapel op de begraafplaats", "het bankje bij de vijver"),
    "kwaal": (
        "diabetes",
        "COPD",
        "hartfalen",
        "artrose",
        "depressieve klachten",
        "valangst",
        "beginnende dementie",
        "slaapproblemen",
        "chronische pijn",
        "gehoorverlies",
    ),
    "dag": ("zondag", "vrijdag", "zaterdagavond", "woensdagmiddag", "elke feestdag"),
    "leeftijd_rang": ("zestigste", "vijfenzestigste", "zevenenzestigste", "achtenvijftigste", "tweeënzestigste", "vijfenvijftigste"),
}

FIRST_NAMES = (
    "Anna",
    "Gerrit",
    "Joke",
    "Wim",
    "Fatma",
    "Ahmed",
    "Ria",
    "Jan",
    "Marja",
    "Yusuf",
    "Els",
    "Bram",
    "Noor",
    "Hassan",
    "Tineke",
    "Karel",
    "Dini",
    "Mehmet",
    "Greetje",
    "Sjaak",
    "Nadia",
    "Piet",
    "Lenie",
    "Ayoub",
    "Corrie",
    "Emre",
    "Hennie",
    "Samira",
    "Teun",
    "Wilma",
)
LAST_NAMES = (
    "de Boer",
    "Smit",
    "Visser",
    "Meijer",
    "Bakker",
    "Kok",
    "Prins",
    "Huisman",
    "Brouwer",
    "Postma",
    "Yilmaz",
    "Bouali",
    "Kaya",
    "van Dam",
    "de Wit",
    "Peters",
    "Hendriks",
    "Dijkstra",
    "Kramer",
    "Vos",
    "Ramdin",
    "Oudeman",
    "Schipper",
    "El Idrissi",
)
STREETS = (
    "de Lijsterbeslaan",
    "de Reigerhof",
    "de Wilgenkade",
    "de Hazelaarstraat",
    "het Zwanenpad",
    "de Klaproosweg",
    "de Boterbloemhof",
    "de Molenwiek",
    "de Gruttostraat",
    "het Kievitplein",
    "de Eikenlaan",
    "de Sluiskade",
    "de Veenweg",
    "het Schapenpad",
    "de Lindenhof",
)
PROFESSIONS = ("wijkverpleegkundige", "opbouwwerker", "huismeester", "buurtcoach", "ouderenadviseur", "jongerenwerker", "wijkagent")


def _amount(rng: random.Random) -> str:
    n = rng.randrange(15, 460, 5)
    return rng.choice((f"{n} euro", f"€{n},-", f"zo'n {n} euro", f"ruim {n} euro", f"bijna {n} euro"))


def _count(rng: random.Random) -> str:
    n = rng.randint(2, 14)
    words = ("twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf", "dertien", "veertien")
    return words[n - 2] if rng.random() < 0.6 else str(n)


def _duration(rng: random.Random) -> str:
    n = rng.randint(2, 11)
    return rng.choice((f"{n} weken", f"{n} maanden", "bijna een jaar", "anderhalf jaar", f"ruim {n} maanden", f"een week of {n}"))


def _frequency(rng: random.Random) -> str:
    return rng.choice(
        (
            "één keer per week",
            "twee keer per maand",
            "elke dinsdag",
            "om de week",
            "af en toe",
            "bijna elke dag",
            "op zaterdag",
            "een paar keer per jaar",
            "elke ochtend",
            "als het weer het toelaat",
            f"{_count(rng)} keer per maand",
        )
    )


GENERATED: dict[str, Callable[[random.Random], str]] = {
    "bedrag": _amount,
    "aantal": _count,
    "duur": _duration,
    "frequentie": _frequency,
    "naam": lambda rng: rng.choice(FIRST_NAMES),
    "straat": lambda rng: rng.choice(STREETS),
    "huisnr": lambda rng: str(rng.randint(1, 180)),
    "leeftijd": lambda rng: str(rng.choice((55, 60, 65, 70, 75, 80))),
    "jaren": lambda rng: str(rng.randint(3, 60)),
    "jaren_kort": lambda rng: str(rng.randint(2, 15)),
    "leeftijd_nu": lambda rng: str(rng.randint(62, 94)),
    "jaartal": lambda rng: str(rng.randint(1955, 2024)),
    "weekdag": lambda rng: rng.choice(WEEKDAYS) + rng.choice(("ochtend", "middag", "avond", "")),
    "verdieping": lambda rng: rng.choice(("twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien")),
    "minuten": lambda rng: str(rng.randrange(10, 100, 5)),
    "rest": lambda rng: str(rng.randrange(5, 45, 5)),
}
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

# Short sentences (under 8 words) said before a statement: the segmenter joins them with it,
# so they vary the fragment the way real talk does ("Ik woon hier nu 40 jaar. De lift ...").
CONTEXT_RESIDENT = (
    "Ik woon hier nu {jaren} jaar.",
    "Ik ben {leeftijd_nu}, hè.",
    "Dat was vorige {weekdag}.",
    "Ik woon op nummer {huisnr}.",
    "Dat zei {naam} ook al.",
    "Vraag het maar aan {naam}.",
    "Ik woon hier sinds {jaartal}.",
    "Ik woon op {verdieping} hoog.",
    "Ik heb {aantal} kleinkinderen, hè.",
    "Vorige {weekdag} nog.",
)
CONTEXT_PROFESSIONAL = (
    "Ik werk hier nu {jaren_kort} jaar.",
    "Ik zie {aantal} mensen per dag.",
    "Dat zag ik vorige {weekdag} nog.",
    "Dat zegt mijn collega {naam} ook.",
    "Dat zag ik bij nummer {huisnr}.",
)
# additions at the end of a statement, in place of the full stop
ADDITIONS = (
    ", en dat al {duur}.",
    ", zeker op {weekdag}.",
    ", net als bij {familie}.",
    ", dat zegt {familie} ook.",
    ", en ik ben niet de enige aan {straat}.",
    ", dat hoor ik ook van {naam}.",
    ", zeker als het regent.",
    ", en dat met {bedrag} in de maand.",
    ", dat merk ik {frequentie}.",
)

# slots whose value a facilitator can echo back in a follow-up question
ECHO_SLOTS = (
    "plek",
    "dienst",
    "klacht",
    "instantie",
    "activiteit",
    "weg",
    "zorg",
    "gebrek",
    "regeling",
    "werk",
    "kanaal",
    "ruzie",
    "waarde",
)

# --- templates ----------------------------------------------------------------------------------
# Residents speak in the first person; none of these starts with a name, so a hesitation can go in front.

RESIDENT: dict[str, tuple[str, ...]] = {
    "lichaam en geest": (
        "Ik heb {tijd} zoveel last van {klacht} dat ik bijna niet meer naar {plek} kan lopen.",
        "Mijn huisarts zegt {tijd} dat ik meer moet bewegen, maar met {klacht} kom ik amper tot {plek}.",
        "'s Nachts lig ik {tijd} vaak wakker en dan pieker ik over {zorg}, dat houdt me {frequentie} uit mijn slaap.",
        "Ik voel me {tijd} best {gevoel}, en dan heb ik gewoon geen zin om naar {plek} te gaan.",
        "De wijkverpleegkundige komt {frequentie} langs voor {klacht}, maar voor een praatje over {zorg} heeft ze nooit tijd.",
        "Sinds ik {dienst} niet meer krijg, doe ik {tijd} alles zelf en met {klacht} gaat dat steeds moeilijker.",
        "Ik ben {tijd} gevallen bij {weg} en sindsdien durf ik niet meer alleen naar {plek}.",
        "Bij {plek} hebben ze een beweegclubje voor ouderen, ik ga er {frequentie} heen en dat doet me goed.",
        "Op een afspraak bij {dienst} wacht je {duur}, en intussen word je er niet beter van.",
        "Mijn geheugen laat me {tijd} soms in de steek, dan sta ik in {plek} en weet ik niet meer wat ik kwam doen.",
        "Ik probeer {frequentie} even te wandelen langs {straat} naar {plek}, want anders zit ik alleen maar binnen.",
        "Ik merk dat {familie} zich zorgen maakt omdat ik {tijd} zo weinig eet.",
        "Ik moet {aantal} verschillende pillen per dag slikken voor {klacht} en ik raak {tijd} soms het overzicht kwijt.",
        "Als je zo {gevoel} bent als ik {tijd}, dan helpt een kop koffie in {plek} meer dan welke pil ook.",
        "Het zwemmen in {plek} hield mijn lijf soepel, maar sinds het {bedrag} per keer kost kan ik het niet meer betalen.",
    ),
    "sociale relaties": (
        "Ik zie weinig mensen, want {familie} woont in {stad} en komt hooguit {frequentie} langs.",
        "Mijn buurvrouw {naam} van nummer {huisnr} haalt soms boodschappen voor me, dat is goud waard.",
        "Bij {activiteit} in {plek} leer je mensen kennen die je anders nooit zou spreken.",
        "Ik woon al {jaren} jaar aan {straat}, en vroeger kende ik iedereen, nu groet ik bijna niemand meer.",
        "Sinds {partner} {jaren_kort} jaar geleden is overleden eet ik {tijd} meestal alleen, en dat went eigenlijk nooit.",
        "De jonge gezinnen en de ouderen aan {straat} leven langs elkaar heen, alleen bij {activiteit} zie je ze samen.",
        "Ik zou best iemand willen die {frequentie} even aanbelt om te vragen hoe het met {klacht} gaat.",
        "Met {naam} van de overkant drink ik {frequentie} koffie, dan praten we over vroeger.",
        "Toen ik {tijd} ziek was, stond de halve buurt rond {straat} voor me klaar, dat vergeet ik nooit.",
        "Er is {tijd} ruzie geweest over {ruzie} en sindsdien praten de buren aan {straat} niet meer met elkaar.",
        "Als je net aan {straat} komt wonen, is het lastig om ertussen te komen, zelfs bij {activiteit}.",
        "Mijn kleinkinderen komen {frequentie} uit {stad} en dan is het huis even vol, daarna is het weer zo stil.",
        "Via {kanaal} weet ik wat er speelt, zoals laatst over {activiteit}, anders zou ik helemaal niks horen.",
        "Ik zorg al {duur} voor {familie} en daardoor kom ik zelf nauwelijks nog aan vrienden toe.",
        "Ik voel me {gevoel} als ik zie dat niemand meer even naar de oude meneer van nummer {huisnr} kijkt.",
    ),
    "materiële situatie": (
        "De huur is {tijd} weer met {bedrag} omhoog gegaan, en mijn pensioen blijft gewoon gelijk.",
        "Aan het eind van de maand heb ik vaak nog maar {bedrag} over voor de boodschappen.",
        "De lift in onze flat aan {straat} is {tijd} al {aantal} keer kapot geweest.",
        "Bij {weg} struikel je zo, ik heb het al {aantal} keer gemeld bij {instantie}.",
        "Er zit al {duur} schimmel in de badkamer en {instantie} zegt steeds dat ze iemand sturen, maar er komt niemand.",
        "De energierekening was vorige maand {bedrag}, dus ik zet de verwarming bijna niet meer aan.",
        "Ik kreeg een brief van {instantie} die ik niet begreep, en die ligt nu al {duur} op tafel.",
        "De bus naar {plek} rijdt {tijd} nog maar één keer per uur, dat is veel te weinig.",
        "Mijn huis aan {straat} is eigenlijk te groot en met {bedrag} huur te duur, maar iets kleiners in de wijk is er niet.",
        "Bij de voedselbank haal ik {frequentie} een pakket, al schaam ik me daar {tijd} nog steeds voor.",
        "Ik heb een schuld van {bedrag} bij {instantie} en ik weet niet hoe ik die ooit moet afbetalen.",
        "Als het donker wordt is het aan {straat} zo slecht verlicht dat ik niet meer alleen naar {plek} durf.",
        "Een scootmobiel aanvragen bij {instantie} duurde {duur}, en toen kreeg ik er een die steeds vastloopt.",
        "De winkels zijn bijna allemaal weg uit de wijk, voor een brood moet ik nu {frequentie} helemaal naar {plek}.",
        "We hebben {gebrek} en de huismeester zegt al {duur} dat het op de lijst staat.",
    ),
    "arbeid en prestatie": (
        "Ik doe {frequentie} vrijwilligerswerk bij {plek}, dan heb ik tenminste het gevoel dat ik nog meetel.",
        "Sinds ik {jaren_kort} jaar met pensioen ben, mis ik de collega's en het ritme van {werk} heel erg.",
        "Ik zou graag weer aan het werk gaan in {werk}, maar met {klacht} neemt niemand me nog aan.",
        "Mijn zoon zoekt al {duur} een baan, hij heeft {aantal} keer gesolliciteerd maar hoort niks terug.",
        "In {plek} help ik {frequentie} mensen die de computer moeilijk vinden, dat vind ik heerlijk om te doen.",
        "Ik heb in {werk} gewerkt tot mijn {leeftijd_rang}, en nu zit ik {tijd} thuis en doe ik eigenlijk niks meer.",
        "Het combineren van {werk} met de zorg voor {familie} lukt me eigenlijk niet meer.",
        "Ik wil best {frequentie} iets doen voor de buurt, bijvoorbeeld bij {activiteit}, maar niemand vraagt het me.",
        "De Nederlandse les in {plek} heeft me geholpen, nu durf ik zelf te bellen met {instantie}.",
        "Wat ik goed kan is repareren, fietsen en stoelen en een lekkende kraan, dat zou ik {frequentie} in {plek} voor anderen willen doen.",
        "Bij de dagbesteding in {plek} voel ik me nuttig, ik help {frequentie} mee in de keuken.",
        "Mijn dochter werkt {aantal} dagen per week in {werk} en heeft daarnaast de kinderen, ze is helemaal op.",
        "Ik zit in de bijstand en {instantie} wil dat ik in {werk} ga werken, maar dat past helemaal niet bij mij.",
        "De moestuin bij {plek} geeft me iets om voor op te staan, ik ben er {frequentie}.",
        "Ik was {tijd} trots dat ik bij {activiteit} de hele organisatie mocht doen.",
    ),
    "waarden en inspiratie": (
        "Mijn geloof geeft me houvast, op {dag} ga ik naar {rustplek} en dat is {tijd} mijn rustpunt.",
        "Wat ik belangrijk vind is dat we naar elkaar omkijken, zoals dat {jaren} jaar geleden aan {straat} nog ging.",
        "Muziek houdt me op de been, ik zing {frequentie} mee in het koor van {plek}.",
        "Ik wil niet afhankelijk zijn van {dienst} of van anderen, dat heb ik van {ouder} meegekregen.",
        "In de natuur kom ik tot rust, ik loop {frequentie} een rondje door {park}.",
        "Respect, daar gaat het om, en dat mis ik {tijd} nogal eens bij {instantie}.",
        "Als ik mijn kleinkinderen zie opgroeien, weet ik weer waarvoor ik het allemaal doe, ook al ben ik {tijd} {gevoel}.",
        "Ik ben {tijd} gaan schilderen in {plek}, dat geeft me een soort innerlijke rust.",
        "We vieren {feest} met iedereen van {straat}, dat vind ik elk jaar het mooiste moment.",
        "Ik hoop dat ik hier oud kan worden, in mijn eigen huis aan {straat}, met {familie} in de buurt.",
        "Vrijheid is voor mij dat ik zelf kan bepalen wanneer ik naar {plek} ga, ook met {klacht}.",
        "Soms vraag ik me af wat nog de zin is, want {tijd} voel ik me vooral {gevoel}.",
        "Ik haal {tijd} kracht uit het verleden, want {ouder} heeft in {stad} ook alles alleen moeten doen.",
        "Er is hier al {jaren} jaar een mooie traditie rond {activiteit}, en die moeten we echt zien vast te houden.",
        "Voor mij draait het om {waarde}, daar word ik {frequentie} weer even blij van.",
    ),
}

# professionals speak about others: their ailments come from {kwaal}, not from the first-person {klacht}
PROFESSIONAL: dict[str, tuple[str, ...]] = {
    "lichaam en geest": (
        "Als {beroep} zie ik {tijd} veel meer mensen met {kwaal} die te lang thuis blijven zitten.",
        "Wij merken {tijd} dat ouderen pas aan de bel trekken bij {dienst} als het eigenlijk al te laat is.",
        "De praktijkondersteuner in {plek} heeft {aantal} minuten per patiënt, dat is te kort voor een echt gesprek.",
        "In het gezondheidscentrum zien we {tijd} dat eenzaamheid en {kwaal} heel vaak samen optreden.",
        "Ik verwijs mensen met {kwaal} door naar {activiteit}, maar de drempel blijkt voor velen toch te hoog.",
    ),
    "sociale relaties": (
        "Vanuit het sociaal wijkteam zien we dat veel mensen aan {straat} {tijd} niemand hebben om op terug te vallen.",
        "Met {kanaal} bereik je {tijd} de jongere bewoners goed, maar de ouderen boven de {leeftijd} bereik je er nauwelijks mee.",
        "Als {beroep} organiseer ik {frequentie} {activiteit}, en daar komen steeds dezelfde {aantal} mensen op af.",
        "Mantelzorgers van mensen met {kwaal} melden zich bij ons meestal pas als ze {tijd} al helemaal zijn vastgelopen.",
        "Wij zouden meer huisbezoeken willen doen, maar met {aantal} collega's voor de hele wijk lukt dat {tijd} niet.",
    ),
    "materiële situatie": (
        "Bij de schuldhulp zien we {tijd} steeds meer mensen met betalingsachterstanden bij {instantie}.",
        "Als {beroep} krijg ik {frequentie} meldingen over {gebrek} in de flat aan {straat}.",
        "De wachtlijst voor een seniorenwoning aan {straat} is {duur}, dat is voor veel mensen gewoon te lang.",
        "Veel mensen bij {plek} weten niet dat ze recht hebben op {regeling}, en de aanvraag is ook echt ingewikkeld.",
        "Ik loop met de gemeente mee bij de schouw en {weg} staat al {duur} op de lijst.",
    ),
    "arbeid en prestatie": (
        "Via het werkgeversservicepunt hebben we {tijd} {aantal} mensen uit de wijk aan een baan geholpen.",
        "Bij de dagbesteding in {plek} merken we {tijd} dat mensen opbloeien als ze een taak krijgen, zoals {taak}.",
        "Veel vrijwilligers in {plek} zijn zelf al boven de {leeftijd}, we hebben dringend nieuwe mensen nodig.",
        "De taalcursus zit {tijd} vol, en er staan nog {aantal} mensen op de wachtlijst.",
        "Jongeren uit de buurt rond {straat} vinden {tijd} moeilijk een stageplek, zeker met een naam die niet Nederlands klinkt.",
    ),
    "waarden en inspiratie": (
        "In gesprekken bij {plek} hoor ik vaak dat mensen vooral gezien willen worden, niet alleen geholpen met {dienst}.",
        "De geestelijk verzorger in {plek} merkt dat veel ouderen {tijd} worstelen met vragen over zingeving.",
        "Wij proberen {tijd} bij {activiteit} ook ruimte te maken voor verhalen over vroeger, dat raakt mensen echt.",
        "Bij {dienst} werkt het als we aansluiten bij wat mensen zelf waardevol vinden, zoals {waarde}.",
        "Bij de moskee en de kerk zien ze {tijd} meer mensen uit de buurt rond {straat} die vragen om een luisterend oor.",
    ),
}

FACILITATOR_OPEN: dict[str, tuple[str, ...]] = {
    "lichaam en geest": (
        "Ik wil het nu even hebben over jullie gezondheid, {aanspreek}, hoe voel jij je {tijd}?",
        "Als jullie aan je lichaam en je hoofd denken, wat maakt het dan moeilijker om hier te wonen, bijvoorbeeld bij {plek}, {aanspreek}?",
        "Wie wil er iets vertellen over bewegen, slapen of piekeren {tijd}, misschien jij, {aanspreek}?",
        "Wat doen jullie zelf om fit te blijven, {aanspreek}, en waar lopen jullie dan tegenaan bij {plek}?",
    ),
    "sociale relaties": (
        "Laten we het hebben over de mensen om je heen, {aanspreek}, bij wie kun je terecht {tijd}?",
        "Hoe is het contact met de buren aan {straat}, {aanspreek}, ken je elkaar nog?",
        "Wie spreek jij eigenlijk op een gewone dag, {aanspreek}, bijvoorbeeld bij {activiteit}?",
        "Als er {tijd} iets gebeurt, wie belt er dan bij je aan, {aanspreek}?",
    ),
    "materiële situatie": (
        "Dan de praktische kant, het huis, de straat, het geld, hoe gaat dat {tijd}, {aanspreek}?",
        "Hoe is het om in de flats aan {straat} te wonen, {aanspreek}, wat valt je op?",
        "Lukt het om rond te komen, {aanspreek}, of merk je {tijd} dat het krapper wordt?",
        "Als je naar {plek} moet, {aanspreek}, hoe kom je daar dan, en gaat dat goed?",
    ),
    "arbeid en prestatie": (
        "Wat doe jij op een dag, {aanspreek}, werk, vrijwilligerswerk, iets bij {plek} waar je goed in bent?",
        "Wie van jullie helpt er mee in de wijk, bijvoorbeeld bij {activiteit}, jij ook, {aanspreek}?",
        "Waar voel je je nuttig, {aanspreek}, en wat zou je {tijd} nog willen leren?",
        "Hoe is het met werk in de buurt, {aanspreek}, is er genoeg te doen voor de jongeren rond {straat}?",
    ),
    "waarden en inspiratie": (
        "Ik ben ook benieuwd wat jou de moed geeft om door te gaan, {aanspreek}, {tijd} bijvoorbeeld?",
        "Wat vind jij echt belangrijk in het leven, {aanspreek}, en waar haal je kracht uit, ook bij {plek}?",
        "Zijn er momenten in het jaar waar je naar uitkijkt, {aanspreek}, zoals {feest}?",
        "Wat zou je willen doorgeven aan de mensen die na jou aan {straat} komen wonen, {aanspreek}?",
    ),
}
# short, so that the segmenter joins them with the question that follows
FACILITATOR_TRANSITION = (
    "Goed, dank jullie wel.",
    "We zijn nu {minuten} minuten bezig.",
    "Nog {rest} minuten, dan stoppen we.",
    "Nog een ander onderwerp.",
    "Dank voor die verhalen.",
    "Even een stapje verder.",
    "Mooi, we gaan door.",
    "",
)
FACILITATOR_FOLLOW = (
    "Je noemt {echo}, {aanspreek}, kun je daar een voorbeeld van geven?",
    "Wat zou er volgens jou moeten veranderen aan {echo}, {aanspreek}?",
    "Herkennen de anderen dat, van {echo}, of is het bij jullie anders dan bij {aanspreek}?",
    "{aanspreek}, wat betekent dat met {echo} voor je dagelijks leven?",
    "Wie zou je kunnen helpen met {echo}, denk je, {aanspreek}?",
    "Hoe lang speelt dat al, dat met {echo}, {aanspreek}?",
    "Is er iemand bij wie je terecht kunt als het gaat om {echo}, {aanspreek}?",
    "Dank je wel, {aanspreek}, dat je dat wilt vertellen over {echo}.",
    "En als je morgen iets mocht regelen rond {echo}, wat zou dat dan zijn, {aanspreek}?",
    "Wat gaat er eigenlijk goed als het gaat om {echo}, {aanspreek}?",
    "Weet de gemeente van dat verhaal over {echo}, heb je het ooit gemeld, {aanspreek}?",
    "Ik schrijf het even op, {echo}, daar komen we straks nog op terug, {aanspreek}.",
)
FACILITATOR_ACK = ("", "", "Mm.", "Ja.", "Dank je.", "Oké.", "Dat is helder.", "Ik hoor het.", "Wat naar.", "Wat mooi.")
DOMAIN_ECHO = {
    "lichaam en geest": ("je gezondheid", "het slapen", "je conditie", "het piekeren"),
    "sociale relaties": ("de buren", "het alleen zijn", "je familie", "de contacten in de buurt"),
    "materiële situatie": ("het geld", "je woning", "de straat", "de rekeningen"),
    "arbeid en prestatie": ("je werk", "het vrijwilligerswerk", "wat je goed kunt", "je dagritme"),
    "waarden en inspiratie": ("wat je belangrijk vindt", "je geloof", "de tradities", "waar je kracht uit haalt"),
}

# short openers residents use; they join the following sentence in one fragment
OPENERS = (
    "Eh, ",
    "Nou ja, ",
    "Kijk, ",
    "Ja, ",
    "Nou, ",
    "Weet je, ",
    "Hoe zeg je dat, ",
    "Ik bedoel, ",
    "Tja, ",
    "Ja precies, ",
    "Nee maar, ",
    "Eerlijk gezegd, ",
)
REACTIONS = ("Ja.", "Klopt.", "Dat herken ik.", "Precies.", "Nee hoor.", "Zo is het.", "Ja, ja.", "Mm.", "Dat zeg ik ook.")
TAILS = (
    ", snap je?",
    ", echt waar.",
    ", hoor.",
    ", zeg maar.",
    ", dat is het gewoon.",
    ", nou ja.",
    " en dat zit me dwars.",
    ", eh, zo gaat dat.",
    ", weet je wel.",
    ", dat vind ik wel jammer.",
)
INFIXES = ("eh", "zeg maar", "nou ja", "hè", "weet je", "tja")
# a hesitation goes before one of these words, where a speaker naturally pauses
PAUSE_BEFORE = {"en", "maar", "want", "dat", "die", "als", "omdat", "dan", "om", "zoals", "ook", "nu"}


@dataclass
class Turn:
    speaker: str
    role: str
    sentences: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


@dataclass
class Transcript:
    name: str
    meta: dict[str, object]
    speakers: dict[str, str]
    turns: list[Turn]
    units: list[str]  # the fragments the segmenter will cut, as the generator expects them


def _fill(template: str, rng: random.Random, extra: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """Fill every {slot}; return the text and the slot values a facilitator could echo."""
    echoes: list[str] = []

    def one(match: re.Match[str]) -> str:
        slot = match.group(1)
        if extra and slot in extra:
            return extra[slot]
        if slot in GENERATED:
            return GENERATED[slot](rng)
        value = rng.choice(FILLERS[slot])
        if slot in ECHO_SLOTS:
            echoes.append(value)
        return value

    return re.sub(r"\{(\w+)\}", one, template), echoes


def _typo(sentence: str, rng: random.Random) -> str:
    """One realistic slip of the typist: two letters swapped, one dropped or one doubled, in a lowercase word."""
    words = sentence.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and w.islower()]
    if not candidates:
        return sentence
    i = rng.choice(candidates)
    w = words[i]
    k = rng.randrange(1, len(w) - 1)
    kind = rng.random()
    if kind < 0.4:
        w = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
    elif kind < 0.7:
        w = w[:k] + w[k + 1 :]
    else:
        w = w[:k] + w[k] + w[k:]
    words[i] = w
    return " ".join(words)


def _infix(sentence: str, rng: random.Random) -> str:
    """A hesitation in the middle, before a conjunction or pronoun where a speaker pauses."""
    words = sentence.split(" ")
    spots = [i for i in range(2, len(words) - 1) if words[i] in PAUSE_BEFORE]
    if not spots:
        return sentence
    i = rng.choice(spots)
    words[i - 1] = words[i - 1].rstrip(",") + ", " + rng.choice(INFIXES) + ","
    return " ".join(words)


def _spoken(
    template: str, rng: random.Random, extra: dict[str, str] | None = None, context: tuple[str, ...] = CONTEXT_RESIDENT
) -> tuple[list[str], list[str]]:
    """A template as someone would say it: a short lead-in, a hesitation, an opener, a tail or an
    addition, now and then a typo. Returns the sentences and the values a facilitator could echo."""
    text, echoes = _fill(template, rng, extra)
    if rng.random() < 0.35:
        text = _infix(text, rng)
    roll = rng.random()
    if text.endswith(".") and roll < 0.3:
        text = text[:-1] + rng.choice(TAILS)
    elif text.endswith(".") and roll < 0.65:
        text = text[:-1] + _fill(rng.choice(ADDITIONS), rng)[0]
    if rng.random() < 0.4:
        text = rng.choice(OPENERS) + text[0].lower() + text[1:]
    if rng.random() < 0.15:
        text = _typo(text, rng)
    sentences = [text]
    if context and rng.random() < 0.45:
        lead = _fill(rng.choice(context), rng)[0]
        if len(lead.split()) < MIN_FRAGMENT_WORDS:  # only a short lead-in is joined with the statement
            sentences.insert(0, lead)
    return sentences, echoes


def _as_echo(value: str) -> str:
    """A resident's "mijn knie" becomes the facilitator's "je knie"."""
    return re.sub(r"^mijn ", "je ", value)


def _units(turn: Turn) -> list[str]:
    """The fragments this turn gives, grouped like lerendewijk.segment: a group closes at 8 words."""
    groups: list[list[str]] = []
    current: list[str] = []
    words = 0
    for sentence in turn.sentences:
        if current and words >= MIN_FRAGMENT_WORDS:
            groups.append(current)
            current, words = [], 0
        current.append(sentence)
        words += len(sentence.split())
    if current:
        if groups and words < MIN_FRAGMENT_WORDS // 2:
            groups[-1].extend(current)
        else:
            groups.append(current)
    return [" ".join(g) for g in groups]


def _cast(rng: random.Random) -> tuple[str, list[str], list[str]]:
    """One facilitator, 5-8 residents and 1-2 professionals with distinct fictional names."""
    people: list[str] = []
    size = rng.randint(7, 11)
    while len(people) < size:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in people and name.split()[0] not in {p.split()[0] for p in people}:
            people.append(name)
    n_prof = rng.randint(1, 2)
    return people[0], people[1 : len(people) - n_prof], people[len(people) - n_prof :]


def compose(index: int, target: int, rng: random.Random) -> Transcript:
    """One fictional story table of about ``target`` fragments, in blocks of 20-40 around a domain."""
    facilitator, residents, professionals = _cast(rng)
    professions = {p: rng.choice(PROFESSIONS) for p in professionals}
    turns: list[Turn] = []
    units: list[str] = []
    previous_speaker = ""
    while len(units) < target:
        domain = rng.choice(DOMAINS)
        block_size = min(rng.randint(20, 40), max(4, target - len(units)))
        addressed = rng.choice(residents)
        opener, _ = _fill(rng.choice(FACILITATOR_OPEN[domain]), rng, {"aanspreek": addressed.split()[0]})
        transition, _ = _fill(rng.choice(FACILITATOR_TRANSITION), rng)
        turn = Turn(facilitator, "facilitator", [s for s in (transition, opener) if s])
        turns.append(turn)
        block_units = _units(turn)
        last_echoes: list[str] = []
        previous_speaker = facilitator
        speaker = addressed
        while len(block_units) < block_size:
            if last_echoes and previous_speaker != facilitator and rng.random() < 0.25:
                echo = _as_echo(rng.choice(last_echoes))
                text, _ = _fill(rng.choice(FACILITATOR_FOLLOW), rng, {"echo": echo, "aanspreek": previous_speaker.split()[0]})
                ack = rng.choice(FACILITATOR_ACK)
                turn = Turn(facilitator, "facilitator", [s for s in (ack, text[0].upper() + text[1:]) if s])
                speaker = previous_speaker if rng.random() < 0.6 else rng.choice(residents)
            else:
                if speaker == previous_speaker:
                    pool = [p for p in residents + professionals if p != previous_speaker]
                    speaker = rng.choice(pool) if rng.random() < 0.85 else rng.choice(professionals)
                is_prof = speaker in professionals
                sentences: list[str] = []
                last_echoes = []
                if rng.random() < 0.2:
                    sentences.append(rng.choice(REACTIONS))
                for k in range(rng.choice((1, 1, 2, 2, 2, 3))):
                    # conversations drift: one sentence in five comes from another domain
                    topic = domain if rng.random() < 0.8 else rng.choice(DOMAINS)
                    templates = PROFESSIONAL[topic] if is_prof else RESIDENT[topic]
                    said, echoes = _spoken(
                        rng.choice(templates),
                        rng,
                        {"beroep": professions.get(speaker, "werker")},
                        # after a short reaction a lead-in would make a fragment of its own
                        () if k == 0 and sentences else CONTEXT_PROFESSIONAL if is_prof else CONTEXT_RESIDENT,
                    )
                    sentences.extend(said)
                    last_echoes.extend(echoes)
                if not last_echoes:
                    last_echoes = list(DOMAIN_ECHO[domain])
                turn = Turn(speaker, "professional" if is_prof else "bewoner", sentences)
            turns.append(turn)
            block_units.extend(_units(turn))
            previous_speaker = turn.speaker
        units.extend(block_units)
    speakers = {facilitator: "facilitator", **dict.fromkeys(residents, "bewoner"), **dict.fromkeys(professionals, "professional")}
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    meta: dict[str, object] = {
        "type": "verhalentafel",
        "titel": f"Verhalentafel {index + 1} (fictief, synthetisch)",
        "datum": f"2027-{month:02d}-{day:02d}",
        "wijk": "Het Wilgenveld (fictief)",
        "ronde": 1,
        "locatie": f"buurtkamer aan {rng.choice(STREETS)}",
        "fictief": True,
    }
    return Transcript(f"verhalentafel-{index + 1:04d}", meta, speakers, turns, units)


# --- writers ------------------------------------------------------------------------------------


def _yaml(meta: dict[str, object], speakers: dict[str, str]) -> str:
    lines = [f"# {HEADER_LINE}"]
    for key, value in meta.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value).lower()}")
    lines.append("sprekers:")
    lines.extend(f"  {name}: {role}" for name, role in speakers.items())
    return "\n".join(lines) + "\n"


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _times(transcript: Transcript) -> list[int]:
    """Start second of each turn: about 2.5 words a second, with pauses."""
    out, now = [], 5
    for turn in transcript.turns:
        out.append(now)
        now += max(2, len(turn.text.split()) * 2 // 5) + 3
    return out


def render(transcript: Transcript, fmt: str) -> dict[str, str]:
    """The files of one transcript in a format: txt, md, vtt or csv (the last two with a sidecar)."""
    starts = _times(transcript)
    if fmt in ("txt", "md"):
        body = [f"[{_clock(s)}] {t.speaker}: {t.text}" for t, s in zip(transcript.turns, starts)]
        text = "---\n" + _yaml(transcript.meta, transcript.speakers) + "---\n\n" + HEADER_LINE + "\n\n" + "\n\n".join(body) + "\n"
        return {f"{transcript.name}.{fmt}": text}
    if fmt == "vtt":
        cues = [f"WEBVTT\n\nNOTE {HEADER_LINE}\n"]
        for t, s in zip(transcript.turns, starts):
            end = s + max(2, len(t.text.split()) * 2 // 5)
            cues.append(f"{_clock(s)}.000 --> {_clock(end)}.000\n<v {t.speaker}>{t.text}\n")
        return {f"{transcript.name}.vtt": "\n".join(cues), f"{transcript.name}.vtt.yaml": _yaml(transcript.meta, transcript.speakers)}
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["spreker", "tekst", "tijd", "rol"])
        for t, s in zip(transcript.turns, starts):
            writer.writerow([t.speaker, t.text, _clock(s), t.role])
        return {f"{transcript.name}.csv": buffer.getvalue(), f"{transcript.name}.csv.yaml": _yaml(transcript.meta, transcript.speakers)}
    raise ValueError(f"onbekend formaat {fmt}")


def generate(n: int, seed: int = 8, fmt: str = "txt", start_index: int = 0) -> list[tuple[Transcript, str]]:
    """Transcripts with about ``n`` fragments in all, each with the format it will be written in."""
    rng = random.Random(seed)
    out: list[tuple[Transcript, str]] = []
    total = 0
    index = start_index
    while total < n:
        # files of about 300 fragments; a small rest is folded into the last file instead of a stub table
        target = rng.randint(FRAGMENTS_PER_FILE - 30, FRAGMENTS_PER_FILE + 30)
        if n - total - target < FRAGMENTS_PER_FILE // 3:
            target = n - total
        transcript = compose(index, target, rng)
        kind = fmt if fmt != "mix" else rng.choice(("txt", "txt", "md", "vtt", "csv"))
        out.append((transcript, kind))
        total += len(transcript.units)
        index += 1
    return out


def duplicate_rate(texts: list[str]) -> float:
    """Share of texts that repeat an earlier one (what the embedding cache could skip)."""
    return 1 - len(set(texts)) / len(texts) if texts else 0.0


def write_corpus(folder: Path, n: int, seed: int = 8, fmt: str = "txt", start_index: int = 0) -> dict[str, object]:
    """Write the corpus; return counts and the duplicate rate of the expected fragments."""
    folder.mkdir(parents=True, exist_ok=True)
    transcripts = generate(n, seed, fmt, start_index)
    units: list[str] = []
    for transcript, kind in transcripts:
        for name, content in render(transcript, kind).items():
            (folder / name).write_text(content, encoding="utf-8")
        units.extend(transcript.units)
    return {
        "map": str(folder),
        "bestanden": len(transcripts),
        "beurten": sum(len(t.turns) for t, _ in transcripts),
        "fragmenten": len(units),
        "verschillend": len(set(units)),
        "dubbel": round(duplicate_rate(units), 5),
        "seed": seed,
        "formaat": fmt,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Fictieve, synthetische verhalentafel-transcripten voor de schaalbenchmark.")
    parser.add_argument("map", type=Path)
    parser.add_argument("--n", type=int, default=1000, help="ongeveer zoveel fragmenten in totaal")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--formaat", choices=("txt", "md", "vtt", "csv", "mix"), default="txt")
    parser.add_argument("--start", type=int, default=0, help="eerste bestandsnummer (voor een extra transcript naast een bestaand corpus)")
    args = parser.parse_args()
    print(json.dumps(write_corpus(args.map, args.n, args.seed, args.formaat, args.start), ensure_ascii=False))


if __name__ == "__main__":
    main()
