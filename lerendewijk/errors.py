"""Errors a user sees: one line, naming the file and the problem, in Dutch."""

from __future__ import annotations


class LerendeWijkError(Exception):
    """Base for every error that is the user's input, not a bug."""


class IngestError(LerendeWijkError):
    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class WorkspaceError(LerendeWijkError):
    pass


class ProgrammeError(LerendeWijkError):
    pass
