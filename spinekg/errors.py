"""One exception type with an exit code, so the CLI can print one line and never a traceback."""
from __future__ import annotations

# Exit codes (documented in the README):
EXIT_OK = 0
EXIT_FINDINGS = 1  # validation found violations / a check found ERRORs
EXIT_BAD_INPUT = 2  # unknown, ambiguous or malformed input; unreadable files
EXIT_ENVIRONMENT = 3  # something the run needs is missing (Java for HermiT, an optional package)


class SpinekgError(Exception):
    """An error the user can act on: one line of text and the exit code to leave with."""

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT, suggestions: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.suggestions = list(suggestions or [])

    def __str__(self) -> str:
        if self.suggestions:
            return f"{self.message} (closest matches: {', '.join(self.suggestions)})"
        return self.message
