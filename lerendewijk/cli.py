"""The ``lerendewijk`` command: a thin layer over the library functions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import LerendeWijkError


def _fail(message: str) -> None:
    click.echo(f"fout: {message}", err=True)
    sys.exit(2)


class _Group(click.Group):
    """Turns errors into one clear line; the traceback goes to the workspace's log (or the screen with --debug)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except LerendeWijkError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            click.echo("\nafgebroken; de werkruimte is onveranderd sinds de laatst voltooide stap", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            from . import workspace

            where = f"de details staan in {workspace.last_log}" if workspace.last_log else "de details ziet u met --debug"
            click.echo(
                f"fout: er ging iets onverwachts mis ({type(exc).__name__}: {exc}); {where}. "
                "De werkruimte is bruikbaar: alle voltooide stappen zijn bewaard. Draai opnieuw met 'lerendewijk --debug …' "
                "voor de hele foutmelding.",
                err=True,
            )
            sys.exit(1)
        return None


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="lerendewijk")
@click.option(
    "--sleutel",
    envvar="LERENDEWIJK_SLEUTEL",
    default=None,
    help="Wachtwoord van het versleutelde sleutelbestand (of zet LERENDEWIJK_SLEUTEL).",
)
@click.option("--debug", is_flag=True, help="Toon bij een onverwachte fout de hele foutmelding (traceback).")
def main(sleutel: str | None, debug: bool) -> None:
    """lerendewijk: van verhalentafels en wijkwandelingen naar de cyclus van de lerende wijk."""
    import logging
    import os
    import warnings

    if sleutel:
        # one place for the passphrase: the key file reads it from the environment
        os.environ["LERENDEWIJK_SLEUTEL"] = sleutel

    # libraries below us (deduce, numba, BERTopic) log chatter that a facilitator doesn't need
    logging.basicConfig(level=logging.WARNING)
    if debug:
        # the workspace log on screen as well
        own = logging.getLogger("lerendewijk")
        own.setLevel(logging.INFO)
        own.addHandler(logging.StreamHandler())
    for name in ("numba", "deduce", "docdeid", "BERTopic", "sentence_transformers"):
        logging.getLogger(name).setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", category=UserWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=ImportWarning)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--wijk", help="Naam van de wijk (standaard de mapnaam).")
@click.option("--programma", default="", help="Pad naar het programmabestand, relatief aan de werkruimte.")
def init(directory: Path, wijk: str | None, programma: str) -> None:
    """Maak een werkruimte in DIRECTORY."""
    from .workspace import Workspace

    workspace = Workspace.init(directory, wijk=wijk, programma=programma)
    click.echo(f"werkruimte klaar: {workspace.root} (wijk: {workspace.config.wijk})")


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--workspace",
    "-w",
    "workspace_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="De werkruimte (wordt aangemaakt als die nog niet bestaat).",
)
@click.option("--programma", type=click.Path(path_type=Path), help="Programmabestand (YAML, CSV of XLSX).")
@click.option("--ronde", help="Label van de ronde (standaard uit de transcripten, anders het volgende nummer).")
@click.option("--rapporten", type=click.Path(path_type=Path), help="Map voor de verslagen (standaard WERKRUIMTE/rapporten).")
@click.option("--stil", "--quiet", "stil", is_flag=True, help="Alleen fouten en het pad van het verslag tonen (geen voortgang).")
@click.option("--taal", type=click.Choice(["nl", "en"]), help="Taal van het verslag (standaard die van de werkruimte, anders nl).")
def cycle(
    files: tuple[Path, ...],
    workspace_dir: Path,
    programma: Path | None,
    ronde: str | None,
    rapporten: Path | None,
    stil: bool,
    taal: str | None,
) -> None:
    """Lees FILES in en doorloop één ronde van de cyclus tot en met het verslag."""
    from . import progress as meter
    from .cycle import run_cycle
    from .workspace import CONFIG_NAME, Workspace

    if not (workspace_dir / CONFIG_NAME).exists():
        Workspace.init(workspace_dir)
    meter.enable(not stil)

    def progress(kind: str, message: str) -> None:
        if kind == "fout":
            click.echo(f"overgeslagen: {message}", err=True)
        elif not stil:
            click.echo(f"  {message}")

    with Workspace(workspace_dir) as workspace:
        result = run_cycle(
            workspace, files, programme=programma, round_label=ronde, reports_dir=rapporten, progress=progress, language=taal
        )
    counts = result.data["counts"]
    click.echo(
        f"{result.round_id}: {counts['documents']} gesprek(ken), {counts['fragments']} fragmenten, {len(result.data['themes'])} thema's"
    )
    click.echo(f"verslag: {result.report}")
    if result.errors:
        click.echo(f"{len(result.errors)} bestand(en) niet ingelezen (zie hierboven)", err=True)


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Uitvoerbestand (standaard: scherm).")
@click.option("--workspace", "-w", "workspace_dir", type=click.Path(path_type=Path), help="Gebruik en vul de sleutel van deze werkruimte.")
def pseudonymise(source: Path, output: Path | None, workspace_dir: Path | None) -> None:
    """Alleen pseudonimiseren: lees SOURCE en schrijf de tekst met pseudoniemen."""
    from .ingest import read_transcript
    from .privacy import Pseudonymiser, PseudonymKey, write_atomic
    from .workspace import Workspace

    raw = read_transcript(source)
    if workspace_dir is not None:
        with Workspace(workspace_dir) as workspace:
            document = Pseudonymiser(workspace.key, workspace.config.lokale_namen, allowed=[workspace.config.wijk]).pseudonymise_document(
                raw
            )
            workspace.key.save()
    else:
        document = Pseudonymiser(PseudonymKey()).pseudonymise_document(raw)
    header = {k: v for k, v in document.meta.items() if v is not None}
    text = "---\n" + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in header.items()) + "\n---\n" + document.text
    if output is None:
        click.echo(text)
    else:
        if output.resolve() == source.resolve():
            _fail("uitvoer en invoer zijn hetzelfde bestand; het origineel wordt nooit overschreven")
        write_atomic(output, text.encode("utf-8"))
        click.echo(f"geschreven: {output}")


@main.command()
@click.option("--workspace", "-w", "workspace_dir", required=True, type=click.Path(path_type=Path))
def status(workspace_dir: Path) -> None:
    """Toon wat er in een werkruimte staat."""
    from .workspace import Workspace

    workspace = Workspace(workspace_dir)
    counts = workspace.store.counts()
    click.echo(f"werkruimte {workspace.root} (wijk: {workspace.config.wijk})")
    click.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))
    for round_id in workspace.store.round_ids():
        info = workspace.store.get_round(round_id) or {}
        click.echo(f"  {round_id}: {len(workspace.store.round_document_ids(round_id))} gesprek(ken), status {info.get('status')}")
    workspace.close()


_ws_option = click.option("--workspace", "-w", "workspace_dir", required=True, type=click.Path(path_type=Path))
_round_option = click.option("--ronde", help="De ronde waarin de themanummers gelden (standaard de laatste).")
_again_option = click.option("--opnieuw", is_flag=True, help="Bereken de ronde eerst opnieuw (bijvoorbeeld na bijsturen).")
_format_option = click.option("--format", "fmt", type=click.Choice(["tekst", "json"]), default="tekst")


def _show_round(workspace_dir: Path, ronde: str | None, opnieuw: bool) -> tuple:  # type: ignore[type-arg]
    from .cycle import run_cycle
    from .workspace import Workspace

    if opnieuw:
        with Workspace(workspace_dir) as workspace:
            label = ronde
            if label is None and workspace.store.round_ids():
                label = (workspace.store.get_round(workspace.store.round_ids()[-1]) or {}).get("label")
            run_cycle(workspace, [], round_label=label)
    workspace, round_id, themes = _round_themes(workspace_dir, ronde)
    return round_id, [themes[n] for n in sorted(themes)]


@main.command()
@_ws_option
@_round_option
@_again_option
@_format_option
def themes(workspace_dir: Path, ronde: str | None, opnieuw: bool, fmt: str) -> None:
    """Fase 1: de thema's van een ronde, met trefwoorden, sprekers en citaten."""
    round_id, rows = _show_round(workspace_dir, ronde, opnieuw)
    if fmt == "json":
        click.echo(
            json.dumps(
                [{k: v for k, v in t.items() if k not in ("centroid", "members", "deepening")} for t in rows], ensure_ascii=False, indent=1
            )
        )
        return
    click.echo(f"Thema's van {round_id}")
    for t in rows:
        click.echo(
            f"{t['number']:3d}. {t['label']}  ({t['size']} fragmenten, {t['speakers']} sprekers, {len(t['documents'])} gesprek(ken))"
        )
        click.echo(f"     trefwoorden: {', '.join(t['keywords'])}")
        for q in t["quotes"][:2]:
            click.echo(f'     - "{q["text"]}" ({q["speaker"]}, {q["document"]})')


@main.command()
@_ws_option
@_round_option
@_again_option
@_format_option
def deepen(workspace_dir: Path, ronde: str | None, opnieuw: bool, fmt: str) -> None:
    """Fase 2: per thema deelonderwerpen, fysiek/sociaal, wie wordt aangesproken, toon en verdiepingsvragen."""
    round_id, rows = _show_round(workspace_dir, ronde, opnieuw)
    if fmt == "json":
        click.echo(
            json.dumps([{"number": t["number"], "label": t["label"], **t.get("deepening", {})} for t in rows], ensure_ascii=False, indent=1)
        )
        return
    click.echo(f"Verdieping van {round_id}")
    for t in rows:
        deep = t.get("deepening", {})
        click.echo(f"{t['number']:3d}. {t['label']}")
        for sub in deep.get("subthemes", []):
            click.echo(f"     deelonderwerp: {sub['label']} ({sub['size']})")
        for key in ("aspect", "actor", "tone"):
            counts = ", ".join(f"{k} {n}" for k, n in deep.get(key, {}).items() if n)
            click.echo(f"     {key}: {counts}")
        for q in deep.get("questions", []):
            click.echo(f"     ? {q['vraag']}")


@main.group()
def thema() -> None:
    """Thema's bijsturen: hernoemen, samenvoegen, splitsen of een verwacht thema zaaien.

    Besluiten gelden voor alle volgende runs; draai daarna 'lerendewijk cycle --workspace DIR'.
    """


def _round_themes(workspace_dir: Path, ronde: str | None) -> tuple:  # type: ignore[type-arg]
    from .rounds import resolve_round
    from .workspace import Workspace

    workspace = Workspace(workspace_dir)
    round_id = resolve_round(workspace.store, ronde)
    themes = {t["number"]: t for t in workspace.store.themes(round_id)}
    return workspace, round_id, themes


@thema.command("lijst")
@_ws_option
@_round_option
def thema_lijst(workspace_dir: Path, ronde: str | None) -> None:
    """Toon de thema's van een ronde en de opgeslagen besluiten."""
    from .steering import load_rules

    workspace, round_id, themes = _round_themes(workspace_dir, ronde)
    click.echo(f"{round_id}:")
    for number, theme in sorted(themes.items()):
        click.echo(f"  {number:3d}. {theme['label']}  ({theme['size']} fragmenten, {theme['speakers']} sprekers)")
    rules = load_rules(workspace.store).rules
    if rules:
        click.echo("besluiten:")
        for rule in rules:
            shown = {k: v for k, v in rule.payload.items() if k not in ("anchor", "anchors", "vector")}
            click.echo(f"  [{rule.id}] {rule.action} {json.dumps(shown, ensure_ascii=False)}")


@thema.command("hernoem")
@_ws_option
@_round_option
@click.argument("nummer", type=int)
@click.argument("naam")
def thema_hernoem(workspace_dir: Path, ronde: str | None, nummer: int, naam: str) -> None:
    """Geef thema NUMMER de naam NAAM."""
    from .steering import rename_theme

    workspace, round_id, _ = _round_themes(workspace_dir, ronde)
    rule, theme = rename_theme(workspace.store, round_id, nummer, naam)
    click.echo(f"besluit {rule}: '{theme['label']}' heet voortaan '{naam}'")


@thema.command("voeg-samen")
@_ws_option
@_round_option
@click.argument("eerste", type=int)
@click.argument("tweede", type=int)
def thema_voeg_samen(workspace_dir: Path, ronde: str | None, eerste: int, tweede: int) -> None:
    """Voeg thema TWEEDE samen met thema EERSTE."""
    from .steering import merge_themes

    workspace, round_id, _ = _round_themes(workspace_dir, ronde)
    rule, a, b = merge_themes(workspace.store, round_id, eerste, tweede)
    click.echo(f"besluit {rule}: '{b['label']}' gaat op in '{a['label']}'")


@thema.command("splits")
@_ws_option
@_round_option
@click.argument("nummer", type=int)
def thema_splits(workspace_dir: Path, ronde: str | None, nummer: int) -> None:
    """Splits thema NUMMER in twee."""
    from .steering import split_theme

    workspace, round_id, _ = _round_themes(workspace_dir, ronde)
    rule, theme = split_theme(workspace.store, round_id, nummer)
    click.echo(f"besluit {rule}: '{theme['label']}' wordt gesplitst")


@thema.command("zaai")
@_ws_option
@click.argument("naam")
@click.argument("beschrijving")
def thema_zaai(workspace_dir: Path, naam: str, beschrijving: str) -> None:
    """Zaai een verwacht thema NAAM, omschreven met BESCHRIJVING (een zin of trefwoorden)."""
    from .embed import Embedder
    from .steering import seed_theme
    from .workspace import Workspace

    workspace = Workspace(workspace_dir)
    rule = seed_theme(workspace.store, Embedder(workspace.config.embedding), naam, beschrijving)
    click.echo(f"besluit {rule}: thema '{naam}' gezaaid")


@thema.command("verwijder")
@_ws_option
@click.argument("besluit", type=int)
def thema_verwijder(workspace_dir: Path, besluit: int) -> None:
    """Trek besluit BESLUIT in."""
    from .steering import remove_rule
    from .workspace import Workspace

    if not remove_rule(Workspace(workspace_dir).store, besluit):
        _fail(f"besluit {besluit} bestaat niet")
    click.echo(f"besluit {besluit} ingetrokken")


def _link_tools(model_name: str):  # type: ignore[no-untyped-def]
    """Encoder and domain predictor for linking, sharing one embedding cache so no text is embedded twice."""
    from .classify import EMBEDDING_OF_VIEW, load_profile, view_embedder

    classifier = load_profile("snel")
    embed = view_embedder()
    view = next(v for v, name in EMBEDDING_OF_VIEW.items() if name == model_name)

    def encode(texts: list[str]):  # type: ignore[no-untyped-def]
        return embed(view, texts)

    def predict(texts: list[str]) -> list[list[str]]:
        if classifier is None:
            return [[] for _ in texts]
        return [p.domains for p in classifier.predict(texts, embed)]

    return encode, predict


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--programma", required=True, type=click.Path(path_type=Path), help="Programmabestand (YAML, CSV of XLSX).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="JSONL-uitvoer (standaard: scherm).")
def link(source: Path, programma: Path, output: Path | None) -> None:
    """Koppel losse fragmenten {"id", "text"} (JSONL of CSV) aan de onderdelen van een programma."""
    from .connect import fragment_scores, item_text, load_calibration, rank_links
    from .io import read_records, write_jsonl
    from .programme import parse_programme

    records = read_records(source)
    _, items = parse_programme(programma)
    calibration = load_calibration()
    encode, predict_domains = _link_tools(calibration.get("embedding", "use-multilingual"))
    texts = [str(r["text"]) for r in records]
    scores = fragment_scores(
        encode(texts), encode([item_text(i) for i in items]), predict_domains(texts), items, calibration["domain_weight"]
    )
    rows = [{"id": r["id"], **ranked} for r, ranked in zip(records, rank_links(scores, items, calibration["threshold"]))]
    text = write_jsonl(output, rows)
    if output is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"{len(rows)} fragmenten gekoppeld, {sum(r['none'] for r in rows)} zonder passend onderdeel: {output}", err=True)


@main.command("link-kalibreer")
@click.option("--model", "model_name", type=click.Choice(["use-multilingual", "e5-small"]), default="use-multilingual", show_default=True)
@click.option("--opslaan/--niet-opslaan", default=True, help="Schrijf models/koppeling/model.json.")
def link_calibrate(model_name: str, opslaan: bool) -> None:
    """Kies drempel en domeingewicht voor 'link' op de dev-helft van corpora/koppelingen; meet op de testhelft."""
    from .connect import LINK_CORPUS, LINK_MODEL_DIR, calibrate
    from .embed import model_id
    from .io import read_records
    from .privacy import write_atomic
    from .programme import parse_programme

    _, items = parse_programme(LINK_CORPUS.parent / "voorbeeld" / "programma.yaml")
    records = [r for path in sorted(LINK_CORPUS.glob("koppelingen*.jsonl")) for r in read_records(path, require=("id", "text"))]
    encode, predict_domains = _link_tools(model_name)
    params, metrics = calibrate(encode, items, records, predict_domains)
    for half, m in metrics.items():
        click.echo(
            f"{half:5s} n={m['n']}: top-1 {m['top1']:.3f} (zonder drempel {m['top1_ignoring_none']:.3f}), 'geen' juist {m['none_accuracy']:.3f}, totaal {m['overall']:.3f}"
        )
    click.echo(f"drempel {params['threshold']}, domeingewicht {params['domain_weight']}")
    if opslaan:
        payload = {**params, "embedding": model_name, "embedding_id": model_id(model_name), "metrics": metrics}
        write_atomic(LINK_MODEL_DIR / "model.json", json.dumps(payload, indent=1).encode("utf-8"))


@main.group()
def indicatoren() -> None:
    """De acht prestatie-indicatoren: trainen en voorspellen."""


@indicatoren.command("train")
@click.option("--opslaan/--niet-opslaan", default=True, help="Schrijf models/indicatoren/model.json.")
def indicators_train(opslaan: bool) -> None:
    """Train op de ene helft van corpora/indicatoren en meet op de andere; meet ook de toon."""
    from .classify import load_profile, view_embedder
    from .embed import model_id
    from .indicators import INDICATORS, MODEL_DIR, load_labelled, split_of, train_and_measure

    embed = view_embedder()
    model, metrics = train_and_measure(lambda texts: embed("use", texts))
    # the tone comes from the life-domain model; these labels were never part of its training data
    classifier = load_profile("snel")
    if classifier is not None:
        test = [r for r in load_labelled() if split_of(r["id"]) == "test"]
        tones = [p.tone for p in classifier.predict([r["text"] for r in test], embed)]
        metrics["tone_accuracy"] = round(sum(t == r["toon"] for t, r in zip(tones, test)) / max(1, len(test)), 4)
    for key, m in metrics["per_indicator"].items():
        click.echo(f"  {INDICATORS[key]:34s} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  (n={m['support']})")
    click.echo(
        f"test n={metrics['n']}: macro-F1 {metrics['macro_f1']:.3f}, micro-F1 {metrics['micro_f1']:.3f}, "
        f"eerste juist {metrics['first_right']:.3f}, 'geen' juist {metrics['none_accuracy']:.3f}"
        + (f", toon juist {metrics['tone_accuracy']:.3f}" if "tone_accuracy" in metrics else "")
    )
    if opslaan:
        model.meta.update({"embedding_model": model_id("use-multilingual"), "metrics": metrics})
        click.echo(f"opgeslagen: {model.save(MODEL_DIR)}")


@main.group()
def domains() -> None:
    """Levensdomeinen: trainen, voorspellen, evalueren en overeenstemming meten."""


def _classifier(model: str):  # type: ignore[no-untyped-def]
    from .classify import load_profile

    classifier = load_profile(model)
    if classifier is None:
        _fail(f"model '{model}' niet gevonden; train het met 'lerendewijk domains train --profiel {model}'")
    return classifier


@domains.command("train")
@click.option("--profiel", type=click.Choice(["snel", "nauwkeurig"]), default="snel", show_default=True)
@click.option("--seed", default=42, show_default=True)
@click.option(
    "-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Map voor het model (standaard models/levensdomeinen/PROFIEL)."
)
def domains_train(profiel: str, seed: int, output: Path | None) -> None:
    """Train het levensdomeinmodel opnieuw op corpora/levensdomeinen (zelfde data en seed: zelfde gewichten)."""
    from .classify import MODEL_DIR, train_from_corpus

    model, metrics = train_from_corpus(profiel, seed=seed)
    target = output or MODEL_DIR / profiel
    model.save(target)
    for split in ("dev", "test", "generalisatie"):
        m = metrics[split]
        click.echo(f"{split:14s} macro-F1 {m['macro_f1']:.3f}  primair {m['primary_accuracy']:.3f}  kappa {m['primary_kappa']:.3f}")
    click.echo(f"model opgeslagen in {target}")


@domains.command("predict")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="JSONL-uitvoer (standaard: scherm).")
@click.option("--model", default="snel", show_default=True, help="Profiel (snel, nauwkeurig) of modelmap.")
def domains_predict(source: Path, output: Path | None, model: str) -> None:
    """Voorspel levensdomeinen voor regels {"id", "text"} uit JSONL of CSV (id,text)."""
    from .classify import view_embedder
    from .io import read_records, write_jsonl

    records = read_records(source)
    classifier = _classifier(model)
    predictions = classifier.predict([str(r["text"]) for r in records], view_embedder())
    rows = [
        {"id": r["id"], "domains": p.domains, "status": p.status, "scores": p.scores, "aspect": p.aspect, "actor": p.actor, "tone": p.tone}
        for r, p in zip(records, predictions)
    ]
    text = write_jsonl(output, rows)
    if output is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"{len(rows)} voorspellingen geschreven naar {output}", err=True)


def _print_evaluation(result: dict, title: str) -> None:
    from .domains import DOMAINS

    click.echo(title)
    click.echo(f"{'domein':24s} {'precisie':>9s} {'recall':>7s} {'F1':>6s} {'n':>5s}")
    for key, m in result["per_domain"].items():
        click.echo(f"{DOMAINS[key]:24s} {m['precision']:9.3f} {m['recall']:7.3f} {m['f1']:6.3f} {m['support']:5d}")
    click.echo(
        f"macro-F1 {result['macro_f1']:.3f}; primair domein juist {result['primary_accuracy']:.3f}; kappa {result['primary_kappa']:.3f} (n={result['n']})"
    )
    labels = result["confusion"]["labels"]
    click.echo("verwarringsmatrix (rij = goud, kolom = voorspeld): " + ", ".join(labels))
    for label, row in zip(labels, result["confusion"]["matrix"]):
        click.echo(f"  {label:22s} " + " ".join(f"{v:4d}" for v in row))


@domains.command("evaluate")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--model", default="snel", show_default=True, help="Profiel (snel, nauwkeurig) of modelmap.")
@click.option("--format", "fmt", type=click.Choice(["tekst", "json"]), default="tekst", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Schrijf de uitkomst ook als JSON naar dit bestand.")
def domains_evaluate(gold: Path, model: str, fmt: str, output: Path | None) -> None:
    """Meet het model tegen een gouden codering: regels {"id", "text", "domains": [...]}."""
    from .classify import load_examples, view_embedder
    from .evaluate import evaluate
    from .privacy import write_atomic

    examples = load_examples(gold)
    _check_domains([e.domains for e in examples], gold)
    predictions = _classifier(model).predict([e.text for e in examples], view_embedder())
    result = evaluate([e.domains for e in examples], [p.domains for p in predictions])
    aspects = [(p.aspect, e.aspect) for p, e in zip(predictions, examples) if e.aspect]
    actors = [(p.actor, e.actor) for p, e in zip(predictions, examples) if e.actor]
    result["aspect_accuracy"] = round(sum(a == b for a, b in aspects) / len(aspects), 4) if aspects else None
    result["actor_accuracy"] = round(sum(a == b for a, b in actors) / len(actors), 4) if actors else None
    if output is not None:
        write_atomic(output, json.dumps(result, ensure_ascii=False, indent=1).encode("utf-8"))
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        _print_evaluation(result, f"Evaluatie van model '{model}' op {gold.name}")


def _check_domains(codings: list[list[str]], path: Path) -> None:
    from .domains import DOMAIN_KEYS

    for row in codings:
        unknown = [d for d in row if d not in DOMAIN_KEYS]
        if unknown:
            _fail(f"{path}: onbekend levensdomein '{unknown[0]}'; gebruik {', '.join(DOMAIN_KEYS)}")


@domains.command("agreement")
@click.argument("first", type=click.Path(path_type=Path))
@click.argument("second", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["tekst", "json"]), default="tekst", show_default=True)
def domains_agreement(first: Path, second: Path, fmt: str) -> None:
    """Overeenstemming tussen twee coderingen (twee mensen, of mens en model), gekoppeld op id."""
    from .evaluate import agreement
    from .io import read_records

    a = {r["id"]: r["domains"] for r in read_records(first, require=("id", "domains"))}
    b = {r["id"]: r["domains"] for r in read_records(second, require=("id", "domains"))}
    shared = sorted(set(a) & set(b))
    if not shared:
        _fail("de twee bestanden hebben geen gemeenschappelijke id's")
    left = [a[i] for i in shared]
    right = [b[i] for i in shared]
    _check_domains(left, first)
    _check_domains(right, second)
    result = agreement(left, right)
    result["alleen_in_eerste"] = len(set(a) - set(b))
    result["alleen_in_tweede"] = len(set(b) - set(a))
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    from .domains import DOMAINS

    click.echo(f"Overeenstemming op {result['n']} gemeenschappelijke fragmenten")
    for key, m in result["per_domain"].items():
        click.echo(f"  {DOMAINS[key]:24s} kappa {m['kappa']:.3f}  alpha {m['alpha']:.3f}  gelijk {m['agreement']:.3f}")
    click.echo(
        f"primair domein: kappa {result['primary_kappa']:.3f}, Krippendorffs alpha {result['primary_alpha']:.3f}, gelijk {result['primary_agreement']:.3f}"
    )


# -- rounds: decisions, comparison, learning history ------------------------------------------


def _resolve_round(store: object, value: str | None) -> str:
    from .rounds import resolve_round

    return resolve_round(store, value)


@main.command()
@_ws_option
@click.option("--ronde", help="De ronde van de koppeling (standaard de laatste).")
@click.option("--thema", "theme_id", required=True, help="Thema-id (zoals T3) of themanummer in die ronde.")
@click.option("--onderdeel", "item_id", required=True, help="Id van het programmaonderdeel.")
@click.option("--aanvaard", "decision", flag_value="aanvaard", help="De koppeling klopt.")
@click.option("--afgewezen", "decision", flag_value="afgewezen", help="De koppeling klopt niet; telt niet mee in de consequenties.")
@click.option("--notitie", "note", default="", help="Toelichting bij het besluit.")
@click.option("--gedaan", "action", default="", help="Wat er met de inbreng is gedaan (voor de terugkoppeling aan bewoners).")
def besluit(workspace_dir: Path, ronde: str | None, theme_id: str, item_id: str, decision: str | None, note: str, action: str) -> None:
    """Leg het besluit van beleidsmedewerkers over een koppeling vast: aanvaard, afgewezen of een notitie."""
    from .rounds import record_decision
    from .workspace import Workspace

    with Workspace(workspace_dir) as workspace:
        round_id = _resolve_round(workspace.store, ronde)
        theme, kind = record_decision(workspace.store, round_id, theme_id, item_id, decision, note, action)
    click.echo(f"vastgelegd: {round_id}, thema {theme['id']} ({theme['label']}) → {item_id}: {kind}")


@main.command()
@_ws_option
@click.argument("ronde_a")
@click.argument("ronde_b")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Schrijf naar .md, .html of .json.")
def compare(workspace_dir: Path, ronde_a: str, ronde_b: str, output: Path | None) -> None:
    """Wat er veranderde tussen twee rondes, en wat er met de inbreng van bewoners is gedaan."""
    from .privacy import write_atomic
    from .report.history import compare_html, compare_markdown
    from .rounds import compare_rounds
    from .workspace import Workspace

    with Workspace(workspace_dir) as workspace:
        store = workspace.store
        data = compare_rounds(store, _resolve_round(store, ronde_a), _resolve_round(store, ronde_b))
        wijk = workspace.config.wijk
    if output is None:
        click.echo(compare_markdown(data))
        return
    suffix = output.suffix.lower()
    if suffix == ".json":
        text = json.dumps(data, ensure_ascii=False, indent=1, default=str)
    elif suffix in (".html", ".htm"):
        text = compare_html(data, wijk)
    else:
        text = compare_markdown(data)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"geschreven: {output}")


@main.command()
@_ws_option
@click.option(
    "--output", "-o", "folder", type=click.Path(file_okay=False, path_type=Path), help="Map (standaard rapporten/ van de werkruimte)."
)
def leergeschiedenis(workspace_dir: Path, folder: Path | None) -> None:
    """Schrijf de leergeschiedenis over alle rondes, als HTML en Markdown (twee kolommen)."""
    from .report.history import write_learning_history
    from .workspace import Workspace

    with Workspace(workspace_dir) as workspace:
        html, markdown = write_learning_history(workspace.store, workspace.config.wijk, folder or workspace.reports_dir)
    click.echo(f"geschreven: {html} en {markdown}")


@main.command()
@_ws_option
@click.option("--ronde", help="De ronde (standaard de laatste).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json", "qdpx", "qdc"]), required=True, help="Soort export.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Bestand (of map voor csv); standaard in rapporten/<ronde>/export/.")
def export(workspace_dir: Path, ronde: str | None, fmt: str, output: Path | None) -> None:
    """Exporteer een ronde voor verder onderzoek: CSV, XLSX, JSON, REFI-QDA (qdpx) of alleen het codeboek (qdc)."""
    from . import export as exports
    from .workspace import Workspace

    with Workspace(workspace_dir) as workspace:
        store = workspace.store
        round_id = _resolve_round(store, ronde)
        folder = workspace.reports_dir / round_id / "export"
        target = output or (folder / "csv" if fmt == "csv" else folder / f"{round_id}.{fmt}")
        written = exports.export_round(store, round_id, fmt, target)
    click.echo("geschreven: " + ", ".join(str(p) for p in written))


@main.command()
@_ws_option
@click.argument("pseudoniem")
def forget(workspace_dir: Path, pseudoniem: str) -> None:
    """Vergeet een persoon (recht op vergetelheid): fragmenten, sleutel en verslagen van de werkruimte."""
    from .cycle import forget as forget_person
    from .workspace import Workspace

    with Workspace(workspace_dir) as workspace:
        removed = forget_person(workspace, pseudoniem)
    click.echo(
        f"{pseudoniem} vergeten: {removed['fragments']} fragmenten verwijderd, {removed['turns']} beurten afgeschermd in "
        f"{len(removed['documents'])} document(en), {removed['key_entries']} sleutelregel(s) gewist; "
        f"opnieuw berekend: {', '.join(removed['rounds']) or 'geen rondes'}."
    )
    click.echo(
        "let op: exports en verslagen die buiten de werkruimte zijn bewaard of gedeeld, bevatten deze persoon nog; "
        "maak ze opnieuw of verwijder ze.",
        err=True,
    )


@main.command("versleutel-sleutel")
@_ws_option
def encrypt_key(workspace_dir: Path) -> None:
    """Versleutel het sleutelbestand van een werkruimte met het wachtwoord van --sleutel of LERENDEWIJK_SLEUTEL."""
    from .keyfile import passphrase, read_key_file, write_key_file
    from .workspace import Workspace

    secret = passphrase()
    if not secret:
        _fail("geef een wachtwoord met --sleutel of LERENDEWIJK_SLEUTEL")
    with Workspace(workspace_dir) as workspace:
        if not workspace.key_path.exists():
            _fail("deze werkruimte heeft nog geen sleutelbestand")
        write_key_file(workspace.key_path, read_key_file(workspace.key_path), secret)
    click.echo(f"sleutelbestand versleuteld: {workspace.key_path}")


@main.command("import-coding")
@_ws_option
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--codeur", help="Alleen het werk van deze gebruiker uit het project (standaard alles).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Schrijf de codering ook als gold-JSONL.")
def import_coding(workspace_dir: Path, source: Path, codeur: str | None, output: Path | None) -> None:
    """Lees een menselijke codering (QDPX) van dezelfde bronnen terug: bewaard in de werkruimte, met de
    overeenstemming met het model in het onderzoeksdeel van de verslagen (en als JSONL voor 'domains agreement')."""
    from .export import read_coding
    from .io import write_jsonl
    from .report import refresh_agreement
    from .workspace import Workspace

    with Workspace(workspace_dir) as workspace:
        gold = read_coding(workspace.store, source, codeur)
        if not gold:
            _fail(f"{source.name}: geen gecodeerde fragmenten gevonden die bij deze werkruimte horen")
        coder = codeur or source.stem
        workspace.store.save_human_coding(coder, source.name, gold)
        refreshed = refresh_agreement(workspace.store, workspace.report_folder)
    if output is not None:
        write_jsonl(output, gold)
        click.echo(f"gold-JSONL: {output}", err=True)
    click.echo(f"{len(gold)} gecodeerde fragmenten van '{coder}' bewaard in de werkruimte")
    if refreshed:
        click.echo("overeenstemming bijgewerkt in: " + ", ".join(str(p) for p in refreshed))
    else:
        click.echo("draai 'lerendewijk cycle --workspace ...' om de overeenstemming in het verslag te zien")


@main.command()
@_ws_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres; 0.0.0.0 (voor een team) vereist een wachtwoord.")
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--wachtwoord", envvar="LERENDEWIJK_WACHTWOORD", default=None, help="Wachtwoord voor de web-app (of LERENDEWIJK_WACHTWOORD).")
@click.option("--geen-browser", is_flag=True, help="Open de browser niet.")
def serve(workspace_dir: Path, host: str, port: int, wachtwoord: str | None, geen_browser: bool) -> None:
    """Start de lokale web-app: transcripten uploaden, verslagen lezen, thema's bijsturen, koppelingen beoordelen."""
    from .web import serve as run_server

    run_server(workspace_dir, host=host, port=port, password=wachtwoord, open_browser=not geen_browser)


def run() -> None:
    """The console command. Exits without tearing down what it loaded: freeing deduce's lookup
    structures (millions of small objects) at interpreter shutdown takes longer than loading them,
    seconds a facilitator would wait for nothing. Everything is written and closed by then."""
    import logging
    import os

    try:
        main()
        code: int = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
