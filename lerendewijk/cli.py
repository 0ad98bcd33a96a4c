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
    """Turns the toolkit's own errors into one clear line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except LerendeWijkError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            click.echo("\nafgebroken; de werkruimte is onveranderd sinds de laatst voltooide stap", err=True)
            sys.exit(130)
        return None


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="lerendewijk")
def main() -> None:
    """lerendewijk: van verhalentafels en wijkwandelingen naar de cyclus van de lerende wijk."""


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
@click.option("--stil", is_flag=True, help="Alleen fouten en het pad van het verslag tonen.")
def cycle(
    files: tuple[Path, ...], workspace_dir: Path, programma: Path | None, ronde: str | None, rapporten: Path | None, stil: bool
) -> None:
    """Lees FILES in en doorloop één ronde van de cyclus tot en met het verslag."""
    from .cycle import run_cycle
    from .workspace import CONFIG_NAME, Workspace

    if not (workspace_dir / CONFIG_NAME).exists():
        Workspace.init(workspace_dir)

    def progress(kind: str, message: str) -> None:
        if kind == "fout":
            click.echo(f"overgeslagen: {message}", err=True)
        elif not stil:
            click.echo(f"  {message}")

    with Workspace(workspace_dir) as workspace:
        result = run_cycle(workspace, files, programme=programma, round_label=ronde, reports_dir=rapporten, progress=progress)
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
            document = Pseudonymiser(workspace.key, workspace.config.lokale_namen).pseudonymise_document(raw)
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


if __name__ == "__main__":
    main()
