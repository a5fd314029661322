"""Exceptions that name the file and say what is wrong, in one line."""
from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A document or source file could not be used; the message names it and says why."""

    MAX_PROBLEM = 240  # library messages can carry whole byte strings; the user needs one short line

    def __init__(self, path: str | Path | None, problem: str):
        self.path = str(path) if path is not None else None
        problem = " ".join(str(problem).split())
        if len(problem) > self.MAX_PROBLEM:
            problem = problem[: self.MAX_PROBLEM - 3].rstrip() + "..."
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path else problem)


class UnsupportedFormat(IngestError):
    """The file is not a PDF, DOCX, HTML, Markdown or plain-text document."""


class UnreadableDocument(IngestError):
    """The file is corrupt, truncated, empty, encrypted, too large or has no text layer."""


class InvalidSource(IngestError):
    """A review.yml, corrections.yml or taxonomy file breaks the documented format."""
