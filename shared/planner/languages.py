"""The core intents in Spanish, French, German and Portuguese, read as the English the rules know.

Phrases are rewritten in place on the normalised text (accents already folded, so "línea",
"résistance" and "Unterstützung" are written here as "linea", "resistance", "unterstutzung"):
support/resistance, trend lines, moving averages with their periods ("media móvil de 50
días", "moyenne mobile 200 jours", "200-Tage-Linie", "GD 50"), timeframe words ("semanal",
"hebdomadaire", "Wochenchart", "4 horas"), look-backs ("últimos 3 meses"), clearing ("borra
las líneas", "efface tout", "lösche die Indikatoren"), zoom, compare, and the verbs that start
a request (show, draw, add, load). Only words that are not English are rewritten, so English
text passes unchanged. `is_foreign` tells a query in another language, where a common word of
that language is not read as a ticker ("día" is not DIA in a Spanish query).
"""

from __future__ import annotations

import re
from functools import cache

from shared.planner.patterns import compile_later
from shared.planner.wordlists import WORDS_BY_LANGUAGE

_DAYS = r"(?:dias?|jours?|tagen?|sesiones|sessions|seances|sessoes|periodos?|periodes?|perioden)"
_MA = r"moving average"
# (pattern, replacement), applied in order; later rules see earlier rewrites.
PHRASES: tuple[tuple[str, str], ...] = (
    # support / resistance / levels
    (r"soportes|apoyos|suportes|apoios", "supports"), (r"soporte|apoyo|suporte|apoio", "support"),
    # German compounds and their truncated first half: "Unterstützungs- und Widerstandslinien"
    (r"unterstu(?:e)?tzung[a-z]*-?", "support"),
    (r"resistencias", "resistances"), (r"resistencia", "resistance"),
    (r"widerst(?:a|ae)nd[a-z]*-?", "resistance"),
    # supply and demand zones: "zonas de oferta y demanda", "Angebots- und Nachfragezonen"
    (r"zonas de oferta (?:y|e) (?:de )?demanda|zones d'offre et de demande|"
     r"angebots- und nachfragezonen|nachfrage- und angebotszonen", "supply and demand zones"),
    (r"zonas? de demanda|zones? de demande|nachfragezonen?", "demand zones"),
    (r"zonas? de oferta|zones? d'offre|angebotszonen?", "supply zones"),
    (r"pisos|suelos|planchers|boden|boeden", "floors"), (r"piso|suelo|plancher", "floor"),
    (r"techos|plafonds|decken|tetos", "ceilings"), (r"techo|plafond|decke|teto", "ceiling"),
    (r"niveles clave|niveaux cles|schlusselniveaus|niveis chave|niveis-chave", "key levels"),
    (r"niveles|niveaux|niveaus|niveis", "levels"),
    # trend lines, channels, Fibonacci, patterns
    (r"lineas? de tendencia|lignes? de tendance|droites? de tendance|linhas? de tendencia|"
     r"trendlinien?", "trendline"),
    (r"canal(?:es)? (?:de tendencia|alcista|bajista)|canaux|trendkanal", "channel"),
    (r"retrocesos? de fibonacci|retracements? de fibonacci|fibonacci-retracements?|"
     r"retracoes? de fibonacci", "fibonacci retracement"),
    (r"hombro[ -]cabeza[ -]hombro|cabeza y hombros|tete[ -]et[ -]epaules|"
     r"epaule[ -]tete[ -]epaule|schulter[ -]kopf[ -]schulter|kopf[ -]schulter(?:[ -]formation)?|"
     r"ombro[ -]cabeca[ -]ombro", "head and shoulders"),
    (r"doble techo|double sommet|doppeltop|doppel-top|topo duplo", "double top"),
    (r"doble suelo|doble piso|double creux|doppelboden|fundo duplo", "double bottom"),
    (r"triangulo|dreieck", "triangle"), (r"patrones|figures chartistes|padroes|chartmuster",
                                         "patterns"),
    # moving averages: the noun, then a period written after it becomes "50 day ..."
    (r"medias? movil(?:es)? exponencial(?:es)?|moyennes? mobiles? exponentielles?|"
     r"exponentielle[rn]? gleitende[rn]? durchschnitte?|medias? moveis? exponencia(?:l|is)|"
     r"medias? movel exponencial", "exponential moving average"),
    # the plural without a period is the family of averages ("quita las medias móviles")
    (r"(?:medias movil(?:es)|promedios moviles|moyennes mobiles|gleitenden durchschnitt(?:e|en)|"
     r"medias moveis)(?! (?:simples? )?(?:de |a |sur |von |uber |of )?\d)", _MA + "s"),
    (r"medias? movil(?:es)?(?: simples?)?|promedios? movil(?:es)?|moyennes? mobiles?(?: simples?)?|"
     r"gleitende[rns]? durchschnitt(?:e|en|s)?|medias? mov(?:el|eis)(?: simples?)?", _MA),
    # "la media de 200", "la moyenne de 50", "a média de 200", "MM200": the average of N
    (r"(?:medias?|moyennes?|promedios?) (?:de |a )?(\d{1,3})(?!\d)|mm ?(\d{1,3})", _MA + r" \1\2"),
    (r"(\d{1,3})[ -]tage[ -](?:linie|durchschnitt)", r"\1 day " + _MA),
    (r"\bgd ?(\d{1,3})\b", r"\1 day " + _MA),
    (rf"({_MA}|exponential {_MA}) (?:de |a |sur |von |uber |over |of )?(\d{{1,3}}) {_DAYS}",
     r"\2 day \1"),
    (rf"({_MA}|exponential {_MA}) (?:de |a |sur |von |uber |of )(\d{{1,3}})", r"\2 \1"),
    (r"sobrecomprad[oa]s?|sobrecompra|surachete?s?|surachat|uberkauft", "overbought"),
    (r"sobrevendid[oa]s?|sobreventa|survendus?|survente|uberverkauft", "oversold"),
    (r"indicadores|indicateurs|indikatoren", "indicators"),
    (r"osciladores|oscillateurs|oszillatoren", "oscillators"),
    (r"oscilador|oscillateur|oszillator", "oscillator"),
    (r"estocastico|stochastique|stochastik", "stochastic"), (r"volumen", "volume"),
    (r"analiza(?:r)?|analysiere(?:n)?|analisa(?:r)?|analyser|analysez", "analyze"),
    (r"dibujos|dessins|zeichnungen|desenhos|trazados|traces", "drawings"),
    (r"lineas|lignes|linien|linhas", "lines"),
    # trend questions
    (r"tendencia alcista|tendance haussiere|aufwartstrend|tendencia de alta", "uptrend"),
    (r"tendencia bajista|tendance baissiere|abwartstrend|tendencia de baixa", "downtrend"),
    (r"tendencias?|tendances?", "trend"),
    (r"quelle est|cual es|qual e|wie ist|como esta|comment va", "what is"),
    (r"cruce dorado|croisement dore|golden cross|cruz dourada", "golden cross"),
    (r"cruce de la muerte|croix de la mort|todeskreuz|cruz da morte", "death cross"),
    # timeframes
    (r"(\d{1,3}) ?(?:horas|heures?|stunden?)", r"\1 hour"),
    (r"(\d{1,3}) ?(?:minutos|minuten)", r"\1 minute"),
    (r"(?:ultim[oa]s|derniers|dernieres|letzten) (\d{1,3}) (?:meses|mois|monate[n]?)",
     r"last \1 months"),
    (r"(?:les )?(\d{1,3}) derniers mois", r"last \1 months"),
    (r"(?:ultim[oa]s|derniers|dernieres|letzten) (\d{1,3}) (?:semanas|semaines|wochen)",
     r"last \1 weeks"),
    (r"(?:ultim[oa]s|derniers|dernieres|letzten) (\d{1,3}) (?:dias|jours|tage[n]?)",
     r"last \1 days"),
    (r"(?:el )?ultimo ano|l'annee derniere|letztes jahr|ultimo ano", "last year"),
    (r"(?:grafico |graphique |chart )?(?:diario|journalier|quotidien|taglich|tageschart|"
     r"diario)", "daily"),
    (r"(?:grafico |graphique )?(?:semanal|hebdomadaire|hebdo|wochentlich|wochenchart)", "weekly"),
    (r"(?:grafico |graphique )?(?:mensual|mensal|mensuel|monatlich|monatschart)", "monthly"),
    (r"(?:grafico )?(?:por hora|horario|horaire|stundlich|stundenchart)", "hourly"),
    (r"en (\d{1,3}) ?(?:minutos|minutes|minuten)", r"on the \1 minute"),
    # clear, zoom, compare and the verbs that start a request
    (r"(?:por favor|s'il (?:te|vous) plait|bitte)", "please"),
    (r"borra(?:r)?|limpia(?:r)?|quita(?:r)?|elimina(?:r)?|efface(?:r|z)?|supprime(?:r|z)?|"
     r"enleve(?:r|z)?|losche(?:n)?|entferne(?:n)?|limpa(?:r)?|apaga(?:r)?|remova|apague|"
     r"elimine|exclua|retire(?:r|z)?|saca(?:r)?|tira(?:r)?|tire", "remove"),
    (r"blende|oculta(?:r)?|esconde(?:r)?|masque(?:r|z)?", "hide"),
    (r"(?:nimm|mach) (.{1,60}?) (?:raus|heraus|weg)", r"remove \1"),
    (r"deshazte de|deshacete de|debarrasse(?:-toi|z-vous)? (?:des|du|de)|weg mit|"
     r"livre-se d(?:e|os|as|o|a)|livra-te d(?:e|os|as|o|a)", "get rid of"),
    (r"todo|tout|alles|tudo", "everything"),
    (r"acerca(?:r)?|zoom avant|heranzoomen|hineinzoomen|aproxima(?:r)?", "zoom in"),
    (r"aleja(?:r)?|zoom arriere|herauszoomen|afasta(?:r)?", "zoom out"),
    (r"compara(?:r)?|comparer|comparez|vergleiche(?:n)?", "compare"),
    (r"muestra(?:me)?|montre(?:-moi|z-moi)?|affiche(?:r|z)?|zeig(?:e)?(?: mir)?|"
     r"mostra(?:r)?|mostre(?:-me)?|ensename", "show me"),
    (r"dibuja(?:r)?|dibuje|dessine(?:r|z)?|trace(?:r|z)|zeichne(?:n)?|desenha(?:r)?|desenhe|"
     r"traza(?:r)?", "draw"),
    (r"agrega(?:r)?|anade|anadir|ajoute(?:r|z)?|fuge|hinzufugen|adiciona(?:r)?|coloca(?:r)?",
     "add"),
    (r"carga(?:r)?|lade|carrega(?:r)?", "load"),
    (r"(?:y|et|und) (?:luego|puis|dann|depois)", "and then"),
    # negation and scope, after the verbs: "no dibujes", "ne dessine pas", "zeichne keine"
    (r"ya no quiero|no quiero|je ne veux (?:plus|pas)(?: de| d'| les| la| le)?|"
     r"nao quero(?: mais)?|ich (?:will|mochte|brauche) keine?[nrs]?", "i don't want"),
    (r"(?:ich )?(?:will|mochte|brauche) (.{1,60}?) nicht mehr", r"i don't want \1 anymore"),
    (r"no (?:me )?(?:dibujes|pongas|muestres|agregues|anadas|traces|incluyas)|"
     r"nao (?:desenhe|coloque|mostre|adicione|trace|inclua|ponha)", "don't draw"),
    (r"ne (show me|draw|add|[a-z]+)(?: moi)? que|n'(show me|draw|add|[a-z]+) que", r"only \1\2"),
    (r"ne (show me|draw|add|[a-z]+) pas(?: de| la| le| les)?|"
     r"n'(show me|draw|add|[a-z]+) pas(?: de| la| le| les)?", r"don't \1\2"),
    (r"deja|manten|garde|gardez|laisse|laissez|behalte|behalt|lass|lasse|mantenha|deixe|deixa|"
     r"mantem", "keep"),
    (r"pero no|mais pas|aber nicht|mas nao", "but not"), (r"mas sem", "but without"),
    (r"mas(?= (?:so|apenas|somente|tire|remova|apague|keep)\b)", "but"),
    (r"aber keine?[nrs]?", "but no"),
    # Portuguese "no" is "in the" before a chart or a timeframe ("a microsoft no semanal")
    (r"no(?= (?:weekly|daily|monthly|hourly|grafico|chart|\d))", "on the"),
    (r"pas de|keine?[nrs]?|nada de", "no"), (r"pas|nicht|nao", "not"),
    (r"sin|sans|ohne|sem", "without"),
    (r"excepto|salvo|(?<!al )menos|sauf|excepte|hormis|ausser|außer|exceto|tirando", "except"),
    (r"solo|solamente|unicamente|seulement|uniquement|nur|lediglich|bloss|somente|apenas|juste",
     "only"),
    (r"so(?= (?:o |a |os |as )?(?:supports?|resistances?|trendline|fibonacci|levels|indicators|"
     r"moving average|exponential|rsi|macd|ema|sma|bollinger|vwap|volume|\d))", "only"),
)  # fmt: skip


@cache
def rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The table compiled, on the first query that needs it (ANY_FOREIGN matched): most
    queries are English and never do, so a cold start does not pay for the compile."""
    return tuple(
        (compile_later(rf"(?<![\w'-])(?:{pattern})(?![\w-])", re.IGNORECASE), replacement)
        for pattern, replacement in PHRASES
    )


# A quick test that a rule may apply: the text holds a word starting like one the table spells
# (four letters or more, or "gd"). Most English queries skip the table with this one search;
# the English words the later rules read after the earlier ones wrote them are no stems.
ENGLISH_CONTEXT = {"show", "draw", "supports", "resistances", "trendline", "levels", "indicators",
                   "exponential"}  # fmt: skip
STEMS = sorted(
    {w for p, _ in PHRASES for w in re.findall(r"[a-z]{4,}", p) if "golden" not in p}
    - ENGLISH_CONTEXT
    # short words as whole words only ("sin", not "since"; "pas", not "past")
    | {"gd", *(rf"{w}(?![a-z])" for w in ("sin", "sem", "nur", "nao", "pas", "so", "ne", "n'"))},
    key=len,
    reverse=True,
)
ANY_FOREIGN = compile_later(r"(?<![\w'-])(?:" + "|".join(STEMS) + ")", re.IGNORECASE)
ENGLISH = WORDS_BY_LANGUAGE["en"]
FOREIGN_WORDS = frozenset().union(*(WORDS_BY_LANGUAGE[lang] for lang in ("es", "fr", "de", "pt")))
WORD = compile_later(r"[a-z]{2,}")


def to_english(text: str) -> str:
    """The text with every foreign phrase of the table rewritten in English."""
    if not ANY_FOREIGN.search(text):
        return text
    for pattern, replacement in rules():
        text = pattern.sub(replacement, text)
    return text


def is_foreign(text: str, english: str) -> bool:
    """True when the query is not English: the table rewrote part of it, or it holds two or
    more common words of the other languages that are not English words."""
    if english != text:
        return True
    words = WORD.findall(text.lower())
    return sum(w in FOREIGN_WORDS and w not in ENGLISH for w in words) >= 2
