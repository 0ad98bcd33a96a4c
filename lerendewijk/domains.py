"""The five life domains of the method and a classifier that places fragments in them.

``ZeroShotDomainClassifier`` needs no training data: it compares a fragment's embedding with
short descriptions of each domain written for this project. It follows scikit-learn's estimator
habits (``fit`` returns self, ``predict``/``predict_proba``), so a trained classifier can take
its place in the cycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .model import DomainPrediction

DOMAINS: dict[str, str] = {
    "lichaam_en_geest": "lichaam en geest",
    "sociale_relaties": "sociale relaties",
    "materiele_situatie": "materiële situatie",
    "arbeid_en_prestatie": "arbeid en prestatie",
    "waarden_en_inspiratie": "waarden en inspiratie",
}
DOMAIN_KEYS = tuple(DOMAINS)

# Sectors per domain, as the method links them (used to infer domains of programme items).
SECTORS: dict[str, tuple[str, ...]] = {
    "lichaam_en_geest": ("gezondheidszorg", "zorg", "sport", "mantelzorg"),
    "sociale_relaties": ("welzijn", "verenigingsleven"),
    "materiele_situatie": ("wonen", "inkomen", "vervoer", "winkels"),
    "arbeid_en_prestatie": ("werk", "sociale activering", "werkprojecten", "vrijwilligerswerk"),
    "waarden_en_inspiratie": ("onderwijs", "cultuur", "religie", "zingeving", "geestelijke zorg"),
}

# Descriptions in the project's own words: what people say when they talk about each domain.
PROTOTYPES: dict[str, tuple[str, ...]] = {
    "lichaam_en_geest": (
        "Mijn gezondheid gaat achteruit en ik heb veel pijn.",
        "Ik ben gevallen en kon niet meer opstaan.",
        "De wijkverpleging en de huisarts komen bij mij thuis voor zorg.",
        "Ik slaap slecht, ik pieker en voel me somber en angstig.",
        "Mijn geheugen laat me in de steek, het lijkt op dementie.",
        "Ik zorg voor mijn zieke moeder en ben zelf uitgeput.",
        "We wachten maanden op hulp van de ggz.",
        "Bewegen en sporten houdt me fit.",
        "Ik wil zelf bepalen welke zorg ik krijg en wanneer.",
        "Medicijnen, ziekenhuis, operatie, herstel.",
    ),
    "sociale_relaties": (
        "Ik voel me eenzaam, ik zie bijna niemand meer.",
        "Mijn buren helpen me en we drinken samen koffie.",
        "In de buurtkamer ontmoet ik andere mensen uit de wijk.",
        "Sinds mijn man overleden is, is het stil om me heen.",
        "De jongeren op het plein en de ouderen begrijpen elkaar niet.",
        "Mijn kinderen en kleinkinderen wonen ver weg.",
        "We kennen elkaar hier niet meer zoals vroeger.",
        "Ik ben lid van een club en daar heb ik vrienden.",
        "Er is ruzie en overlast tussen buren in de flat.",
        "Je moet iemand hebben op wie je kunt terugvallen.",
    ),
    "materiele_situatie": (
        "De lift in de flat is weer kapot en ik kom de trap niet af.",
        "Ik wacht al maanden op een traplift en beugels in de badkamer.",
        "Ik kan de huur en de energierekening niet meer betalen.",
        "Ik heb schulden en aan het eind van de maand is er geen geld voor eten.",
        "De supermarkt is gesloten, ik moet ver lopen voor boodschappen.",
        "De bus rijdt niet meer en de wijkbus komt alleen op dinsdag.",
        "De stoep ligt vol losse tegels en boomwortels, met mijn rollator struikel ik.",
        "Het pad is 's avonds donker, er brandt geen lantaarnpaal.",
        "Ons huis is vochtig en tocht, er zit schimmel op de muur.",
        "Waar laat ik mijn scootmobiel, er is geen berging.",
    ),
    "arbeid_en_prestatie": (
        "Ik heb mijn baan verloren en zoek werk.",
        "Ik doe vrijwilligerswerk in de buurtkamer, dan heb ik iets te doen.",
        "Sinds mijn pensioen voel ik me nutteloos, de dagen zijn leeg.",
        "Ik wil iets betekenen voor een ander en nuttig zijn.",
        "In de moestuin werk ik elke ochtend, dat geeft me een reden om op te staan.",
        "Mantelzorg is een tweede baan naast mijn werk.",
        "Een stageplek vinden is moeilijk voor de jongeren hier.",
        "Dagbesteding geeft structuur aan mijn week.",
        "Ik ben trots op wat ik heb opgebouwd met mijn handen.",
        "Een opleiding of cursus om aan het werk te komen.",
    ),
    "waarden_en_inspiratie": (
        "Mijn geloof geeft me houvast, de moskee en de kerk zijn belangrijk.",
        "Wat is nog de zin van het leven als je oud bent?",
        "Respect voor elkaar, zo ben ik opgevoed.",
        "Vroeger was de wijk anders, toen hadden we andere waarden.",
        "Ze luisteren toch niet naar ons, er verandert nooit iets.",
        "Ik wil meedenken over de toekomst van de buurt en serieus genomen worden.",
        "Ik leer Nederlands en volg een computercursus.",
        "Muziek, cultuur en verhalen inspireren me.",
        "Samen feest vieren, tradities uit ons land.",
        "Waardigheid: je wilt als mens gezien worden, niet als nummer.",
    ),
}

NO_DOMAIN_PROTOTYPES: tuple[str, ...] = (
    "Zullen we beginnen?",
    "Wil er nog iemand koffie of thee?",
    "Ja.",
    "Mm, ja precies.",
    "Kun je dat nog een keer zeggen?",
    "Welkom allemaal, fijn dat jullie er zijn.",
    "Dan gaan we nu naar de volgende vraag.",
    "Wie wil er nog iets zeggen?",
    "We lopen door naar de volgende stop.",
    "Dank jullie wel, tot de volgende keer.",
)

_PHYSICAL = re.compile(
    r"\b(lift|trap|traplift|drempel|stoep|tegel|boomwortel|verlichting|lantaarn|donker|bankje|bank(?:en)?\b|"
    r"woning|huis|flat|galerij|portiek|badkamer|beugel|douche|rollator|scootmobiel|berging|bus|halte|"
    r"wijkbus|tram|fiets|parkeer|supermarkt|winkel|speeltuin|plein|pad|straat|weg|groen|vocht|schimmel|"
    r"lek|kapot|gebouw|buurtkamer|deur|raam|verwarming|alarm|knop)",
    re.I,
)
_SOCIAL = re.compile(
    r"\b(eenzaam|alleen|contact|buren|buurvrouw|buurman|vriend|familie|kinderen|kleinkind|samen|koffie|"
    r"praten|ontmoet|help|zorg|mantelzorg|respect|geloof|vrijwillig|werk|geld|schuld|rekening|bang|angst|"
    r"somber|verdriet|pieker|ruzie|jongeren|ouderen|luister|vertrouw|club|vereniging|moskee|kerk|taal)",
    re.I,
)
ACTOR_PATTERNS: dict[str, re.Pattern[str]] = {
    "overheid": re.compile(r"\b(gemeente|wmo|loket|politiek|wethouder|overheid|rijk|belastingdienst|uwv|politie|ambtena)", re.I),
    "organisaties": re.compile(
        r"\b(corporatie|woningbouw|verhuurder|vlietwonen|thuiszorg|zorgorganisatie|welzijn|stichting|"
        r"supermarkt|vervoerder|moskee|kerk|school|ziekenhuis|energiebedrijf|voedselbank)",
        re.I,
    ),
    "professionals": re.compile(
        r"\b(wijkverpleegkundige|huisarts|huismeester|jongerenwerker|wijkagent|opbouwwerker|maatschappelijk werk|"
        r"thuishulp|verpleegkundige|dokter|casemanager|consulent|monteur)",
        re.I,
    ),
    "bewoners": re.compile(
        r"\b(ik|wij|we|buren|buurvrouw|buurman|bewoners|mijn (?:dochter|zoon|man|vrouw)|vrijwilliger|mantelzorger|zelf)\b",
        re.I,
    ),
}


def aspect_of(text: str) -> str:
    physical = len(_PHYSICAL.findall(text))
    social = len(_SOCIAL.findall(text))
    if physical and social:
        return "beide" if min(physical, social) * 2 >= max(physical, social) else ("fysiek" if physical > social else "sociaal")
    if physical:
        return "fysiek"
    return "sociaal"


def actor_of(text: str) -> str:
    institutional = [a for a in ("overheid", "organisaties", "professionals") if ACTOR_PATTERNS[a].search(text)]
    if len(institutional) >= 2:
        return "gemengd"
    if institutional:
        # "wij en de gemeente": residents called upon together with an institution
        if ACTOR_PATTERNS["bewoners"].search(text) and re.search(r"\b(samen|wij|we|zelf)\b", text, re.I):
            return "gemengd"
        return institutional[0]
    if ACTOR_PATTERNS["bewoners"].search(text):
        return "bewoners"
    return "onduidelijk"


@dataclass
class ZeroShotConfig:
    temperature: float = 0.05
    offset: float = 0.30
    threshold: float = 0.5
    secondary_ratio: float = 0.8
    doubt_margin: float = 0.02
    min_words: int = 3


class ZeroShotDomainClassifier:
    """Domains from similarity to prototype descriptions; no labelled data needed.

    Scores are per-domain probabilities from a logistic curve over the best prototype
    similarity; a fragment closer to process talk than to any domain is ``geen_domein``, and one
    whose two best domains are nearly tied below the threshold is ``twijfel``.
    """

    model_kind = "zero-shot"

    def __init__(self, config: ZeroShotConfig | None = None) -> None:
        self.config = config or ZeroShotConfig()
        self.prototype_vectors_: dict[str, np.ndarray] | None = None
        self.no_domain_vectors_: np.ndarray | None = None

    def fit(self, embed: object) -> ZeroShotDomainClassifier:
        """Embed the prototypes with ``embed`` (a callable texts -> unit vectors)."""
        encode = embed  # type: ignore[assignment]
        self.prototype_vectors_ = {k: encode(list(v)) for k, v in PROTOTYPES.items()}  # type: ignore[operator]
        self.no_domain_vectors_ = encode(list(NO_DOMAIN_PROTOTYPES))  # type: ignore[operator]
        return self

    def _similarities(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.prototype_vectors_ is None or self.no_domain_vectors_ is None:
            raise RuntimeError("call fit() before predict()")
        sims = np.stack([(vectors @ self.prototype_vectors_[k].T).max(axis=1) for k in DOMAIN_KEYS], axis=1)
        none = (vectors @ self.no_domain_vectors_.T).max(axis=1)
        return sims, none

    def predict_proba(self, vectors: np.ndarray) -> np.ndarray:
        sims, _ = self._similarities(vectors)
        c = self.config
        return 1.0 / (1.0 + np.exp(-(sims - c.offset) / c.temperature))

    def predict(self, vectors: np.ndarray, texts: list[str]) -> list[DomainPrediction]:
        c = self.config
        sims, none = self._similarities(vectors)
        probs = 1.0 / (1.0 + np.exp(-(sims - c.offset) / c.temperature))
        predictions = []
        for text, row_sim, row_p, none_sim in zip(texts, sims, probs, none):
            scores = {k: round(float(p), 4) for k, p in zip(DOMAIN_KEYS, row_p)}
            order = np.argsort(-row_sim)
            words = len(re.findall(r"\w+", text))
            best, second = order[0], order[1]
            if words < c.min_words or none_sim > row_sim[best]:
                predictions.append(DomainPrediction([], "geen_domein", scores, None, actor_of(text)))
                continue
            domains = [DOMAIN_KEYS[best]]
            for idx in order[1:3]:
                if row_p[idx] >= c.threshold and row_sim[idx] >= c.secondary_ratio * row_sim[best]:
                    domains.append(DOMAIN_KEYS[idx])
            status = "ok"
            if row_p[best] < c.threshold and row_sim[best] - row_sim[second] < c.doubt_margin:
                status = "twijfel"
            predictions.append(DomainPrediction(domains, status, scores, aspect_of(text), actor_of(text)))
        return predictions
